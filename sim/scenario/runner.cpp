// sim/scenario/runner.cpp - one simulated run of a scenario.
#include "sim/scenario/runner.hpp"

#include <algorithm>

#include "sim/core/virtual_clock.hpp"
#include "sim/scenario/expect_monitor.hpp"

namespace sim::scenario {

std::size_t run_result::failed() const {
  return static_cast<std::size_t>(
      std::count_if(expectations.begin(), expectations.end(), [](const expect_result& r) { return !r.passed; }));
}

namespace {

// A sink for the length of a run.
class attached_sink {
 public:
  attached_sink(sim::trace& tr, sim::trace::sink s) : tr_(tr), id_(s ? tr.on_event(std::move(s)) : none) {}
  ~attached_sink() { detach(); }
  attached_sink(const attached_sink&) = delete;
  attached_sink& operator=(const attached_sink&) = delete;
  void detach() {
    if (id_ != none) tr_.remove_sink(id_);
    id_ = none;
  }

 private:
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  sim::trace& tr_;
  std::size_t id_;
};

}  // namespace

run_result run_scenario(const scenario& s, const run_options& options, sim::trace& tr) {
  run_result out;
  out.seed = options.seed.value_or(s.seed);
  // One thread and no sockets: the scheduler needs no locking.
  asio::io_context ctx(BOOST_ASIO_CONCURRENCY_HINT_UNSAFE);
  sim::virtual_clock clk(ctx, s.start);
  tr.set_clock(&clk);
  attached_sink caller(tr, options.on_event);
  expect_monitor monitor(s.expect);
  attached_sink watcher(tr, monitor.empty() ? sim::trace::sink() : [&monitor](const sim::event_view& e) {
    monitor.observe(e);
  });
  std::vector<std::string> campaign_ids;
  for (const campaign_action* c : s.campaigns()) campaign_ids.push_back(c->id);
  campaign::analytics stats(campaign_ids);
  for (const campaign_action* c : s.campaigns())
    if (c->engagement) stats.set_engagement(c->id);
  attached_sink counter(tr, campaign_ids.empty() ? sim::trace::sink() : [&stats](const sim::event_view& e) {
    if (campaign::analytics::wants(e.name())) stats.observe(e);
  });
  {
    world w(s, clk, tr, out.seed, {}, retention_for(s, options.keep_mailboxes));
    w.start();
    sim::duration limit = std::min(options.until.value_or(s.until.value_or(scenario::max_run)), scenario::max_run);
    clk.run(time_point{limit});
    if (w.failure()) std::rethrow_exception(w.failure());
    // The expectations judge the run, not their own events.
    watcher.detach();
    counter.detach();
    outcome& o = w.collect();
    o.monitor = &monitor;
    if (!campaign_ids.empty()) o.campaigns = out.campaigns = stats.results();
    out.expectations = evaluate_all(s.expect, o);
    w.finish(out.expectations);
    if (options.keep_mailboxes) out.mailboxes = w.mailboxes();
    if (options.keep_mailboxes) out.deliveries = std::move(o.deliveries);
    if (options.inspect) options.inspect(w);
    // Unwind whatever still waits (a run stopped by --until) while the
    // world is alive; nothing of it reaches the trace any more.
    tr.close();
    w.stop();
    ctx.restart();
    ctx.poll();
  }
  tr.set_clock(nullptr);
  return out;
}

run_result run_scenario(const scenario& s, const run_options& options) {
  sim::trace tr;
  return run_scenario(s, options, tr);
}

}  // namespace sim::scenario
