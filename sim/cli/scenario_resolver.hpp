// sim/cli/scenario_resolver.hpp - a scenario's fake DNS for the lookup commands (dns, spf, auth).
//
// Builds the scenario's world (its `dns`, `dns_files`, the hosts' automatic
// records and published DKIM keys), applies the DNS faults its timeline
// sets at "0s", and runs `body` against the resolver in simulated time.
#pragma once

#include <exception>
#include <variant>

#include "sim/core/virtual_clock.hpp"
#include "sim/scenario/world.hpp"

namespace sim::cli {

template <typename F>
void with_resolver(const scenario::scenario& s, F body) {
  asio::io_context ctx;
  sim::virtual_clock clk(ctx, s.start);
  sim::trace tr(&clk);
  scenario::world w(s, clk, tr, s.seed);
  for (const auto& entry : s.timeline)
    if (entry.at == time_point{})
      if (auto* f = std::get_if<scenario::dns_fault>(&entry.what)) w.resolver().faults().set(f->name, f->type, f->rcode);
  std::exception_ptr failure;
  asio::co_spawn(ctx, body(w.resolver()), [&](std::exception_ptr e) { failure = e; });
  clk.run();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace sim::cli
