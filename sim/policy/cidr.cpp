// sim/policy/cidr.cpp - address prefixes and matching.
#include "sim/policy/cidr.hpp"

namespace sim::policy {

std::string cidr::to_string() const { return format_ip(network) + "/" + std::to_string(prefix_length); }

bool in_prefix(const ip_address& address, const ip_address& network, int prefix_length) {
  if (is_v6(address) != is_v6(network)) return false;
  int max_length = static_cast<int>(address.size()) * 8;
  if (prefix_length < 0 || prefix_length > max_length) return false;
  int whole = prefix_length / 8;
  for (int i = 0; i < whole; ++i)
    if (address.bytes[static_cast<std::size_t>(i)] != network.bytes[static_cast<std::size_t>(i)]) return false;
  int rest = prefix_length % 8;
  if (rest == 0) return true;
  auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  auto at = static_cast<std::size_t>(whole);
  return (address.bytes[at] & mask) == (network.bytes[at] & mask);
}

std::optional<cidr> parse_cidr(std::string_view text) {
  auto slash = text.find('/');
  auto network = parse_ip(text.substr(0, slash));
  if (!network) return std::nullopt;
  int max_length = is_v6(*network) ? 128 : 32;
  if (slash == std::string_view::npos) return cidr{*network, max_length};
  auto digits = text.substr(slash + 1);
  if (digits.empty() || digits.size() > 3 || (digits.size() > 1 && digits[0] == '0')) return std::nullopt;
  int length = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    length = length * 10 + (c - '0');
  }
  if (length > max_length) return std::nullopt;
  return cidr{*network, length};
}

bool contains(const cidr& prefix, const ip_address& address) {
  return in_prefix(unmap_ipv4(address), prefix.network, prefix.prefix_length);
}

bool contains_any(const std::vector<cidr>& prefixes, const ip_address& address) {
  for (const auto& prefix : prefixes)
    if (contains(prefix, address)) return true;
  return false;
}

std::optional<std::vector<cidr>> parse_cidr_list(const std::vector<std::string>& texts, std::string* bad) {
  std::vector<cidr> prefixes;
  for (const auto& text : texts) {
    auto prefix = parse_cidr(text);
    if (!prefix) {
      if (bad) *bad = text;
      return std::nullopt;
    }
    prefixes.push_back(*prefix);
  }
  return prefixes;
}

}  // namespace sim::policy
