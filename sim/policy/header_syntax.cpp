// sim/policy/header_syntax.cpp - RFC 5322 date-time, msg-id and address syntax.
#include "sim/policy/header_syntax.hpp"

#include <array>
#include <cctype>
#include <chrono>
#include <cstring>

#include "sim/message/encoded_words.hpp"
#include "sim/message/text.hpp"
#include "sim/core/ascii.hpp"

namespace sim::policy {
namespace {

// RFC 5322 section 3.2.3 atext; bytes >= 0x80 are UTF-8 (RFC 6532).
bool is_atext(char c) {
  return ascii::is_alpha(c) || ascii::is_digit(c) || static_cast<unsigned char>(c) >= 0x80 ||
         std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr;
}

bool is_dot_atom_text(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.' ? s[i + 1] == '.' : !is_atext(s[i])) return false;
  }
  return true;
}

bool is_quoted_string(std::string_view s) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return false;
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] == '"') return false;
    if (s[i] == '\\' && ++i + 1 >= s.size()) return false;
  }
  return true;
}

bool is_domain(std::string_view s) {
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') {
    return s.substr(1, s.size() - 2).find_first_of("[]\\") == std::string_view::npos;
  }
  return is_dot_atom_text(s);
}

// RFC 5322 section 3.2.2: comments, which nest, become one space; quoted
// strings are kept with their escapes.
std::string strip_comments(std::string_view value) {
  std::string out;
  int depth = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c == '\\' && (quoted || depth > 0) && i + 1 < value.size()) {
      if (quoted) out += value.substr(i, 2);
      ++i;
    } else if (quoted) {
      out += c;
      quoted = c != '"';
    } else if (c == '(') {
      if (depth++ == 0) out += ' ';
    } else if (c == ')' && depth > 0) {
      --depth;
    } else if (depth == 0) {
      out += c;
      quoted = c == '"';
    }
  }
  return out;
}

// Splits at `sep` outside quoted strings and angle brackets.
std::vector<std::string_view> split_top_level(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  bool quoted = false;
  int angle = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '\\') ++i;
      else if (c == '"') quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == '<') {
      ++angle;
    } else if (c == '>' && angle > 0) {
      --angle;
    } else if (c == sep && angle == 0) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(text.substr(start));
  return parts;
}

// The last '@' outside a quoted string, or npos.
std::size_t address_at(std::string_view spec) {
  bool quoted = false;
  std::size_t at = std::string_view::npos;
  for (std::size_t i = 0; i < spec.size(); ++i) {
    if (quoted && spec[i] == '\\') ++i;
    else if (spec[i] == '"') quoted = !quoted;
    else if (spec[i] == '@' && !quoted) at = i;
  }
  return at;
}

std::string unquote(std::string_view s) {
  if (!is_quoted_string(s)) return std::string(s);
  std::string out;
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] == '\\') ++i;
    out += s[i];
  }
  return out;
}

std::optional<mailbox_address> parse_mailbox(std::string_view item) {
  std::string_view spec = message::trim(item);
  std::string display;
  const auto open = spec.rfind('<');
  if (open != std::string_view::npos) {
    if (spec.back() != '>') return std::nullopt;
    display = std::string(message::trim(spec.substr(0, open)));
    spec = message::trim(spec.substr(open + 1, spec.size() - open - 2));
  }
  const std::size_t at = address_at(spec);
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view local = spec.substr(0, at);
  const std::string_view domain = spec.substr(at + 1);
  if (!(is_dot_atom_text(local) || is_quoted_string(local)) || !is_domain(domain)) return std::nullopt;
  const std::string lower = message::to_lower(domain);
  return mailbox_address{message::decode_words(unquote(display)), std::string(local) + "@" + lower, lower};
}


// A cursor over a date-time with comments already replaced by spaces.
class date_reader {
 public:
  explicit date_reader(std::string_view text) : s_(text) {}

  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) ++i_;
  }
  bool done() {
    skip_space();
    return i_ == s_.size();
  }
  bool literal(char c) {
    skip_space();
    if (i_ < s_.size() && s_[i_] == c) { ++i_; return true; }
    return false;
  }
  // Digits right here (no space skipped when `tight`); count checked by the caller.
  std::string_view digits(bool tight = false) {
    if (!tight) skip_space();
    const std::size_t start = i_;
    while (i_ < s_.size() && ascii::is_digit(s_[i_])) ++i_;
    return s_.substr(start, i_ - start);
  }
  std::string_view word() {
    skip_space();
    const std::size_t start = i_;
    while (i_ < s_.size() && ascii::is_alpha(s_[i_])) ++i_;
    return s_.substr(start, i_ - start);
  }
  std::size_t position() const { return i_; }
  void rewind(std::size_t to) { i_ = to; }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

int number(std::string_view digits) {
  int n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n;
}

// Index in `names` (case-insensitive) or -1.
template <std::size_t N>
int name_index(std::string_view word, const std::array<std::string_view, N>& names) {
  for (std::size_t i = 0; i < N; ++i) {
    if (message::iequals(word, names[i])) return static_cast<int>(i);
  }
  return -1;
}

constexpr std::array<std::string_view, 7> day_names = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> month_names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
// RFC 5322 section 4.3 obs-zone: UT, GMT and the US zones.
constexpr std::array<std::string_view, 10> zone_names = {"UT", "GMT", "EST", "EDT", "CST",
                                                         "CDT", "MST", "MDT", "PST", "PDT"};

bool valid_zone(date_reader& r) {
  if (r.literal('+') || r.literal('-')) {
    const std::string_view z = r.digits(true);
    return z.size() == 4 && number(z.substr(2)) < 60;
  }
  const std::string_view name = r.word();
  // Military single letters (obs-zone) other than "J" are allowed, as section 4.3 says.
  if (name.size() == 1) return !message::iequals(name, "J");
  return name_index(name, zone_names) >= 0;
}

// RFC 5322 section 4.3: a two-digit year below 50 is 20xx, otherwise 19xx;
// a three-digit year adds 1900.
int full_year(std::string_view digits) {
  const int y = number(digits.substr(0, std::min<std::size_t>(digits.size(), 6)));
  if (digits.size() == 2) return y < 50 ? 2000 + y : 1900 + y;
  if (digits.size() == 3) return 1900 + y;
  return y;
}

bool valid_time(date_reader& r) {
  const std::string_view hour = r.digits();
  if (hour.size() != 2 || number(hour) > 23 || !r.literal(':')) return false;
  const std::string_view minute = r.digits();
  if (minute.size() != 2 || number(minute) > 59) return false;
  const std::size_t before = r.position();
  if (r.literal(':')) {
    const std::string_view second = r.digits();
    if (second.size() != 2 || number(second) > 60) return false;  // 60: a leap second
  } else {
    r.rewind(before);
  }
  return valid_zone(r);
}

}  // namespace

bool is_valid_date_time(std::string_view value) {
  const std::string text = strip_comments(value);
  date_reader r(text);
  int named_day = -1;
  const std::size_t start = r.position();
  if (const std::string_view name = r.word(); !name.empty()) {
    named_day = name_index(name, day_names);
    if (named_day < 0 || !r.literal(',')) return false;
  } else {
    r.rewind(start);
  }
  const std::string_view day = r.digits();
  const int month = name_index(r.word(), month_names);
  const std::string_view year = r.digits();
  if (day.empty() || day.size() > 2 || month < 0 || year.size() < 2) return false;
  const std::chrono::year_month_day date{std::chrono::year{full_year(year)},
                                        std::chrono::month{static_cast<unsigned>(month + 1)},
                                        std::chrono::day{static_cast<unsigned>(number(day))}};
  if (!date.ok()) return false;
  const std::chrono::weekday implied{std::chrono::sys_days{date}};
  if (named_day >= 0 && implied.c_encoding() != static_cast<unsigned>(named_day)) return false;
  return valid_time(r) && r.done();
}

std::optional<std::vector<mailbox_address>> parse_mailbox_list(std::string_view value) {
  const std::string text = strip_comments(value);
  std::vector<mailbox_address> out;
  for (std::string_view item : split_top_level(text, ',')) {
    if (message::trim(item).empty()) continue;  // RFC 5322 section 4.4: obsolete empty entries
    auto box = parse_mailbox(item);
    if (!box) return std::nullopt;
    out.push_back(std::move(*box));
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::size_t count_addresses(std::string_view value) {
  const std::string text = strip_comments(value);
  std::size_t n = 0;
  for (std::string_view item : split_top_level(text, ',')) {
    if (address_at(item) != std::string_view::npos) ++n;
  }
  return n;
}

bool is_valid_msg_id(std::string_view value) {
  const std::string text = strip_comments(value);
  const std::string_view id = message::trim(text);
  if (id.size() < 5 || id.front() != '<' || id.back() != '>') return false;
  const std::string_view inner = id.substr(1, id.size() - 2);
  const std::size_t at = address_at(inner);
  if (at == std::string_view::npos) return false;
  const std::string_view left = inner.substr(0, at);
  return (is_dot_atom_text(left) || is_quoted_string(left)) && is_domain(inner.substr(at + 1));
}

}  // namespace sim::policy
