// sim/scenario/runner.cpp - one simulated run of a scenario.
#include "sim/scenario/runner.hpp"

#include <algorithm>

#include "sim/core/virtual_clock.hpp"

namespace sim::scenario {

std::size_t run_result::failed() const {
  return static_cast<std::size_t>(
      std::count_if(expectations.begin(), expectations.end(), [](const expect_result& r) { return !r.passed; }));
}

run_result run_scenario(const scenario& s, const run_options& options) {
  run_result out;
  out.seed = options.seed.value_or(s.seed);
  asio::io_context ctx;
  sim::virtual_clock clk(ctx, s.start);
  sim::trace tr(&clk);
  if (options.on_event) tr.on_event(options.on_event);
  {
    world w(s, clk, tr, out.seed);
    w.start();
    sim::duration limit = std::min(options.until.value_or(s.until.value_or(scenario::max_run)), scenario::max_run);
    clk.run(time_point{limit});
    if (w.failure()) std::rethrow_exception(w.failure());
    outcome o = w.collect();
    out.expectations = evaluate_all(s.expect, o);
    std::vector<std::pair<bool, sim::event>> events;
    for (const auto& r : out.expectations) events.emplace_back(r.passed, r.trace_fields());
    w.finish(events);
    out.mailboxes = w.mailboxes();
    out.deliveries = std::move(o.deliveries);
    out.events = tr.events();
    // Unwind whatever still waits (a run stopped by --until) while the
    // world is alive; nothing of it reaches the trace any more.
    tr.close();
    w.stop();
    ctx.restart();
    ctx.poll();
  }
  return out;
}

}  // namespace sim::scenario
