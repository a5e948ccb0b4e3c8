// sim/policy/dnsbl.hpp - DNS blocklist lookups (RFC 5782).
//
// For each zone in order: an A query for the client's reversed address
// under the zone.  An answer in 127.0.0.0/8 lists the client, except the
// 127.255.255.252-255 error codes (Spamhaus: "query refused" and similar),
// which must not block; a timeout or SERVFAIL does not block either.  The
// TXT of a listed name gives the reason.  The first listing decides, and
// its zone's reply template (else the default one) says what the client
// hears, as Postfix's rbl_reply_maps: $client_address, $rbl_domain,
// $rbl_reason (the TXT), $rbl_what (the address), $rbl_class ("Client
// host"), $rbl_code.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fake_dns/resolver.hpp"
#include "sim/core/asio.hpp"
#include "sim/policy/check_result.hpp"
#include "sim/policy/dnsbl_zone.hpp"
#include "sim/policy/ip_address.hpp"
#include "sim/policy/reply_template.hpp"
#include "sim/policy/spam_context.hpp"

namespace sim::policy {

// RFC 5782 section 2.1 (IPv4) and 2.4 (IPv6 nibbles): "2.0.0.127.bl.test".
std::string dnsbl_query_name(const ip_address& client, std::string_view zone);

// How one A answer reads (sans-I/O): listed, not listed, or a code that
// reports a problem with the query rather than a listing.
enum class dnsbl_answer { not_listed, listed, error_code };
dnsbl_answer classify_dnsbl_address(const ip_address& address);

// The variables a DNSBL reply template may use.
template_vars dnsbl_vars(const ip_address& client, std::string_view zone, std::string_view reason,
                         const reply_template& t);

// result "listed" with the zone's reply, or "pass"; the detail names
// every zone's answer.  `listed`, when given, receives the zone and the A
// answer of the listing (for a host that scores listings instead).
asio::awaitable<check_result> check_dnsbl(dns::resolver& resolver, std::string asker, ip_address client,
                                          std::vector<dnsbl_zone> zones, reply_template default_reply,
                                          dnsbl_listing* listed = nullptr);
// Every zone with the default reply.
asio::awaitable<check_result> check_dnsbl(dns::resolver& resolver, std::string asker, ip_address client,
                                          std::vector<std::string> zones, dnsbl_listing* listed = nullptr);

}  // namespace sim::policy
