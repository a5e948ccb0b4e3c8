// fake_dns/address.hpp - IPv4 / IPv6 addresses: text to bytes and back.
//
// Used for A / AAAA data, reverse names and DNSBL query names.  Text forms
// are strict: dotted quad without leading zeros (RFC 1123 2.1 leaves them
// ambiguous), IPv6 per RFC 4291 2.2; output is canonical (RFC 5952).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dns {

struct ip_address {
  enum class family { v4, v6 };
  family kind = family::v4;
  // v4 uses bytes[0..3]; v6 uses all 16, network order.
  std::array<std::uint8_t, 16> bytes{};

  std::size_t size() const { return kind == family::v4 ? 4 : 16; }
  friend bool operator==(const ip_address&, const ip_address&) = default;
};

std::optional<ip_address> parse_ipv4(std::string_view text);
std::optional<ip_address> parse_ipv6(std::string_view text);
// Either family: IPv6 when the text holds a ':'.
std::optional<ip_address> parse_ip(std::string_view text);

// "192.0.2.1"; "2001:db8::1" (RFC 5952 section 4: lower case, longest run
// of two or more zero groups as "::", the first one on a tie); IPv4-mapped
// addresses as "::ffff:192.0.2.1" (RFC 5952 section 5).
std::string format_ip(const ip_address& address);
// Canonical text of an address given as text, or nullopt when invalid.
std::optional<std::string> canonical_ip(std::string_view text);

}  // namespace dns
