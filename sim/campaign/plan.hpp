// sim/campaign/plan.hpp - when each message of a campaign is submitted and
// to whom.
//
// Recipients go out in list order, `batch` to a message; with a rate of N
// messages per period, message k is submitted k x period / N after the
// campaign's `at` (k = 0, 1, ...), so the submissions are evenly spread and
// no period holds more than N.  Without a rate the messages go one after
// the other, each when the previous submission has ended (the world does
// that; submit_offset() is then 0).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/campaign/spec.hpp"

namespace sim::campaign {

// "50/s", "3000/h", "10/5m": a count, '/', a duration whose number may be
// left out ("s" = "1s").  The error says what is wrong ("a rate cannot be
// negative").
inline constexpr sim::duration max_rate_period = std::chrono::days{30};
struct rate_parse {
  std::optional<rate> value;
  std::string error;
};
rate_parse parse_rate(std::string_view text);

std::uint64_t message_count(std::uint64_t recipients, std::uint64_t batch);
// The first recipient (index in the list) of message k and how many it has.
std::pair<std::uint64_t, std::uint64_t> batch_of(std::uint64_t k, std::uint64_t recipients, std::uint64_t batch);
// When message k is submitted, after the campaign starts.
sim::duration submit_offset(std::uint64_t k, const std::optional<rate>& pace);

}  // namespace sim::campaign
