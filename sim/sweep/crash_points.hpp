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
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/sweep/sweep_run.hpp"

namespace sim::sweep {

struct crash_point {
  std::string host;
  sim::duration at{};  // of the durable step
  std::string step;    // the event that shows it
};

// The durable steps of the scenario's run with this seed, one per host and millisecond.
std::vector<crash_point> find_crash_points(const sweep_scenario& s, std::uint64_t seed,
                                           const std::optional<sim::duration>& until);

struct crash_point_result {
  std::size_t tried = 0;    // runs (two per point, fewer where a crash cannot go)
  std::size_t skipped = 0;  // the host was down already (the scenario's own crash)
  std::size_t failed = 0;
  std::string report;       // the failing runs, each with its timeline entries
};

crash_point_result sweep_crash_points(const sweep_scenario& s, std::uint64_t seed,
                                      const std::optional<sim::duration>& until);

}  // namespace sim::sweep
