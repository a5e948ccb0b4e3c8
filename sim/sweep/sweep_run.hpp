// sim/sweep/sweep_run.hpp - one seed of a sweep: draw, run, judge.
//
// The scenario is kept as its JSON document; a seed's world is that
// document with the drawn schedule appended to its timeline, without its
// `expect` (faults may legitimately break it: the invariants judge the run)
// and without its `until` (the run goes until idle, at most 30 days, unless
// the sweep is given one), loaded again through the ordinary loader, so that
// what runs is exactly what the printed timeline says.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "sim/scenario/model.hpp"
#include "sim/sweep/fault_schedule.hpp"
#include "sim/sweep/invariants.hpp"

namespace sim::sweep {

struct sweep_scenario {
  std::string path;  // as given on the command line (for the replay command)
  scenario::json document;
  scenario::scenario base;  // as loaded, for drawing schedules
};

// Throws scenario::load_error.
sweep_scenario load_sweep_scenario(const std::string& path);

struct seed_settings {
  fault_density density = fault_density::random;
  std::optional<sim::duration> until;  // none: until idle
};

// The scenario a seed runs: the base document with `schedule` appended.
scenario::scenario scenario_with(const sweep_scenario& s, const fault_schedule& schedule,
                                 const std::optional<sim::duration>& until);

struct judged_run {
  run_verdict verdict;
  std::uint64_t trace_hash = 0;  // FNV-1a over every trace line (only when asked)
};

// Runs `s` with this seed, judged by the invariants; `hash` also hashes
// every line of the trace; `also` sees every event (a replay's printer).
judged_run judge_run(const scenario::scenario& s, std::uint64_t seed, bool idle_run, bool hash,
                     const std::function<void(const sim::event_view&)>& also = {});

// The command that replays one seed.
std::string replay_command(const sweep_scenario& s, std::uint64_t seed, const seed_settings& settings);

}  // namespace sim::sweep
