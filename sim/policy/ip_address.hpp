// sim/policy/ip_address.hpp - client addresses for policy checks.
//
// Policy code compares and renders client addresses in the forms SPF and
// DNSBL need (RFC 7208 section 7.3, RFC 5782 section 2); it keeps its own
// small, sans-I/O address type so the policy core has no DNS dependency.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sim::policy {

struct ip_address {
  bool v6 = false;
  // IPv4 uses bytes[0..3]; IPv6 uses all 16, network order.
  std::array<std::uint8_t, 16> bytes{};

  std::size_t size() const { return v6 ? 16 : 4; }
  friend bool operator==(const ip_address&, const ip_address&) = default;
};

// Dotted quad without leading zeros (RFC 7208 section 5.6 qnum).
std::optional<ip_address> parse_ipv4(std::string_view text);
// RFC 4291 section 2.2, including a trailing dotted quad.
std::optional<ip_address> parse_ipv6(std::string_view text);
// Either family: IPv6 when the text holds a ':'.
std::optional<ip_address> parse_ip(std::string_view text);

// An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address it
// carries; RFC 7208 section 5 treats such clients as IPv4.  Others unchanged.
ip_address unmap_ipv4(const ip_address& address);

// "192.0.2.1"; IPv6 per RFC 5952 section 4 ("2001:db8::1").
std::string format_ip(const ip_address& address);
// RFC 7208 section 7.3 "i" macro: dotted quad, or 32 dot-separated nibbles.
std::string dotted_ip(const ip_address& address);
// "1.2.0.192.in-addr.arpa" or the nibble form under "ip6.arpa" (RFC 3596).
std::string reverse_name(const ip_address& address);
// Octets (IPv4) or nibbles (IPv6) reversed, then `zone` (RFC 5782 2.1, 2.4).
std::string reversed_under(const ip_address& address, std::string_view zone);

}  // namespace sim::policy
