// sim/imap/date.cpp - IMAP dates and date-times, and the date of a Date: field.
#include "sim/imap/date.hpp"

#include <array>
#include <cctype>

#include <fmt/format.h>

#include "sim/message/text.hpp"

namespace sim::imap {

namespace {

constexpr std::array<std::string_view, 12> month_names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::optional<unsigned> month_of(std::string_view name) {
  for (unsigned i = 0; i < month_names.size(); ++i) {
    if (message::iequals(month_names[i], name)) return i + 1;
  }
  return std::nullopt;
}

// Exactly `count` digits at `text`'s start; nullopt otherwise.
std::optional<int> digits(std::string_view text, std::size_t count) {
  if (text.size() < count) return std::nullopt;
  int v = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

std::optional<date> make_date(int y, unsigned m, int d) {
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m},
                                  std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return date{ymd};
}

// "d-Mon-yyyy" with a 1- or 2-digit day; `used` gets the length read.
std::optional<date> date_text(std::string_view text, std::size_t& used) {
  std::size_t day_len = text.size() > 1 && text[1] == '-' ? 1 : 2;
  auto d = digits(text, day_len);
  if (!d || text.size() < day_len + 9 || text[day_len] != '-' || text[day_len + 4] != '-') return std::nullopt;
  auto m = month_of(text.substr(day_len + 1, 3));
  auto y = digits(text.substr(day_len + 5), 4);
  if (!m || !y) return std::nullopt;
  used = day_len + 9;
  return make_date(*y, *m, *d);
}

}  // namespace

std::optional<date> parse_date(std::string_view text) {
  std::size_t used = 0;
  auto d = date_text(text, used);
  if (!d || used != text.size()) return std::nullopt;
  return d;
}

// date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
std::optional<wall_time> parse_date_time(std::string_view text) {
  if (text.size() != 26 || text[2] != '-' || text[6] != '-' || text[11] != ' ' || text[14] != ':' ||
      text[17] != ':' || text[20] != ' ' || (text[21] != '+' && text[21] != '-')) {
    return std::nullopt;
  }
  auto d = text[0] == ' ' ? digits(text.substr(1), 1) : digits(text, 2);
  auto m = month_of(text.substr(3, 3));
  auto y = digits(text.substr(7), 4);
  auto hh = digits(text.substr(12), 2), mm = digits(text.substr(15), 2), ss = digits(text.substr(18), 2);
  auto zh = digits(text.substr(22), 2), zm = digits(text.substr(24), 2);
  if (!d || !m || !y || !hh || !mm || !ss || !zh || !zm || *hh > 23 || *mm > 59 || *ss > 60 || *zm > 59) {
    return std::nullopt;
  }
  auto day = make_date(*y, *m, *d);
  if (!day) return std::nullopt;
  using namespace std::chrono;
  auto zone = hours{*zh} + minutes{*zm};
  auto local = sys_time<milliseconds>{*day} + hours{*hh} + minutes{*mm} + seconds{*ss};
  return text[21] == '+' ? local - zone : local + zone;
}

std::string format_date_time(wall_time t) {
  using namespace std::chrono;
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss<milliseconds> hms{t - day};
  return fmt::format("{:02}-{}-{:04} {:02}:{:02}:{:02} +0000", static_cast<unsigned>(ymd.day()),
                     month_names[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

date day_of(wall_time t) { return std::chrono::floor<std::chrono::days>(t); }

// [day-of-week ","] day month year ...; comments and folding white space
// are skipped; a two-digit year is taken as RFC 5322 §4.3 says.
std::optional<date> header_date(std::string_view value) {
  std::string text;
  int depth = 0;
  for (char c : value) {
    if (c == '(') ++depth;
    else if (c == ')' && depth > 0) --depth;
    else if (depth == 0) text += (c == '\t' || c == '\r' || c == '\n') ? ' ' : c;
  }
  std::string_view rest = message::trim(text);
  if (auto comma = rest.find(','); comma != std::string_view::npos && comma <= 10) rest = message::trim(rest.substr(comma + 1));
  auto word = [&rest]() {
    rest = message::trim(rest);
    auto end = rest.find(' ');
    auto w = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
    return w;
  };
  auto day_text = word(), month_text = word(), year_text = word();
  auto d = day_text.size() == 1 ? digits(day_text, 1) : day_text.size() == 2 ? digits(day_text, 2) : std::nullopt;
  auto m = month_of(month_text);
  std::optional<int> y = year_text.size() == 4 ? digits(year_text, 4) : std::nullopt;
  if (year_text.size() == 2) {
    if (auto yy = digits(year_text, 2)) y = *yy < 50 ? 2000 + *yy : 1900 + *yy;
  }
  if (!d || !m || !y) return std::nullopt;
  return make_date(*y, *m, *d);
}

}  // namespace sim::imap
