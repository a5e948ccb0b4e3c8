// sim/lda/mailbox_meta.hpp - the durable record of one mailbox's folders and flags.
//
// "mbox-meta/<address>" holds, as lines of text:
//   mailsim-mailbox 1
//   next <next uidvalidity> <next folder id>
//   folder <id> <uidvalidity> <uidnext> <first recent uid> <special use> <name>
//   message <folder id> <uid> <internaldate, ms since 1970> [<flag> ...]
//   subscribe <name>
// Names are %XX-escaped (space, '%', controls, non-ASCII), flags are IMAP
// atoms and need no escaping.  Messages themselves are not in it.
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

std::string format_meta(const mailbox_store::mailbox_data& box);

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
};

// nullopt when the record is damaged (the caller falls back to defaults).
std::optional<parsed_meta> parse_meta(std::string_view text);

}  // namespace sim::lda
