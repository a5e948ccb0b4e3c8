// sim/policy/ip_address.hpp - client addresses as policy checks need them.
//
// The address type and its parsing are fake_dns's (fake_dns/address.hpp);
// here are the forms SPF and DNSBL add: IPv4-mapped addresses compared as
// IPv4 (RFC 4291 section 2.5.5.2), the dotted nibbles of %{i} (RFC 7208
// section 7.3) and names under a reversed address (RFC 5782 section 2).
#pragma once

#include <string>
#include <string_view>

#include "fake_dns/address.hpp"

namespace sim::policy {

using ip_address = dns::ip_address;
using dns::format_ip;
using dns::parse_ip;
using dns::parse_ipv4;
using dns::parse_ipv6;

inline bool is_v6(const ip_address& a) { return a.kind == ip_address::family::v6; }

// "::ffff:192.0.2.1" becomes 192.0.2.1; anything else is returned as is.
ip_address unmap_ipv4(const ip_address& address);
// %{i}: IPv4 as the dotted quad, IPv6 as 32 dot-separated nibbles.
std::string dotted_ip(const ip_address& address);
// The reversed octets or nibbles, then `zone` ("2.0.0.127.bl.example").
std::string reversed_under(const ip_address& address, std::string_view zone);
// The in-addr.arpa / ip6.arpa name.
std::string reverse_name(const ip_address& address);

}  // namespace sim::policy
