// sim/sweep/fault_schedule.hpp - a random fault schedule drawn from a seed.
//
// A schedule is a list of fault units, each one bounded in time: a fault and
// the heal that ends it, or a crash and the restart that ends it.  Every
// unit is a pair of ordinary timeline entries (scenario-format.md), so a
// schedule prints as a timeline a user can paste into a scenario, and the
// run that replays a seed is the scenario with those entries appended.
//
// The schedule comes from the seed alone (sim::random_source, stream
// "sweep/faults"): same scenario, seed and density, same schedule.  The
// distribution is documented in sim/sweep/README.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/scenario/model.hpp"

namespace sim::sweep {

enum class fault_density { none, random, heavy };

std::string_view density_name(fault_density d);
// "none", "random" or "heavy"; nullopt for anything else.
std::optional<fault_density> parse_density(std::string_view text);

// One fault and what ends it: two timeline entries ("fault" then "heal",
// or "crash" then "restart").
struct fault_unit {
  scenario::json begin;  // {"at": ..., "fault"|"crash": ...}
  scenario::json end;    // {"at": ..., "heal"|"restart": ...}
  sim::duration start{};
  sim::duration stop{};
};

using fault_schedule = std::vector<fault_unit>;

// Draws the schedule for this seed over the scenario's hosts, mailboxes and
// domains.  `none` gives an empty schedule.
fault_schedule draw_schedule(const scenario::scenario& s, std::uint64_t seed, fault_density density);

// The schedule as timeline entries, in time order (ties: begin before end).
scenario::json schedule_timeline(const fault_schedule& f);

}  // namespace sim::sweep
