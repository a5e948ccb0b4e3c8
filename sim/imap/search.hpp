// sim/imap/search.hpp - SEARCH keys (RFC 9051 §6.4.4): parse and evaluate.
//
// A search program is a tree: keys side by side are ANDed, OR takes two,
// NOT one, parentheses group.  Header and text keys match a substring
// without regard to ASCII case, in the decoded text (RFC 2047 words in
// header fields; base64 and quoted-printable in body parts).  Date keys
// compare days in UTC: SINCE/BEFORE/ON the INTERNALDATE, SENT* the Date:
// field.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/imap/date.hpp"
#include "sim/imap/flags.hpp"
#include "sim/imap/parser.hpp"
#include "sim/imap/sequence_set.hpp"
#include "sim/message/mime.hpp"

namespace sim::imap {

struct search_key {
  enum class kind {
    all, and_, or_, not_,
    answered, deleted, draft, flagged, seen, recent, new_, old,
    unanswered, undeleted, undraft, unflagged, unseen,
    keyword, unkeyword,
    bcc, cc, from, to, subject, header, body, text,
    before, on, since, sent_before, sent_on, sent_since,
    larger, smaller,
    uid, sequence,
  };
  kind what = kind::all;
  std::string field;   // HEADER's field name; the flag of KEYWORD/UNKEYWORD
  std::string value;   // the string searched for
  date day{};          // date keys
  std::uint64_t size = 0;  // LARGER/SMALLER
  sequence_set set;        // UID and sequence-set keys
  std::vector<std::pair<std::uint32_t, std::uint32_t>> resolved;  // set bound to a mailbox
  std::vector<search_key> children;  // and_, or_ (2), not_ (1)
};

// The keys after SEARCH [CHARSET x], to the end of the command: an and_ node.
std::optional<search_key> parse_search_keys(parser& p);

// Resolves "*" in the key's sets against the mailbox: `messages` for
// sequence numbers, `largest_uid` for UIDs.
void bind(search_key& key, std::uint32_t messages, std::uint32_t largest_uid);

// One message being tested.  Its content is loaded and parsed only when a
// key needs it, and then once.
struct search_candidate {
  std::uint32_t sequence = 0;
  std::uint32_t uid = 0;
  const flag_list* flags = nullptr;
  bool recent = false;
  std::uint64_t size = 0;
  wall_time internal_date{};
  std::function<std::optional<std::string>()> load;  // the message as stored; nullopt when gone

  // The parsed message, or nullptr when it could not be loaded.
  const message::mime_entity* parsed() const;

 private:
  mutable bool loaded_ = false;
  mutable std::optional<message::mime_entity> mime_;
};

bool matches(const search_key& key, const search_candidate& m);

}  // namespace sim::imap
