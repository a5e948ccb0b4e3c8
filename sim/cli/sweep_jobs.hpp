// sim/cli/sweep_jobs.hpp - a sweep's seeds in parallel processes (--jobs N).
//
// Each job is a fork()ed process that works on every N-th seed of the list
// and writes its outcomes to an unnamed temporary file; the parent waits for
// all of them and hands back the outcomes in seed order, so that the output
// does not depend on which process finished first.  POSIX only, kept here
// with the rest of the operating-system code of the program.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "sim/sweep/sweep_seed.hpp"

namespace sim::cli {

// Throws std::runtime_error when a job cannot start or dies.
std::vector<sweep::seed_outcome> run_seed_jobs(const std::vector<std::uint64_t>& seeds, unsigned jobs,
                                               const std::function<sweep::seed_outcome(std::uint64_t)>& work);

}  // namespace sim::cli
