// sim/core/time.hpp - simulated time, durations and their text forms.
//
// Simulated time is counted in milliseconds from the scenario's start
// (t = 0).  The wall clock shown in Date: and Received: headers is the
// scenario's `start` plus that offset.  Nothing here reads a real clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sim {

using duration = std::chrono::milliseconds;
struct scenario_epoch;  // tag: t = 0 is the scenario's start
using time_point = std::chrono::time_point<scenario_epoch, duration>;
using wall_time = std::chrono::sys_time<duration>;

inline std::int64_t millis(time_point t) { return t.time_since_epoch().count(); }
inline time_point at_millis(std::int64_t ms) { return time_point{duration{ms}}; }

// "250ms", "30s", "5m", "1h30m", "5d": one or more <number><unit> parts.
std::optional<duration> parse_duration(std::string_view text);
// The shortest text parse_duration() reads back to the same value ("1h30m").
std::string format_duration(duration d);
// "+00:05:00" (or "+1d02:00:00" past a day), millisecond part when non-zero.
std::string format_offset(time_point t);
// RFC 3339 "2026-01-05T09:00:00Z" (UTC only, optional fraction).
std::optional<wall_time> parse_rfc3339(std::string_view text);
std::string format_rfc3339(wall_time t);
// RFC 5322 section 3.3 date-time: "Mon, 05 Jan 2026 09:00:00 +0000".
std::string format_rfc5322_date(wall_time t);

}  // namespace sim
