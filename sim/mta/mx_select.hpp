// sim/mta/mx_select.hpp - route results and the sans-I/O MX selection (RFC 5321 section 5.1).
//
// The router (router.hpp) does the DNS queries; everything it decides from
// the answers is here, as pure functions of those answers, the host's own
// identity and its random stream:
//   1. order_exchanges(): the MX answer -> exchanges to resolve, in the
//      order they will be tried (or a failure decided at once);
//   2. select_candidates(): the exchanges' address answers -> the list of
//      (preference, host, ip) to try (or a failure).
// No Asio here: lookup_result mirrors dns::answer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fake_dns/record.hpp"
#include "sim/core/random.hpp"

namespace sim::mta {

struct candidate {
  std::uint16_t preference = 0;
  std::string host;
  std::string ip;
  friend bool operator==(const candidate&, const candidate&) = default;
};

// Deliver to the LDA on this host.
struct route_local {
  friend bool operator==(const route_local&, const route_local&) = default;
};
// Try these hosts in order.  `implicit`: the domain had no MX and its own
// address is used (RFC 5321 section 5.1).
struct route_remote {
  std::vector<candidate> candidates;
  bool implicit = false;
  friend bool operator==(const route_remote&, const route_remote&) = default;
};
// No delivery possible now (`permanent` false: retry later) or ever.
struct route_failure {
  std::string enhanced_status;  // RFC 3463, "5.1.2"
  std::string text;
  bool permanent = false;
  bool null_mx = false;  // RFC 7505: the domain publishes that it accepts no mail
  friend bool operator==(const route_failure&, const route_failure&) = default;
};
using route = std::variant<route_local, route_remote, route_failure>;

// Who "myself" is when looking for a mail loop or a backup MX role.
struct self_identity {
  std::string host_name;               // canonical host name
  std::vector<std::string> addresses;  // its IP addresses in text form
};

// One DNS answer, as the resolver gave it.
struct lookup_result {
  dns::rcode code = dns::rcode::noerror;
  std::vector<dns::record> records;
};

struct exchange {
  std::uint16_t preference = 0;
  std::string host;
  friend bool operator==(const exchange&, const exchange&) = default;
};
struct exchange_list {
  std::vector<exchange> exchanges;  // in the order they will be tried
  bool implicit = false;
};

// Lower-case, without a trailing dot: how names are compared.
std::string canonical_domain(std::string_view name);

// Step 1: from the MX answer for `domain`.  Sorts by preference, shuffles
// equal preferences with `random`, and drops exchanges at or past our own
// preference when we are one of them by name.
std::variant<exchange_list, route_failure> order_exchanges(std::string_view domain, const lookup_result& mx,
                                                           const self_identity& self,
                                                           sim::random_stream& random);

// Step 1 with a smarthost: that one host, whatever the domain's MX records
// say; a smarthost that is this very host is a mail loop.
std::variant<exchange_list, route_failure> smarthost_exchanges(std::string_view domain, std::string_view smarthost,
                                                               const self_identity& self);

// The addresses of one exchange: its A answer, then its AAAA answer.
struct address_lookup {
  lookup_result a;
  lookup_result aaaa;
};

// Step 2: `lookups[i]` belongs to `list.exchanges[i]`.  Drops exchanges at
// or past our own preference when we are one of them by address, skips
// exchanges without an address, and fails when nothing is left.
std::variant<route_remote, route_failure> select_candidates(std::string_view domain, const exchange_list& list,
                                                            const std::vector<address_lookup>& lookups,
                                                            const self_identity& self);

}  // namespace sim::mta
