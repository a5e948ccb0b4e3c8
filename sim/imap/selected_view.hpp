// sim/imap/selected_view.hpp - one session's view of its selected mailbox.
//
// RFC 9051 §2.3.1.2: message sequence numbers belong to a session.  The
// view is the list the client knows: it changes only when the session tells
// the client (EXISTS, EXPUNGE, FETCH FLAGS).  sync() compares it with the
// store and writes those responses; expunges by others are held back
// (the message stays in the view, marked) while a FETCH, STORE or SEARCH is
// answered (RFC 9051 §7.5.1).  \Recent is kept here, per session.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/imap/mail_store.hpp"
#include "sim/imap/sequence_set.hpp"

namespace sim::imap {

struct view_message {
  std::uint32_t uid = 0;
  flag_list flags;
  std::uint64_t size = 0;
  wall_time internal_date{};
  bool recent = false;
  bool expunged = false;  // gone from the store; the client not yet told
};

class selected_view {
 public:
  // nullopt when the folder does not exist.  A read-write open claims the
  // folder's \Recent messages (mail_store::claim_recent).
  static std::optional<selected_view> open(mail_store& store, const std::string& user, const std::string& folder,
                                           bool read_only);

  // RFC 9051 §6.3.2: FLAGS, EXISTS, RECENT, and the OK [UNSEEN], [UIDVALIDITY],
  // [UIDNEXT], [PERMANENTFLAGS] lines.
  std::string select_responses() const;

  // Brings the view up to date; returns the untagged responses.  False in
  // `alive` when the folder is gone or has a new UIDVALIDITY.
  std::string sync(mail_store& store, const std::string& user, bool allow_expunge, bool& alive);

  // Indexes (0-based) named by a sequence set of message numbers; nullopt
  // when it names a number past the last message (RFC 3501 §9: BAD).
  std::optional<std::vector<std::size_t>> by_sequence(const sequence_set& set) const;
  // Indexes of the messages whose UIDs the set names (missing UIDs are skipped).
  std::vector<std::size_t> by_uid(const sequence_set& set) const;

  // The client has been told these UIDs are gone (own EXPUNGE or MOVE):
  // "* n EXPUNGE" lines, and the view without them.
  std::string remove(const std::vector<std::uint32_t>& uids);

  // The flags the client sees (with \Recent).
  flag_list flags_shown(std::size_t index) const;
  // Keywords announced in FLAGS that the view does not know yet.
  std::string announce_keywords();

  // Messages gone from the store that the client has not been told about.
  bool pending_expunges() const;

  std::vector<view_message>& messages() { return messages_; }
  const std::vector<view_message>& messages() const { return messages_; }
  const std::string& folder() const { return folder_; }
  bool read_only() const { return read_only_; }
  std::uint32_t uidvalidity() const { return uidvalidity_; }
  std::uint32_t largest_uid() const { return messages_.empty() ? 0 : messages_.back().uid; }

 private:
  std::string flags_lines() const;
  void add_new(mail_store& store, const std::string& user, const std::vector<message_info>& current,
               const folder_status& status);

  std::string folder_;
  bool read_only_ = false;
  std::uint32_t uidvalidity_ = 0;
  std::uint32_t uidnext_ = 1;
  std::vector<view_message> messages_;
  flag_list keywords_;  // announced in FLAGS
};

}  // namespace sim::imap
