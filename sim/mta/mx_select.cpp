// sim/mta/mx_select.cpp - MX ordering and candidate selection (RFC 5321 section 5.1, RFC 7505).
#include "sim/mta/mx_select.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

namespace sim::mta {

namespace {

// Anything but an answer or a definite "no such name" may go away on retry.
bool is_temporary(dns::rcode code) { return code != dns::rcode::noerror && code != dns::rcode::nxdomain; }

route_failure not_found(std::string_view name, std::string_view type) {
  return {"5.1.2", fmt::format("Host or domain name not found. Name service error for name={} type={}: Host not found",
                               name, type), true, false};
}

route_failure try_again(std::string_view name, std::string_view type) {
  return {"4.4.3", fmt::format("Host or domain name not found. Name service error for name={} type={}: Host not "
                               "found, try again", name, type), false, false};
}

route_failure loops_back(std::string_view domain) {
  return {"5.4.6", fmt::format("mail for {} loops back to myself", domain), true, false};
}

// own_preference - spot myself among the mail exchangers: the best
// preference at which `is_self` holds, if any.
template <typename Pred>
std::optional<std::uint16_t> own_preference(const std::vector<exchange>& exchanges, Pred is_self) {
  std::optional<std::uint16_t> best;
  for (std::size_t i = 0; i < exchanges.size(); ++i) {
    if (is_self(i) && (!best || exchanges[i].preference < *best)) best = exchanges[i].preference;
  }
  return best;
}

// If we are a backup MX, do not relay to MXs with a greater (or our own)
// preference value.  `keep[i]` tells which exchanges survive.
std::vector<bool> below_own_preference(const std::vector<exchange>& exchanges, std::optional<std::uint16_t> own) {
  std::vector<bool> keep(exchanges.size(), true);
  if (!own) return keep;
  for (std::size_t i = 0; i < exchanges.size(); ++i) keep[i] = exchanges[i].preference < *own;
  return keep;
}

// Sorted by preference, equal preferences in random order (RFC 5321
// section 5.1: "randomize them to spread the load").  Sorting by name first
// makes the result independent of the order of the DNS answer.
void sort_and_shuffle(std::vector<exchange>& exchanges, sim::random_stream& random) {
  std::sort(exchanges.begin(), exchanges.end(), [](const exchange& a, const exchange& b) {
    return a.preference != b.preference ? a.preference < b.preference : a.host < b.host;
  });
  for (auto first = exchanges.begin(); first != exchanges.end();) {
    auto last = std::find_if(first, exchanges.end(),
                             [&](const exchange& e) { return e.preference != first->preference; });
    random.shuffle(first, last);
    first = last;
  }
}

// The MX records of an answer (CNAMEs skipped), each exchange once at its
// best preference.
std::vector<exchange> exchanges_of(const lookup_result& mx) {
  std::vector<exchange> found;
  for (const auto& r : mx.records) {
    if (r.type != dns::rr_type::MX) continue;
    auto host = canonical_domain(r.data);
    auto same = std::find_if(found.begin(), found.end(), [&](const exchange& e) { return e.host == host; });
    if (same == found.end()) found.push_back({r.preference, host});
    else same->preference = std::min(same->preference, r.preference);
  }
  return found;
}

}  // namespace

std::string canonical_domain(std::string_view name) {
  std::string out(name);
  if (!out.empty() && out.back() == '.') out.pop_back();
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
  return out;
}

std::variant<exchange_list, route_failure> order_exchanges(std::string_view domain, const lookup_result& mx,
                                                           const self_identity& self,
                                                           sim::random_stream& random) {
  if (mx.code == dns::rcode::nxdomain) return not_found(domain, "MX");
  if (mx.code != dns::rcode::noerror) return try_again(domain, "MX");
  exchange_list list;
  list.exchanges = exchanges_of(mx);
  if (list.exchanges.empty()) {
    // No MX records: the domain itself is the implicit MX (RFC 5321 section 5.1).
    list.exchanges.push_back({0, canonical_domain(domain)});
    list.implicit = true;
  } else if (std::all_of(list.exchanges.begin(), list.exchanges.end(),
                         [](const exchange& e) { return e.host.empty(); })) {
    // RFC 7505 section 3: a null MX says the domain accepts no mail; fail at once.
    return route_failure{"5.1.10", fmt::format("Domain {} does not accept mail (nullMX)", domain), true, true};
  }
  // A "." beside real exchanges is a misconfiguration; the root is no host to try.
  std::erase_if(list.exchanges, [](const exchange& e) { return e.host.empty(); });
  auto me = canonical_domain(self.host_name);
  auto own = own_preference(list.exchanges, [&](std::size_t i) { return list.exchanges[i].host == me; });
  auto keep = below_own_preference(list.exchanges, own);
  std::vector<exchange> kept;
  for (std::size_t i = 0; i < keep.size(); ++i) {
    if (keep[i]) kept.push_back(list.exchanges[i]);
  }
  if (kept.empty()) return loops_back(domain);
  sort_and_shuffle(kept, random);
  list.exchanges = std::move(kept);
  return list;
}

std::variant<exchange_list, route_failure> smarthost_exchanges(std::string_view domain, std::string_view smarthost,
                                                               const self_identity& self) {
  auto host = canonical_domain(smarthost);
  if (host == canonical_domain(self.host_name)) return loops_back(domain);
  return exchange_list{{{0, host}}, false};
}

std::variant<route_remote, route_failure> select_candidates(std::string_view domain, const exchange_list& list,
                                                            const std::vector<address_lookup>& lookups,
                                                            const self_identity& self) {
  const auto& exchanges = list.exchanges;
  auto addresses_of = [&](std::size_t i) {
    std::vector<std::string> ips;
    for (const auto* answer : {&lookups.at(i).a, &lookups.at(i).aaaa}) {
      for (const auto& r : answer->records) {
        if (r.type == dns::rr_type::A || r.type == dns::rr_type::AAAA) ips.push_back(r.data);
      }
    }
    return ips;
  };
  auto own = own_preference(exchanges, [&](std::size_t i) {
    auto ips = addresses_of(i);
    return std::any_of(ips.begin(), ips.end(), [&](const std::string& ip) {
      return std::find(self.addresses.begin(), self.addresses.end(), ip) != self.addresses.end();
    });
  });
  auto keep = below_own_preference(exchanges, own);
  if (std::find(keep.begin(), keep.end(), true) == keep.end()) return loops_back(domain);

  route_remote remote{{}, list.implicit};
  std::optional<route_failure> temporary;
  for (std::size_t i = 0; i < exchanges.size(); ++i) {
    if (!keep[i]) continue;
    for (auto& ip : addresses_of(i)) {
      bool seen = std::any_of(remote.candidates.begin(), remote.candidates.end(),
                              [&](const candidate& c) { return c.ip == ip; });
      if (!seen) remote.candidates.push_back({exchanges[i].preference, exchanges[i].host, std::move(ip)});
    }
    // An exchange with no address is skipped; remember a temporary reason.
    if (!temporary && is_temporary(lookups[i].a.code)) temporary = try_again(exchanges[i].host, "A");
    if (!temporary && is_temporary(lookups[i].aaaa.code)) temporary = try_again(exchanges[i].host, "AAAA");
  }
  if (!remote.candidates.empty()) return remote;
  if (temporary) return *temporary;
  // Every exchange is known to have no address: retrying will not help.
  return route_failure{"5.4.4", list.implicit
      ? fmt::format("Host or domain name not found. Name service error for name={} type=A: No address", domain)
      : fmt::format("No address for any mail exchanger of {}", domain), true, false};
}

}  // namespace sim::mta
