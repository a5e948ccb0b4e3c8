// sim/scenario/runner.hpp - playing a scenario in simulated time and checking it.
//
// Nothing of the run's trace is kept: every event goes to the caller's
// sinks as it happens (narration, --trace, a golden comparison) and to an
// expect_monitor for the trace-based expectations; the world keeps only the
// mail its expectations read (world_options).
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "sim/core/trace.hpp"
#include "sim/scenario/expect.hpp"
#include "sim/scenario/model.hpp"
#include "sim/scenario/world.hpp"

namespace sim::scenario {

struct run_options {
  std::optional<std::uint64_t> seed;     // --seed
  std::optional<sim::duration> until;    // --until
  std::function<void(const sim::event_view&)> on_event;  // every event as it happens
  // --maildir or --report reads the mailboxes afterwards (run_result::mailboxes).
  bool keep_mailboxes = false;
  // The world as the run left it (queues, mailboxes), after the
  // expectations and before it is stopped: the embedding API reads it here.
  std::function<void(const world&)> inspect;
};

struct run_result {
  std::uint64_t seed = 1;
  std::vector<expect_result> expectations;
  std::vector<world::mailbox_view> mailboxes;  // with keep_mailboxes only
  // With keep_mailboxes: every final delivery with the message as filed,
  // also those a POP3 fetch deleted afterwards (the report shows them).
  std::vector<delivery> deliveries;
  // The delivery analytics of each campaign (sim/campaign/analytics.hpp),
  // computed from the events as they streamed by; empty without campaigns.
  std::vector<campaign::campaign_result> campaigns;
  std::size_t failed() const;
  bool passed() const { return failed() == 0; }
};

// Builds the world on a virtual clock, runs until idle (or the stop time,
// at most 30 days), checks the expectations, reports expect.* and sim.end.
// Events go to `tr`'s sinks (the caller's: a JSON Lines file, a golden
// comparison) and to options.on_event.  `tr` is closed afterwards.  A
// coroutine that died of a bug is rethrown (the CLI's exit status 3).
run_result run_scenario(const scenario& s, const run_options& options, sim::trace& tr);
run_result run_scenario(const scenario& s, const run_options& options = {});

}  // namespace sim::scenario
