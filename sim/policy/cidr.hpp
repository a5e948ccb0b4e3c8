// sim/policy/cidr.hpp - address prefixes (CIDR) and matching.
//
// Used by SPF ip4/ip6/a/mx (RFC 7208 section 5.6), by greylisting's
// whitelist and by the MTA's mynetworks.  Sans-I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/policy/ip_address.hpp"

namespace sim::policy {

struct cidr {
  ip_address network;
  int prefix_length = 32;

  // "192.0.2.0/24", "2001:db8::/32"
  std::string to_string() const;
  friend bool operator==(const cidr&, const cidr&) = default;
};

// True when the first `prefix_length` bits of both addresses agree.  The
// families must match: an IPv4 address never matches an IPv6 prefix.
bool in_prefix(const ip_address& address, const ip_address& network, int prefix_length);

// "192.0.2.0/24", "2001:db8::/32" or a bare address (a host prefix).  The
// length must be decimal without leading zeros and fit the family; host
// bits may be set ("192.0.2.1/24" names 192.0.2.0/24).
std::optional<cidr> parse_cidr(std::string_view text);

// An IPv4-mapped client is compared as IPv4 (RFC 4291 section 2.5.5.2).
bool contains(const cidr& prefix, const ip_address& address);
bool contains_any(const std::vector<cidr>& prefixes, const ip_address& address);

// Parses every entry; nullopt (and `bad` set to the entry) on the first
// invalid one.
std::optional<std::vector<cidr>> parse_cidr_list(const std::vector<std::string>& texts, std::string* bad = nullptr);

}  // namespace sim::policy
