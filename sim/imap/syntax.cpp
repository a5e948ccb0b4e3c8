// sim/imap/syntax.cpp - character classes and string forms of RFC 9051 §9.
#include "sim/imap/syntax.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/message/text.hpp"

namespace sim::imap {

namespace {

// Longer strings go as literals: easier on clients with small line buffers.
constexpr std::size_t max_quoted = 1024;

}  // namespace

bool is_atom_char(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7f) return false;
  switch (c) {
    case '(': case ')': case '{': case '%': case '*': case '"': case '\\': case ']': return false;
    default: return true;
  }
}

bool is_astring_char(char c) { return is_atom_char(c) || c == ']'; }

bool is_list_char(char c) { return is_astring_char(c) || c == '%' || c == '*'; }

bool is_atom(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_atom_char); }

bool is_tag(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_astring_char(c) && c != '+'; });
}

bool quotable(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u == 0 || u == '\r' || u == '\n' || u >= 0x80;
  });
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string format_string(std::string_view s) {
  if (quotable(s) && s.size() <= max_quoted) return quote(s);
  return fmt::format("{{{}}}\r\n", s.size()) + std::string(s);
}

std::string format_astring(std::string_view s) {
  bool atom = !s.empty() && std::all_of(s.begin(), s.end(), is_astring_char) && !message::iequals(s, "NIL");
  return atom ? std::string(s) : format_string(s);
}

std::string format_nstring(const std::optional<std::string>& s) { return s ? format_string(*s) : "NIL"; }

}  // namespace sim::imap
