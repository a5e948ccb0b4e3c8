// sim/mta/queue_id.hpp - queue ids in Postfix style: 10 upper-case hex digits.
//
// Drawn from the host's own random stream, so the same seed gives the same
// ids; unique per host: an id never repeats while the generator lives, and
// ids recovered from the spool after a restart are reserved first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "sim/core/random.hpp"

namespace sim::mta {

inline constexpr std::size_t queue_id_length = 10;

class queue_id_generator {
 public:
  explicit queue_id_generator(sim::random_stream stream) : stream_(stream) {}

  // A fresh id, different from every id issued or reserved before.
  std::string next();
  // Marks an id (one found in the spool) as taken.
  void reserve(std::string_view id);
  bool taken(std::string_view id) const;

 private:
  // An id is its 40 bits (the first digit the lowest four): a hash set of
  // numbers, since it grows with every message the host ever queued.
  static std::optional<std::uint64_t> value_of(std::string_view id);

  sim::random_stream stream_;
  std::unordered_set<std::uint64_t> taken_;
  std::unordered_set<std::string> odd_;  // reserved ids that are not 10 hex digits
};

// True for exactly 10 characters 0-9 / A-F.
bool valid_queue_id(std::string_view id);

}  // namespace sim::mta
