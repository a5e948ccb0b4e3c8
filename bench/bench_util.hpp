// Timing helper for the benchmarks (real time through sim::stopwatch; no
// figure measured here feeds back into a simulation).
#pragma once

#include <cstdio>

#include "sim/core/stopwatch.hpp"

namespace bench {

template <typename F>
double seconds_for(F&& f) {
  sim::stopwatch watch;
  f();
  return watch.seconds();
}

inline void report(const char* what, double count, double seconds) {
  std::printf("%-40s %12.0f in %7.3f s = %12.0f /s\n", what, count, seconds, count / seconds);
}

}  // namespace bench
