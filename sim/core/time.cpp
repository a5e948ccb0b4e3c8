// sim/core/time.cpp - durations, offsets and dates as text.
#include "sim/core/time.hpp"

#include <array>
#include <cctype>
#include <cstdio>

namespace sim {
namespace {

struct unit {
  std::string_view name;
  std::int64_t ms;
};
// Longest names first so "ms" is not read as "m" followed by junk.
constexpr std::array<unit, 5> units{{{"ms", 1}, {"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1000}}};

}  // namespace

std::optional<duration> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::int64_t number = 0;
    std::size_t digits = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      number = number * 10 + (text[i] - '0');
      if (number > 1'000'000'000'000LL) return std::nullopt;
      ++i;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    const unit* found = nullptr;
    for (const auto& u : units) {
      if (text.substr(i, u.name.size()) == u.name) {
        found = &u;
        break;
      }
    }
    if (!found) return std::nullopt;
    i += found->name.size();
    total += number * found->ms;
  }
  return duration{total};
}

std::string format_duration(duration d) {
  std::int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  for (const auto& u : {units[1], units[2], units[3], units[4], units[0]}) {
    if (ms >= u.ms) {
      out += std::to_string(ms / u.ms) + std::string(u.name);
      ms %= u.ms;
    }
  }
  return out;
}

std::string format_offset(time_point t) {
  std::int64_t ms = millis(t);
  const char* sign = "+";
  if (ms < 0) {
    sign = "-";
    ms = -ms;
  }
  std::int64_t days = ms / 86'400'000;
  std::int64_t rest = ms % 86'400'000;
  char buf[64];
  int h = static_cast<int>(rest / 3'600'000), m = static_cast<int>(rest / 60'000 % 60);
  int s = static_cast<int>(rest / 1000 % 60), frac = static_cast<int>(rest % 1000);
  std::string day = days ? std::to_string(days) + "d" : "";
  if (frac)
    std::snprintf(buf, sizeof buf, "%s%s%02d:%02d:%02d.%03d", sign, day.c_str(), h, m, s, frac);
  else
    std::snprintf(buf, sizeof buf, "%s%s%02d:%02d:%02d", sign, day.c_str(), h, m, s);
  return buf;
}

namespace {

bool read_int(std::string_view s, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

// RFC 3339 section 5.6, UTC ("Z" or "+00:00") only: scenarios are in UTC.
std::optional<wall_time> parse_rfc3339(std::string_view s) {
  int y, mo, d, h, mi, se;
  if (!read_int(s, 0, 4, y) || s.size() < 20 || s[4] != '-' || !read_int(s, 5, 2, mo) || s[7] != '-' ||
      !read_int(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't') || !read_int(s, 11, 2, h) || s[13] != ':' ||
      !read_int(s, 14, 2, mi) || s[16] != ':' || !read_int(s, 17, 2, se))
    return std::nullopt;
  std::size_t i = 19;
  int frac_ms = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      if (digits < 3) frac_ms = frac_ms * 10 + (s[i] - '0');
      ++digits;
      ++i;
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 3; ++digits) frac_ms *= 10;
  }
  std::string_view zone = s.substr(i);
  if (zone != "Z" && zone != "z" && zone != "+00:00") return std::nullopt;
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || se > 59) return std::nullopt;
  return wall_time{sys_days{ymd}.time_since_epoch() + hours{h} + minutes{mi} + seconds{se} + milliseconds{frac_ms}};
}

std::string format_rfc3339(wall_time t) {
  using namespace std::chrono;
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss hms{t - day};
  char buf[40];
  int ms = static_cast<int>(hms.subseconds().count());
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  std::string out = buf;
  if (ms) {
    std::snprintf(buf, sizeof buf, ".%03d", ms);
    out += buf;
  }
  return out + "Z";
}

// RFC 5322 section 3.3; always UTC, written "+0000".
std::string format_rfc5322_date(wall_time t) {
  using namespace std::chrono;
  static constexpr std::array<const char*, 7> weekdays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto day = floor<days>(t);
  year_month_day ymd{day};
  weekday wd{day};
  hh_mm_ss hms{floor<seconds>(t) - day};
  const int year = static_cast<int>(ymd.year());
  char buf[64];
  if (year < 0 || year > 9999) {
    std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d +0000", weekdays[wd.c_encoding()],
                  static_cast<unsigned>(ymd.day()), months[static_cast<unsigned>(ymd.month()) - 1], year,
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf;
  }
  // Every message's Received and Date fields carry one: written digit by
  // digit, as the snprintf above would (a tenth of its cost).
  std::string out = "Www, DD Mmm YYYY hh:mm:ss +0000";
  auto two = [&out](std::size_t at, long v) {
    out[at] = static_cast<char>('0' + v / 10);
    out[at + 1] = static_cast<char>('0' + v % 10);
  };
  out.replace(0, 3, weekdays[wd.c_encoding()]);
  two(5, static_cast<unsigned>(ymd.day()));
  out.replace(8, 3, months[static_cast<unsigned>(ymd.month()) - 1]);
  two(12, year / 100);
  two(14, year % 100);
  two(17, hms.hours().count());
  two(20, hms.minutes().count());
  two(23, hms.seconds().count());
  return out;
}

}  // namespace sim
