// sim/lda/mailbox_meta.hpp - the durable record of one mailbox's folders and flags.
//
// "mbox-meta/<address>" holds, as lines of text:
//   mailsim-mailbox 1
//   next <next uidvalidity> <next folder id>
//   folder <id> <uidvalidity> <uidnext> <first recent uid> <special use> <name>
//   message <folder id> <uid> <internaldate, ms since 1970> [<flag> ...]
//   subscribe <name>
//   log <the journal's generation>   (only once there has been a journal)
// Names are %XX-escaped (space, '%', controls, non-ASCII), flags are IMAP
// atoms and need no escaping.  Messages themselves are not in it.
//
// The journal: a delivery into a mailbox of many messages does not rewrite
// every line of the record, it writes "mbox-meta-log/<address>/<slot>"
// holding "log <generation>" and its own "message" line (those of the
// deliveries made while the entry waited to be written, too).  The next rewrite
// of the record (when the journal has a quarter as many entries as the
// mailbox has messages, or at any other change) holds every entry so far and starts a
// new generation; entries count only when of the record's generation, so
// the old ones need not be removed (the new ones overwrite their slots).
// The cost of a delivery does not grow with the mailbox.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <set>
#include <utility>

#include "sim/lda/mailbox_store.hpp"

namespace sim::lda {

// `generation`: the journal's (0: no "log" line).
std::string format_meta(const mailbox_store::mailbox_data& box, std::uint64_t generation = 0);
// A message's "message" line, appended to `out`.
void append_meta_message(std::string& out, std::uint32_t folder_id, const stored_message& m);
// A journal entry: its generation, then the "message" lines given.
std::string format_meta_log(std::uint64_t generation, std::string_view lines);

struct meta_message {
  imap::flag_list flags;
  wall_time internal_date{};
};

struct parsed_meta {
  std::map<std::string, mailbox_store::folder_data, std::less<>> folders;  // without messages
  std::set<std::string, std::less<>> subscriptions;
  std::uint32_t next_uidvalidity = 1;
  std::uint32_t next_folder_id = 1;
  std::map<std::pair<std::uint32_t, std::uint32_t>, meta_message> messages;  // (folder id, uid)
  std::uint64_t log_generation = 0;  // journal entries of this generation add to the record
};

// nullopt when the record is damaged (the caller falls back to defaults).
std::optional<parsed_meta> parse_meta(std::string_view text);
// Adds a journal entry's messages to `out`; false when it is damaged (torn)
// or of another generation than `generation`.
bool parse_meta_log(std::string_view text, std::uint64_t generation, parsed_meta& out);

}  // namespace sim::lda
