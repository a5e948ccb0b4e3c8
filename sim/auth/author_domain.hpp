// sim/auth/author_domain.hpp - the RFC5322.From domain DMARC checks (RFC 7489 §6.6.1).
//
// Sans-I/O.  Reads the mailbox-list of From fields (RFC 5322 §3.4: display
// names, quoted strings, comments, angle addresses, groups) well enough to
// find each address's domain.  Never throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sim::auth {

// The addr-specs of an address list, in order ("ceo@brand.test"), without
// display names and comments.  Unparsable entries are left out.
std::vector<std::string> mailbox_addresses(std::string_view address_list);

struct author_domain_result {
  std::string domain;  // normalised; empty when there is none
  std::string error;   // why there is none ("the message has 2 From fields")
};

// RFC 7489 §6.6.1: exactly one From field; its addresses must all have one
// domain.  `from_values` are the unfolded values of every From field.
author_domain_result author_domain(const std::vector<std::string>& from_values);

}  // namespace sim::auth
