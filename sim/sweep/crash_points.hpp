// sim/sweep/crash_points.hpp - crash-point sweeps: a crash at every durable step.
//
// A first run of the scenario (no faults) notes every moment a host made
// something durable or let it go, as the trace shows it: a message taken
// into a queue (queue.enqueue, once its file is written), a recipient
// settled (queue.delivered, queue.bounce: the file is rewritten next), a
// file removed (queue.remove), a message filed in a mailbox (lda.deliver).
// Then one run per point and side: the host crashes one millisecond before
// it, or one millisecond after it, and restarts a minute later.  The
// timeline works in milliseconds, so "before" and "after" are as close as
// a scenario can say; each point is an ordinary crash and restart pair, so
// a failing one prints as timeline entries to paste.  Every invariant is
// checked at every point (invariant 1, no message lost, above all).
//
// Each run is one JSON Lines record, like a seed's (sweep_seed.hpp), so that
// `--jobs`, `--shard` and `--out` work on crash points as on seeds:
//   {"scenario":"tour","file":"scenarios/tour.json","seed":1,
//    "crash_point":{"index":3,"host":"mx1.example.org","at":"2s","step":"queue.enqueue","side":"before"},
//    "ok":true,"skipped":false,"violations":[],"deliveries":2,"duplicates_in_window":0,"events":240,
//    "determinism_checked":false}
// plus, for a failed run, `replay` (a description: the command and the
// point) and `timeline` (the crash and restart entries to paste).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/sweep/sweep_run.hpp"
#include "sim/sweep/sweep_seed.hpp"

namespace sim::sweep {

struct crash_point {
  std::string host;
  sim::duration at{};  // of the durable step
  std::string step;    // the event that shows it
};

// The durable steps of the scenario's run with this seed, one per host and millisecond.
std::vector<crash_point> find_crash_points(const sweep_scenario& s, std::uint64_t seed,
                                           const std::optional<sim::duration>& until);

// One run: a point and a side (-1: 1 ms before the step, +1: 1 ms after).
struct crash_run {
  std::size_t index = 0;  // its place in the list, from 0 (the record's and the shards' order)
  crash_point point;
  int side = -1;
};

// Both sides of every point, in order (none before the start of the run).
std::vector<crash_run> crash_runs(const std::vector<crash_point>& points);

// One crash run judged by the invariants; skipped (and ok) when the
// scenario's own crash has the host down at that moment.
seed_outcome crash_point_outcome(const sweep_scenario& s, std::uint64_t seed, const crash_run& c,
                                 const std::optional<sim::duration>& until);

}  // namespace sim::sweep
