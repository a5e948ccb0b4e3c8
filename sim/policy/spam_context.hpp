// sim/policy/spam_context.hpp - what the receiving MTA knows about a message
// besides its content, for the content filter.  Every part is optional:
// a rule about something nobody checked does not fire.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/policy/auth_result.hpp"
#include "sim/policy/ip_address.hpp"
#include "sim/policy/spf_result.hpp"

namespace sim::policy {

// A DNSBL that listed the client when the host scores listings instead of
// refusing them (RFC 5782): the zone and the A answer, as "127.0.0.2".
struct dnsbl_listing {
  std::string zone;
  std::string code;
};

struct spam_context {
  std::optional<ip_address> client_ip;
  std::optional<std::string> helo;           // as the client gave it in HELO/EHLO
  std::optional<spf_result> spf;             // RFC 7208, for the MAIL FROM identity
  std::optional<std::vector<dkim_result>> dkim;  // one per signature; empty: the message has none
  std::optional<dmarc_result> dmarc;
  std::optional<dmarc_disposition> dmarc_policy;  // what the From domain asks for this message
  std::vector<dnsbl_listing> dnsbl;          // scored listings; empty when not listed
};

}  // namespace sim::policy
