// sim/core/stopwatch.hpp - elapsed real time, for benchmarks and bounded tests.
//
// Lives in sim/core because no code elsewhere may read a real clock; nothing
// measured with it feeds back into a simulation.
#pragma once

#include <chrono>

namespace sim {

class stopwatch {
 public:
  stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace sim
