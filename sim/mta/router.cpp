// sim/mta/router.cpp - the router's DNS queries and its trace event.
#include "sim/mta/router.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

namespace sim::mta {

router::router(router_config config, dns::resolver& resolver, sim::trace& trace, sim::random_stream random)
    : config_(std::move(config)),
      self_{canonical_domain(config_.host_name), config_.addresses},
      resolver_(resolver),
      trace_(trace),
      random_(random) {
  for (auto& d : config_.local_domains) d = canonical_domain(d);
}

bool router::is_local(std::string_view domain) const {
  auto d = canonical_domain(domain);
  return std::find(config_.local_domains.begin(), config_.local_domains.end(), d) != config_.local_domains.end();
}

asio::awaitable<lookup_result> router::lookup(const std::string& name, dns::rr_type type) {
  auto answer = co_await resolver_.query(config_.host_name, name, type);
  co_return lookup_result{answer.code, std::move(answer.records)};
}

// A then AAAA for every exchange, in the order they will be tried.
asio::awaitable<std::vector<address_lookup>> router::resolve_all(const exchange_list& list, const std::string& domain,
                                                                 const std::string& queue_id) {
  std::vector<address_lookup> lookups;
  for (const auto& e : list.exchanges) {
    address_lookup one;
    one.a = co_await lookup(e.host, dns::rr_type::A);
    one.aaaa = co_await lookup(e.host, dns::rr_type::AAAA);
    if (!list.implicit && !config_.smarthost) warn_alias(domain, e.host, one.a, queue_id);
    lookups.push_back(std::move(one));
  }
  co_return lookups;
}

// RFC 2181 section 10.3: the exchange of an MX record must not be an alias.
// Like most MTAs, the router follows the CNAME anyway, and says so.
void router::warn_alias(const std::string& domain, const std::string& exchange, const lookup_result& a,
                        const std::string& queue_id) {
  for (const auto& r : a.records) {
    if (r.type != dns::rr_type::CNAME || canonical_domain(r.name) != canonical_domain(exchange)) continue;
    std::optional<std::string_view> id;  // no queue id for a lookup outside a delivery
    if (!queue_id.empty()) id = queue_id;
    trace_.emit(config_.host_name, "mta", "mx.cname",
                {{"queue_id", id}, {"domain", domain}, {"exchange", exchange}, {"target", r.data}});
    return;
  }
}

asio::awaitable<route> router::route_domain(std::string domain, std::string queue_id) {
  domain = canonical_domain(domain);
  if (is_local(domain)) co_return route_local{};
  std::variant<exchange_list, route_failure> ordered;
  if (config_.smarthost) {
    // A smarthost is used by its address only, never by its MX records.
    ordered = smarthost_exchanges(domain, *config_.smarthost, self_);
  } else {
    ordered = order_exchanges(domain, co_await lookup(domain, dns::rr_type::MX), self_, random_);
  }
  if (auto* failure = std::get_if<route_failure>(&ordered)) co_return *failure;
  const auto& list = std::get<exchange_list>(ordered);
  auto selected = select_candidates(domain, list, co_await resolve_all(list, domain, queue_id), self_);
  if (auto* failure = std::get_if<route_failure>(&selected)) co_return *failure;
  auto& remote = std::get<route_remote>(selected);
  emit_select(domain, queue_id, remote);
  co_return std::move(remote);
}

void router::emit_select(const std::string& domain, const std::string& queue_id, const route_remote& remote) {
  std::vector<trace_object> candidates;
  for (const auto& c : remote.candidates)
    candidates.push_back({{"preference", c.preference}, {"host", c.host}, {"ip", c.ip}});
  std::optional<std::string> smarthost;
  if (config_.smarthost) smarthost = canonical_domain(*config_.smarthost);
  trace_.emit(config_.host_name, "mta", "mx.select",
              {{"queue_id", queue_id.empty() ? trace_value() : trace_value(queue_id)},
               {"domain", domain},
               {"candidates", candidates},
               {"implicit", remote.implicit},
               {"smarthost", smarthost}});
}

}  // namespace sim::mta
