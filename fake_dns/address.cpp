// fake_dns/address.cpp - IPv4 / IPv6 address parsing and canonical text.
#include "fake_dns/address.hpp"

#include <vector>

#include <fmt/format.h>

namespace dns {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Splits on one separator; "a::b" split on ':' gives "a", "", "b".
std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    auto at = text.find(separator, start);
    parts.push_back(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

// Hex groups of one side of "::" (or the whole address); false when invalid.
// An IPv4 dotted quad may end the address (RFC 4291 section 2.2, form 3).
bool parse_groups(std::string_view text, bool may_end_with_ipv4, std::vector<std::uint16_t>& groups) {
  if (text.empty()) return true;
  auto parts = split(text, ':');
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto part = parts[i];
    if (i + 1 == parts.size() && may_end_with_ipv4 && part.find('.') != std::string_view::npos) {
      auto v4 = parse_ipv4(part);
      if (!v4) return false;
      groups.push_back(static_cast<std::uint16_t>(v4->bytes[0] << 8 | v4->bytes[1]));
      groups.push_back(static_cast<std::uint16_t>(v4->bytes[2] << 8 | v4->bytes[3]));
      return true;
    }
    if (part.empty() || part.size() > 4) return false;
    unsigned value = 0;
    for (char c : part) {
      int digit = hex_value(c);
      if (digit < 0) return false;
      value = value * 16 + static_cast<unsigned>(digit);
    }
    groups.push_back(static_cast<std::uint16_t>(value));
  }
  return true;
}

}  // namespace

std::optional<ip_address> parse_ipv4(std::string_view text) {
  auto parts = split(text, '.');
  if (parts.size() != 4) return std::nullopt;
  ip_address address;
  for (std::size_t i = 0; i < 4; ++i) {
    auto part = parts[i];
    if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) return std::nullopt;
    unsigned value = 0;
    for (char c : part) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value > 255) return std::nullopt;
    address.bytes[i] = static_cast<std::uint8_t>(value);
  }
  return address;
}

std::optional<ip_address> parse_ipv6(std::string_view text) {
  std::vector<std::uint16_t> head;
  std::vector<std::uint16_t> tail;
  auto gap = text.find("::");
  if (gap == std::string_view::npos) {
    if (!parse_groups(text, true, head) || head.size() != 8) return std::nullopt;
  } else {
    auto rest = text.substr(gap + 2);
    if (rest.find("::") != std::string_view::npos) return std::nullopt;
    if (!parse_groups(text.substr(0, gap), false, head) || !parse_groups(rest, true, tail)) return std::nullopt;
    if (head.size() + tail.size() > 7) return std::nullopt;
    head.resize(8 - tail.size(), 0);
  }
  head.insert(head.end(), tail.begin(), tail.end());
  ip_address address;
  address.kind = ip_address::family::v6;
  for (std::size_t i = 0; i < 8; ++i) {
    address.bytes[2 * i] = static_cast<std::uint8_t>(head[i] >> 8);
    address.bytes[2 * i + 1] = static_cast<std::uint8_t>(head[i] & 0xff);
  }
  return address;
}

std::optional<ip_address> parse_ip(std::string_view text) {
  return text.find(':') == std::string_view::npos ? parse_ipv4(text) : parse_ipv6(text);
}

namespace {

std::string format_ipv4(const std::uint8_t* b) { return fmt::format("{}.{}.{}.{}", b[0], b[1], b[2], b[3]); }

bool is_ipv4_mapped(const ip_address& a) {
  for (std::size_t i = 0; i < 10; ++i)
    if (a.bytes[i] != 0) return false;
  return a.bytes[10] == 0xff && a.bytes[11] == 0xff;
}

}  // namespace

std::string format_ip(const ip_address& address) {
  if (address.kind == ip_address::family::v4) return format_ipv4(address.bytes.data());
  if (is_ipv4_mapped(address)) return "::ffff:" + format_ipv4(address.bytes.data() + 12);
  std::array<unsigned, 8> groups{};
  for (std::size_t i = 0; i < 8; ++i) groups[i] = static_cast<unsigned>(address.bytes[2 * i] << 8 | address.bytes[2 * i + 1]);
  // RFC 5952 4.2: the longest run of zero groups, at least two long.
  std::size_t best_start = 8, best_length = 0;
  for (std::size_t i = 0; i < 8;) {
    if (groups[i] != 0) { ++i; continue; }
    std::size_t j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_length && j - i >= 2) best_start = i, best_length = j - i;
    i = j;
  }
  std::string out;
  for (std::size_t i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_length - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    out += fmt::format("{:x}", groups[i]);
  }
  return out;
}

std::optional<std::string> canonical_ip(std::string_view text) {
  auto address = parse_ip(text);
  if (!address) return std::nullopt;
  return format_ip(*address);
}

}  // namespace dns
