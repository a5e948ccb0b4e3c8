// Tests for sim/core/time: durations, offsets and dates as text.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "sim/core/time.hpp"

using namespace std::chrono_literals;

TEST_CASE("durations parse in every unit and combination") {
  CHECK(sim::parse_duration("250ms") == sim::duration{250});
  CHECK(sim::parse_duration("30s") == sim::duration{30'000});
  CHECK(sim::parse_duration("5m") == sim::duration{300'000});
  CHECK(sim::parse_duration("1h30m") == sim::duration{5'400'000});
  CHECK(sim::parse_duration("5d") == sim::duration{432'000'000});
  CHECK(sim::parse_duration("0s") == sim::duration{0});
  CHECK(sim::parse_duration("1m500ms") == sim::duration{60'500});
}

TEST_CASE("malformed durations are refused") {
  for (const char* bad : {"", "5", "m", "5x", "1h 30m", "-5m", "5M", "1.5h", "5mm", "h5"}) {
    INFO(bad);
    CHECK_FALSE(sim::parse_duration(bad).has_value());
  }
}

TEST_CASE("format_duration reads back") {
  for (const char* text : {"250ms", "30s", "5m", "1h30m", "5d", "1d2h3m4s5ms"}) {
    auto d = sim::parse_duration(text);
    REQUIRE(d);
    CHECK(sim::format_duration(*d) == text);
  }
  CHECK(sim::format_duration(sim::duration{0}) == "0s");
}

TEST_CASE("offsets are shown as +HH:MM:SS") {
  CHECK(sim::format_offset(sim::at_millis(0)) == "+00:00:00");
  CHECK(sim::format_offset(sim::at_millis(300'000)) == "+00:05:00");
  CHECK(sim::format_offset(sim::at_millis(1'250)) == "+00:00:01.250");
  CHECK(sim::format_offset(sim::at_millis(90'000'000)) == "+1d01:00:00");
}

TEST_CASE("RFC 3339 times parse and print in UTC") {
  auto t = sim::parse_rfc3339("2026-01-05T09:00:00Z");
  REQUIRE(t);
  CHECK(sim::format_rfc3339(*t) == "2026-01-05T09:00:00Z");
  CHECK(sim::format_rfc5322_date(*t) == "Mon, 05 Jan 2026 09:00:00 +0000");
  auto frac = sim::parse_rfc3339("2026-01-05T09:00:00.5Z");
  REQUIRE(frac);
  CHECK(sim::format_rfc3339(*frac) == "2026-01-05T09:00:00.500Z");
  CHECK_FALSE(sim::parse_rfc3339("2026-02-30T09:00:00Z"));
  CHECK_FALSE(sim::parse_rfc3339("2026-01-05 09:00:00Z"));
  CHECK_FALSE(sim::parse_rfc3339("2026-01-05T09:00:00+01:00"));
}

// The digits are written by hand: checked against the printf form over
// four centuries of instants (leap days, the turn of each century, every
// weekday, hour, minute and second), and across the year 10000.
TEST_CASE("RFC 5322 dates match the printf form") {
  using namespace std::chrono;
  static const char* weekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto printf_form = [](sim::wall_time t) {
    auto day = floor<days>(t);
    year_month_day ymd{day};
    hh_mm_ss hms{floor<seconds>(t) - day};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d +0000", weekdays[weekday{day}.c_encoding()],
                  static_cast<unsigned>(ymd.day()), months[static_cast<unsigned>(ymd.month()) - 1],
                  static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
    return std::string(buf);
  };
  const sim::wall_time start = sys_days{year{1900} / January / 1};
  const sim::wall_time end = sys_days{year{2300} / January / 1};
  std::size_t checked = 0;
  for (auto t = start; t < end; t += hours{37} + minutes{11} + seconds{13} + milliseconds{7}, ++checked)
    REQUIRE(sim::format_rfc5322_date(t) == printf_form(t));
  CHECK(checked > 90'000);
  for (auto t : {sim::wall_time{sys_days{year{9999} / December / 31}} + hours{23} + minutes{59} + seconds{59},
                 sim::wall_time{sys_days{year{10000} / January / 1}}})
    CHECK(sim::format_rfc5322_date(t) == printf_form(t));
}
