// sim/policy/header_syntax.hpp - the header field syntax content rules check:
// RFC 5322 date-time, msg-id, mailbox lists and address counts.  Sans-I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::policy {

// RFC 5322 section 3.3 date-time, with the obsolete forms of section 4.3
// that real mail still carries (two- and three-digit years, zone names such
// as GMT or EST, no seconds) and comments: "Mon, 05 Jan 2026 09:00:00 +0000".
// The values must exist (no 31 April, no 25:00) and a day-of-week must be
// the date's own (section 3.3: "MUST be the day implied by the date").
bool is_valid_date_time(std::string_view value);

// RFC 5322 section 3.6.4: exactly one "<id-left@id-right>", id-left a
// dot-atom-text or quoted string, id-right a dot-atom-text or "[literal]".
bool is_valid_msg_id(std::string_view value);

struct mailbox_address {
  std::string display_name;  // unquoted, RFC 2047 words decoded; "" when none
  std::string address;       // local-part@domain as written, domain in lower case
  std::string domain;        // lower case
};

// RFC 5322 section 3.4 mailbox-list (the From field).  Lenient about the
// display name (anything before the last '<', as mail readers show it);
// strict about the address: nullopt when any entry has no valid
// local-part@domain, when the list is empty or when it is a group.
std::optional<std::vector<mailbox_address>> parse_mailbox_list(std::string_view value);

// RFC 5322 section 3.4 address-list (To, Cc): the entries holding an '@',
// group members included.
std::size_t count_addresses(std::string_view value);

}  // namespace sim::policy
