// sim/core/random.cpp - xoshiro256** seeded through splitmix64.
#include "sim/core/random.hpp"

#include "sim/core/hash.hpp"

namespace sim {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }


}  // namespace

random_stream::random_stream(std::uint64_t seed) {
  for (auto& word : s_) word = splitmix64(seed);
}

std::uint64_t random_stream::next() {
  std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

// Rejection sampling: no modulo bias.
std::uint64_t random_stream::below(std::uint64_t bound) {
  if (bound == 0) return 0;
  std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % bound);
  for (;;) {
    std::uint64_t x = next();
    if (x < limit) return x % bound;
  }
}

std::int64_t random_stream::between(std::int64_t lo, std::int64_t hi) {
  if (hi <= lo) return lo;
  auto span = static_cast<std::uint64_t>(hi - lo) + 1;
  return lo + static_cast<std::int64_t>(span == 0 ? next() : below(span));
}

random_stream random_source::stream(std::string_view name) const {
  std::uint64_t mix = seed_ ^ fnv1a64(name);  // a stable hash of the name
  return random_stream(splitmix64(mix));
}

}  // namespace sim
