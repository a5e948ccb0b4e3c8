// sim/policy/dnsbl.hpp - DNS blocklist lookups (RFC 5782).
//
// For each zone in order: an A query for the client's reversed address
// under the zone.  An answer in 127.0.0.0/8 lists the client, except the
// 127.255.255.252-255 error codes (Spamhaus: "query refused" and similar),
// which must not block; a timeout or SERVFAIL does not block either.  The
// TXT of a listed name gives the reason.  The first listing decides.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fake_dns/resolver.hpp"
#include "sim/core/asio.hpp"
#include "sim/policy/check_result.hpp"
#include "sim/policy/ip_address.hpp"
#include "sim/policy/spam_context.hpp"

namespace sim::policy {

// RFC 5782 section 2.1 (IPv4) and 2.4 (IPv6 nibbles): "2.0.0.127.bl.test".
std::string dnsbl_query_name(const ip_address& client, std::string_view zone);

// How one A answer reads (sans-I/O): listed, not listed, or a code that
// reports a problem with the query rather than a listing.
enum class dnsbl_answer { not_listed, listed, error_code };
dnsbl_answer classify_dnsbl_address(const ip_address& address);

// Postfix reject_rbl_client wording:
// "Service unavailable; client [192.0.2.1] blocked using bl.test; REASON"
std::string dnsbl_reply_text(const ip_address& client, std::string_view zone, std::string_view reason);

// result "listed" with a 554 5.7.1 reply, or "pass"; the detail names
// every zone's answer.  `listed`, when given, receives the zone and the A
// answer of the listing (for a host that scores listings instead).
asio::awaitable<check_result> check_dnsbl(dns::resolver& resolver, std::string asker, ip_address client,
                                          std::vector<std::string> zones, dnsbl_listing* listed = nullptr);

}  // namespace sim::policy
