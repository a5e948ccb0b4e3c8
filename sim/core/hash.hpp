// sim/core/hash.hpp - FNV-1a, a stable 64-bit hash (std::hash is not stable across builds).
#pragma once

#include <cstdint>
#include <string_view>

namespace sim {

inline std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace sim
