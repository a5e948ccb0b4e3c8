// fake_dns/reverse.hpp - reverse names, DNSBL query names, host records.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fake_dns/address.hpp"
#include "fake_dns/record.hpp"

namespace dns {

// "1.2.0.192.in-addr.arpa" (RFC 1035 3.5) or the nibble form under
// "ip6.arpa" (RFC 3596 2.5); canonical, without the trailing dot.
std::string reverse_name(const ip_address& address);
// The address's octets (IPv4) or nibbles (IPv6) reversed, then `zone`:
// RFC 5782 section 2.1 and 2.4.  "2.0.0.127.bl.example" for 127.0.0.2.
// Throws parse_error when the zone is not a valid name or the result is too long.
std::string dnsbl_query_name(const ip_address& address, std::string_view zone);

// The text forms: throw parse_error for an invalid address.
std::string reverse_name(std::string_view ip);
std::string dnsbl_query_name(std::string_view ip, std::string_view zone);

// A (or AAAA) for the host's name and a PTR for its address, as every
// scenario host gets unless the scenario lists that type for that name.
// Throws parse_error for an invalid host name or address.
std::vector<record> auto_host_records(std::string_view host_name, std::string_view ip, std::uint32_t ttl = 3600);

}  // namespace dns
