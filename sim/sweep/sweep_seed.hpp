// sim/sweep/sweep_seed.hpp - a sweep's work for one seed, as a JSON Lines record.
//
// The record is what `--out` writes and `--merge` reads, one line a seed:
//   {"scenario":"tour","file":"scenarios/tour.json","seed":17,"faults":"random",
//    "schedule":3,"ok":false,"violations":[{"invariant":"lost","detail":"..."}],
//    "deliveries":4,"duplicates_in_window":0,"events":812,"determinism_checked":false,
//    "replay":"mailsim run scenarios/tour.json --seed 17 --faults random",
//    "shrunk":[...timeline entries...]}
// `replay` and `shrunk` only for a failed seed.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/sweep/sweep_run.hpp"

namespace sim::sweep {

struct seed_options {
  seed_settings settings;
  bool check_determinism = false;  // run twice, compare the traces
  bool shrink = true;
};

struct seed_outcome {
  nlohmann::ordered_json record;
  std::string report;  // the lines printed for a failed seed ("" when it held)
  bool failed() const { return !record.value("ok", true); }
};

seed_outcome sweep_seed(const sweep_scenario& s, std::uint64_t seed, const seed_options& o);

}  // namespace sim::sweep
