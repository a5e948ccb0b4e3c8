// sim/imap/parser.cpp - a cursor over one complete IMAP command or response.
#include "sim/imap/parser.hpp"

#include <limits>

#include "sim/imap/syntax.hpp"

namespace sim::imap {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool parser::skip(char c) {
  if (peek() != c || at_end()) return false;
  ++pos_;
  return true;
}

bool parser::space() { return skip(' '); }

bool parser::word(std::string_view keyword) {
  if (text_.size() - pos_ < keyword.size()) return false;
  for (std::size_t i = 0; i < keyword.size(); ++i) {
    char a = text_[pos_ + i];
    if (a >= 'a' && a <= 'z') a = static_cast<char>(a - 'a' + 'A');
    char b = keyword[i];
    if (b >= 'a' && b <= 'z') b = static_cast<char>(b - 'a' + 'A');
    if (a != b) return false;
  }
  // A keyword ends where the atom does, or at "[" (BODY[...], BODY.PEEK[...]).
  std::size_t end = pos_ + keyword.size();
  if (end < text_.size() && is_atom_char(text_[end]) && text_[end] != '[') return false;
  pos_ = end;
  return true;
}

std::optional<std::string> parser::atom() {
  std::size_t start = pos_;
  while (!at_end() && is_atom_char(text_[pos_])) ++pos_;
  if (pos_ == start) return std::nullopt;
  return std::string(text_.substr(start, pos_ - start));
}

std::optional<std::string> parser::tag() {
  std::size_t start = pos_;
  while (!at_end() && is_astring_char(text_[pos_]) && text_[pos_] != '+') ++pos_;
  if (pos_ == start) return std::nullopt;
  return std::string(text_.substr(start, pos_ - start));
}

std::optional<std::string> parser::astring() {
  if (peek() == '"' || peek() == '{') return string();
  std::size_t start = pos_;
  while (!at_end() && is_astring_char(text_[pos_])) ++pos_;
  if (pos_ == start) return std::nullopt;
  return std::string(text_.substr(start, pos_ - start));
}

std::optional<std::string> parser::string() {
  if (peek() == '"') return quoted();
  if (peek() == '{') return literal();
  return std::nullopt;
}

std::optional<std::optional<std::string>> parser::nstring() {
  if (word("NIL")) return std::optional<std::string>{};
  auto s = string();
  if (!s) return std::nullopt;
  return std::optional<std::string>{std::move(*s)};
}

std::optional<std::string> parser::list_mailbox() {
  if (peek() == '"' || peek() == '{') return string();
  std::size_t start = pos_;
  while (!at_end() && is_list_char(text_[pos_])) ++pos_;
  if (pos_ == start) return std::nullopt;
  return std::string(text_.substr(start, pos_ - start));
}

// RFC 9051 §4.3: DQUOTE *QUOTED-CHAR DQUOTE; only DQUOTE and "\" may be
// escaped; CR and LF never appear.
std::optional<std::string> parser::quoted() {
  std::size_t start = pos_;
  if (!skip('"')) return std::nullopt;
  std::string out;
  while (!at_end()) {
    char c = text_[pos_++];
    if (c == '"') return out;
    if (c == '\r' || c == '\n' || c == '\0') break;
    if (c == '\\') {
      char next = peek();
      if (next != '"' && next != '\\') break;
      ++pos_;
      c = next;
    }
    out += c;
  }
  pos_ = start;
  fail("malformed quoted string");
  return std::nullopt;
}

std::optional<std::string> parser::literal() {
  std::size_t start = pos_;
  if (!skip('{')) return std::nullopt;
  auto size = number64();
  skip('+');
  if (!size || !skip('}') || !skip('\r') || !skip('\n') || *size > text_.size() - pos_) {
    pos_ = start;
    fail("malformed literal");
    return std::nullopt;
  }
  std::string out(text_.substr(pos_, *size));
  pos_ += *size;
  return out;
}

std::optional<std::uint64_t> parser::number64() {
  std::size_t start = pos_;
  std::uint64_t value = 0;
  while (!at_end() && is_digit(text_[pos_])) {
    auto digit = static_cast<std::uint64_t>(text_[pos_] - '0');
    if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
      pos_ = start;
      return std::nullopt;
    }
    value = value * 10 + digit;
    ++pos_;
  }
  if (pos_ == start) return std::nullopt;
  return value;
}

std::optional<std::uint32_t> parser::number() {
  std::size_t start = pos_;
  auto v = number64();
  // RFC 9051 §9: number is 0 to 4294967295.
  if (!v || *v > std::numeric_limits<std::uint32_t>::max()) {
    pos_ = start;
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(*v);
}

std::optional<std::uint32_t> parser::nz_number() {
  std::size_t start = pos_;
  auto v = number();
  if (!v || *v == 0) {
    pos_ = start;
    return std::nullopt;
  }
  return v;
}

std::string_view parser::until(std::string_view stops) {
  std::size_t start = pos_;
  while (!at_end() && stops.find(text_[pos_]) == std::string_view::npos) ++pos_;
  return text_.substr(start, pos_ - start);
}

bool parser::fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
  return false;
}

std::optional<literal_announcement> literal_at_end(std::string_view line) {
  if (!line.ends_with('}')) return std::nullopt;
  auto open = line.rfind('{');
  if (open == std::string_view::npos) return std::nullopt;
  auto inner = line.substr(open + 1, line.size() - open - 2);
  literal_announcement out;
  if (inner.ends_with('+')) {
    out.non_synchronizing = true;
    inner.remove_suffix(1);
  }
  if (inner.empty()) return std::nullopt;
  constexpr auto most = std::numeric_limits<std::uint64_t>::max();
  for (char c : inner) {
    if (!is_digit(c)) return std::nullopt;
    auto digit = static_cast<std::uint64_t>(c - '0');
    // Saturate: a number that large is certainly too big.
    out.size = out.size > (most - digit) / 10 ? most : out.size * 10 + digit;
  }
  return out;
}

}  // namespace sim::imap
