// sim/policy/dnsbl_zone.hpp - one DNSBL zone to ask, and what a listed client hears.
//
// Like a Postfix rbl_reply_maps entry: a zone may have its own reply; none
// means the receiving MTA's default (its profile's).  Sans-I/O.
#pragma once

#include <optional>
#include <string>

#include "sim/policy/reply_template.hpp"

namespace sim::policy {

struct dnsbl_zone {
  std::string zone;
  std::optional<reply_template> reply;
  friend bool operator==(const dnsbl_zone&, const dnsbl_zone&) = default;
};

}  // namespace sim::policy
