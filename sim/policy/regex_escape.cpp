// sim/policy/regex_escape.cpp - what a backslash escape in a pattern means:
// a byte, a class of bytes or an assertion (and which escapes are refused).
#include <cctype>

#include <fmt/format.h>

#include "sim/policy/regex_program.hpp"

namespace sim::policy::detail {
namespace {

bool is_word_byte(unsigned char c) { return std::isalnum(c) || c == '_'; }

byte_set word_set() {
  byte_set s;
  for (int c = 0; c < 256; ++c) s[c] = is_word_byte(static_cast<unsigned char>(c));
  return s;
}

byte_set digit_set() {
  byte_set s;
  for (int c = '0'; c <= '9'; ++c) s[c] = true;
  return s;
}

byte_set space_set() {
  byte_set s;
  for (unsigned char c : std::string_view(" \t\n\r\f\v")) s[c] = true;
  return s;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool read_regex_escape(std::string_view p, std::size_t& pos, bool in_class, regex_escape& out, regex_error& error) {
  const auto fail = [&](std::size_t at, std::string reason) {
    error.position = at;
    error.reason = std::move(reason);
  };
  const auto at_end = [&] { return pos >= p.size(); };
  const auto peek = [&](std::size_t ahead = 0) { return pos + ahead < p.size() ? p[pos + ahead] : '\0'; };
  const std::size_t at = pos++;
  if (at_end()) { fail(at, "the pattern ends with a lone backslash"); return false; }
  const char c = p[pos++];
  const auto as_byte = [&](unsigned char b) { out.type = regex_escape::kind::byte; out.byte = b; return true; };
  const auto as_set = [&](byte_set s) { out.type = regex_escape::kind::set; out.set = s; return true; };
  const auto as_assert = [&](regex_assertion a) { out.type = regex_escape::kind::assertion; out.assertion = a; return true; };
  switch (c) {
    case 'd': return as_set(digit_set());
    case 'D': return as_set(~digit_set());
    case 'w': return as_set(word_set());
    case 'W': return as_set(~word_set());
    case 's': return as_set(space_set());
    case 'S': return as_set(~space_set());
    case 'n': return as_byte('\n');
    case 'r': return as_byte('\r');
    case 't': return as_byte('\t');
    case 'f': return as_byte('\f');
    case 'v': return as_byte('\v');
    case 'e': return as_byte(0x1b);
    case 'a': return as_byte(0x07);
    case 'b': return in_class ? as_byte(0x08) : as_assert(regex_assertion::word_boundary);
    case 'B': if (!in_class) return as_assert(regex_assertion::not_word_boundary); break;
    case 'A': if (!in_class) return as_assert(regex_assertion::text_begin); break;
    case 'z': if (!in_class) return as_assert(regex_assertion::text_end); break;
    case '0':
      if (!std::isdigit(static_cast<unsigned char>(peek())) || at_end()) return as_byte(0);
      fail(at, "octal escapes are not supported; write \\xHH");
      return false;
    case 'x': {
      const int high = at_end() ? -1 : hex_digit(peek());
      const int low = pos + 1 < p.size() ? hex_digit(peek(1)) : -1;
      if (high < 0 || low < 0) { fail(at, "\\x needs exactly two hex digits, as \\x41"); return false; }
      pos += 2;
      return as_byte(static_cast<unsigned char>(high * 16 + low));
    }
    default: break;
  }
  const auto uc = static_cast<unsigned char>(c);
  if (c >= '1' && c <= '9') {
    fail(at, "backreferences are not supported (no linear-time matcher can follow them)");
    return false;
  }
  if (c == 'k') { fail(at, "named backreferences are not supported (no linear-time matcher can follow them)"); return false; }
  if (uc >= 0x80 || (std::ispunct(uc) != 0) || c == ' ') return as_byte(uc);
  fail(at, fmt::format("unknown escape \\{}{}", c, c == 'Z' ? " (use $)" : ""));
  return false;
}


}  // namespace sim::policy::detail
