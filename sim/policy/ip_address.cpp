// sim/policy/ip_address.cpp - address parsing and the text forms policy needs.
#include "sim/policy/ip_address.hpp"

#include <vector>

#include <fmt/format.h>

namespace sim::policy {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Hex groups on one side of "::"; a dotted quad may end the last side.
bool parse_groups(std::string_view text, bool last_side, std::vector<std::uint16_t>& groups) {
  if (text.empty()) return true;
  std::size_t start = 0;
  for (;;) {
    auto colon = text.find(':', start);
    auto part = text.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
    if (colon == std::string_view::npos && last_side && part.find('.') != std::string_view::npos) {
      auto v4 = parse_ipv4(part);
      if (!v4) return false;
      groups.push_back(static_cast<std::uint16_t>(v4->bytes[0] << 8 | v4->bytes[1]));
      groups.push_back(static_cast<std::uint16_t>(v4->bytes[2] << 8 | v4->bytes[3]));
      return true;
    }
    if (part.empty() || part.size() > 4) return false;
    unsigned value = 0;
    for (char c : part) {
      int digit = hex_digit(c);
      if (digit < 0) return false;
      value = value * 16 + static_cast<unsigned>(digit);
    }
    groups.push_back(static_cast<std::uint16_t>(value));
    if (colon == std::string_view::npos) return true;
    start = colon + 1;
  }
}

constexpr char nibble_chars[] = "0123456789abcdef";

// Octets of an IPv4 address or nibbles of an IPv6 one, lowest first.
std::vector<std::string> reversed_parts(const ip_address& address) {
  std::vector<std::string> parts;
  for (std::size_t i = address.size(); i-- > 0;) {
    auto byte = address.bytes[i];
    if (address.v6) {
      parts.emplace_back(1, nibble_chars[byte & 0xf]);
      parts.emplace_back(1, nibble_chars[byte >> 4]);
    } else {
      parts.push_back(std::to_string(byte));
    }
  }
  return parts;
}

}  // namespace

std::optional<ip_address> parse_ipv4(std::string_view text) {
  ip_address address;
  std::size_t index = 0;
  std::size_t start = 0;
  for (;;) {
    auto dot = text.find('.', start);
    auto part = text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (index == 4 || part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) return std::nullopt;
    unsigned value = 0;
    for (char c : part) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value > 255) return std::nullopt;
    address.bytes[index++] = static_cast<std::uint8_t>(value);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (index != 4) return std::nullopt;
  return address;
}

std::optional<ip_address> parse_ipv6(std::string_view text) {
  std::vector<std::uint16_t> head, tail;
  auto gap = text.find("::");
  bool ok = false;
  if (gap == std::string_view::npos) {
    ok = parse_groups(text, true, head) && head.size() == 8;
  } else if (text.find("::", gap + 1) == std::string_view::npos) {
    ok = parse_groups(text.substr(0, gap), false, head) && parse_groups(text.substr(gap + 2), true, tail) &&
         head.size() + tail.size() <= 7;
  }
  if (!ok) return std::nullopt;
  ip_address address;
  address.v6 = true;
  std::size_t at = 0;
  auto put = [&](std::uint16_t group) {
    address.bytes[at++] = static_cast<std::uint8_t>(group >> 8);
    address.bytes[at++] = static_cast<std::uint8_t>(group & 0xff);
  };
  for (auto group : head) put(group);
  for (std::size_t i = head.size() + tail.size(); i < 8; ++i) put(0);
  for (auto group : tail) put(group);
  return address;
}

std::optional<ip_address> parse_ip(std::string_view text) {
  return text.find(':') != std::string_view::npos ? parse_ipv6(text) : parse_ipv4(text);
}

ip_address unmap_ipv4(const ip_address& address) {
  if (!address.v6) return address;
  for (std::size_t i = 0; i < 10; ++i)
    if (address.bytes[i] != 0) return address;
  if (address.bytes[10] != 0xff || address.bytes[11] != 0xff) return address;
  ip_address v4;
  for (std::size_t i = 0; i < 4; ++i) v4.bytes[i] = address.bytes[12 + i];
  return v4;
}

std::string format_ip(const ip_address& address) {
  if (!address.v6)
    return fmt::format("{}.{}.{}.{}", address.bytes[0], address.bytes[1], address.bytes[2], address.bytes[3]);
  std::array<unsigned, 8> groups{};
  for (std::size_t i = 0; i < 8; ++i) groups[i] = static_cast<unsigned>(address.bytes[2 * i] << 8 | address.bytes[2 * i + 1]);
  // RFC 5952 section 4.2: the longest run of two or more zero groups, first on a tie.
  std::size_t best_start = 8, best_length = 1;
  for (std::size_t i = 0; i < 8;) {
    std::size_t j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_length) best_start = i, best_length = j - i;
    i = j == i ? i + 1 : j;
  }
  std::string text;
  for (std::size_t i = 0; i < 8; ++i) {
    if (i == best_start) {
      text += "::";
      i += best_length - 1;
      continue;
    }
    if (!text.empty() && text.back() != ':') text += ':';
    text += fmt::format("{:x}", groups[i]);
  }
  return text;
}

std::string dotted_ip(const ip_address& address) {
  if (!address.v6) return format_ip(address);
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
  return reversed_under(address, address.v6 ? "ip6.arpa" : "in-addr.arpa");
}

}  // namespace sim::policy
