// sim/core/random.hpp - seeded random numbers, one named sub-stream per component.
//
// One seed per run.  stream("mta/mail.example.org/mx") derives its own
// generator from (seed, name), so adding a component never changes another
// component's numbers.  The generator (xoshiro256**) and every
// distribution are written out here, so results are the same with any
// standard library.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>

namespace sim {

class random_stream {
 public:
  explicit random_stream(std::uint64_t seed);
  std::uint64_t next();
  // Uniform in [0, bound); bound 0 gives 0.
  std::uint64_t below(std::uint64_t bound);
  // Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi);
  // Fisher-Yates shuffle of [first, last).
  template <typename It>
  void shuffle(It first, It last) {
    auto n = static_cast<std::uint64_t>(last - first);
    for (std::uint64_t i = n; i > 1; --i) {
      auto j = below(i);
      using std::swap;
      swap(first[static_cast<std::ptrdiff_t>(i - 1)], first[static_cast<std::ptrdiff_t>(j)]);
    }
  }

 private:
  std::uint64_t s_[4];
};

class random_source {
 public:
  explicit random_source(std::uint64_t seed) : seed_(seed) {}
  std::uint64_t seed() const { return seed_; }
  random_stream stream(std::string_view name) const;

 private:
  std::uint64_t seed_;
};

}  // namespace sim
