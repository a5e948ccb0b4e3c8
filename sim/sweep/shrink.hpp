// sim/sweep/shrink.hpp - the smallest fault schedule that still fails.
//
// Delta debugging (Zeller and Hildebrandt, "Simplifying and Isolating
// Failure-Inducing Input", 2002) over fault units: remove chunks of the
// schedule, halves first, then smaller pieces down to single units, keeping
// any removal after which the same invariant still fails, until no single
// unit can go.  The result is 1-minimal: each remaining fault is needed.
#pragma once

#include <functional>
#include <string>

#include "sim/sweep/fault_schedule.hpp"

namespace sim::sweep {

// `still_fails(candidate)` runs the candidate schedule and says whether the
// invariant fails.  `runs` counts the runs tried.
fault_schedule shrink_schedule(fault_schedule failing, const std::function<bool(const fault_schedule&)>& still_fails,
                               std::size_t* runs = nullptr);

}  // namespace sim::sweep
