// sim/policy/ip_address.cpp - address forms for SPF and DNSBL.
#include "sim/policy/ip_address.hpp"

#include <vector>

namespace sim::policy {
namespace {

constexpr char nibble_chars[] = "0123456789abcdef";

// Octets of an IPv4 address or nibbles of an IPv6 one, lowest first.
std::vector<std::string> reversed_parts(const ip_address& address) {
  std::vector<std::string> parts;
  for (std::size_t i = address.size(); i-- > 0;) {
    auto byte = address.bytes[i];
    if (is_v6(address)) {
      parts.emplace_back(1, nibble_chars[byte & 0xf]);
      parts.emplace_back(1, nibble_chars[byte >> 4]);
    } else {
      parts.push_back(std::to_string(byte));
    }
  }
  return parts;
}

}  // namespace

ip_address unmap_ipv4(const ip_address& address) {
  if (!is_v6(address)) return address;
  for (std::size_t i = 0; i < 10; ++i)
    if (address.bytes[i] != 0) return address;
  if (address.bytes[10] != 0xff || address.bytes[11] != 0xff) return address;
  ip_address v4;
  for (std::size_t i = 0; i < 4; ++i) v4.bytes[i] = address.bytes[12 + i];
  return v4;
}

std::string dotted_ip(const ip_address& address) {
  if (!is_v6(address)) return format_ip(address);
  std::string text;
  for (std::size_t i = 0; i < 16; ++i) {
    if (i) text += '.';
    text += nibble_chars[address.bytes[i] >> 4];
    text += '.';
    text += nibble_chars[address.bytes[i] & 0xf];
  }
  return text;
}

std::string reversed_under(const ip_address& address, std::string_view zone) {
  std::string name;
  for (const auto& part : reversed_parts(address)) name += part + '.';
  name += zone;
  return name;
}

std::string reverse_name(const ip_address& address) {
  return reversed_under(address, is_v6(address) ? "ip6.arpa" : "in-addr.arpa");
}

}  // namespace sim::policy
