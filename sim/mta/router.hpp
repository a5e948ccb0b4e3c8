// sim/mta/router.hpp - where mail for a recipient domain goes (RFC 5321 section 5.1).
//
// Local domains go to the LDA.  Everything else (relay-only domains too) is
// remote: through the smarthost when one is set, else to the domain's MX
// hosts.  This is the thin coroutine that asks the resolver; the decisions
// are made by the pure functions of mx_select.hpp.  Every remote route it
// finds is reported as an `mx.select` trace event.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fake_dns/resolver.hpp"
#include "sim/core/random.hpp"
#include "sim/core/trace.hpp"
#include "sim/mta/mx_select.hpp"

namespace sim::mta {

struct router_config {
  std::string host_name;                    // this MTA's host (trace host, "myself" by name)
  std::vector<std::string> addresses;       // its IP addresses ("myself" by address)
  std::vector<std::string> local_domains;   // delivered here by the LDA
  std::optional<std::string> smarthost;     // send all remote mail through this host
};

class router {
 public:
  // `random` is the host's own stream for shuffling equal MX preferences.
  router(router_config config, dns::resolver& resolver, sim::trace& trace, sim::random_stream random);

  bool is_local(std::string_view domain) const;
  // Routes one recipient domain.  `queue_id` (optional) is added to the trace event.
  asio::awaitable<route> route_domain(std::string domain, std::string queue_id = {});

 private:
  asio::awaitable<lookup_result> lookup(const std::string& name, dns::rr_type type);
  asio::awaitable<std::vector<address_lookup>> resolve_all(const exchange_list& list, const std::string& domain,
                                                           const std::string& queue_id);
  void warn_alias(const std::string& domain, const std::string& exchange, const lookup_result& a,
                  const std::string& queue_id);
  void emit_select(const std::string& domain, const std::string& queue_id, const route_remote& remote);

  router_config config_;
  self_identity self_;
  dns::resolver& resolver_;
  sim::trace& trace_;
  sim::random_stream random_;
};

}  // namespace sim::mta
