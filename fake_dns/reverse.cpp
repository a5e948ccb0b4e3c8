// fake_dns/reverse.cpp - in-addr.arpa / ip6.arpa and DNSBL names.
#include "fake_dns/reverse.hpp"

#include <fmt/format.h>

namespace dns {
namespace {

// Octets (IPv4) or nibbles (IPv6), least significant first, dot-separated.
std::string reversed_labels(const ip_address& address) {
  std::string out;
  for (std::size_t i = address.size(); i-- > 0;) {
    auto octet = address.bytes[i];
    if (address.kind == ip_address::family::v4) {
      out += fmt::format("{}{}", out.empty() ? "" : ".", octet);
    } else {
      out += fmt::format("{}{:x}.{:x}", out.empty() ? "" : ".", octet & 0x0f, octet >> 4);
    }
  }
  return out;
}

ip_address checked_ip(std::string_view ip) {
  auto address = parse_ip(ip);
  if (!address) throw parse_error(fmt::format("\"{}\" is not a valid IPv4 or IPv6 address", ip));
  return *address;
}

}  // namespace

std::string reverse_name(const ip_address& address) {
  auto zone = address.kind == ip_address::family::v4 ? "in-addr.arpa" : "ip6.arpa";
  return reversed_labels(address) + "." + zone;
}

std::string dnsbl_query_name(const ip_address& address, std::string_view zone) {
  auto apex = canonical_name(zone);
  auto labels = reversed_labels(address);
  return canonical_name(apex.empty() ? labels : labels + "." + presentation_name(apex));
}

std::string reverse_name(std::string_view ip) { return reverse_name(checked_ip(ip)); }

std::string dnsbl_query_name(std::string_view ip, std::string_view zone) {
  return dnsbl_query_name(checked_ip(ip), zone);
}

std::vector<record> auto_host_records(std::string_view host_name, std::string_view ip, std::uint32_t ttl) {
  auto address = checked_ip(ip);
  record forward;
  forward.name = canonical_name(host_name);
  forward.ttl = ttl;
  forward.type = address.kind == ip_address::family::v4 ? rr_type::A : rr_type::AAAA;
  forward.data = format_ip(address);
  record pointer;
  pointer.name = reverse_name(address);
  pointer.ttl = ttl;
  pointer.type = rr_type::PTR;
  pointer.data = forward.name;
  return {forward, pointer};
}

}  // namespace dns
