// sim/auth/tag_list.cpp - RFC 6376 §3.2 tag-list parsing.
#include "sim/auth/tag_list.hpp"

#include <fmt/format.h>

namespace sim::auth {

namespace {

bool is_fws_char(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// VALCHAR = %x21-3A / %x3C-7E: printable US-ASCII except ";".
bool is_valchar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x21 && u <= 0x7e && u != ';';
}

std::pair<std::size_t, std::size_t> trimmed(std::string_view text, std::size_t begin, std::size_t end) {
  while (begin < end && is_fws_char(text[begin])) ++begin;
  while (end > begin && is_fws_char(text[end - 1])) --end;
  return {begin, end};
}

std::string printable(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) out += c;
    else out += fmt::format("\\x{:02x}", u);
  }
  if (out.size() > 40) out.replace(40, std::string::npos, "...");
  return out;
}

std::string check_name(std::string_view name) {
  if (name.empty()) return "a tag has no name";
  if (!is_alpha(name.front())) return fmt::format("tag name \"{}\" must start with a letter", printable(name));
  for (char c : name)
    if (!is_alpha(c) && !is_digit(c) && c != '_')
      return fmt::format("tag name \"{}\" holds a character other than letters, digits and _", printable(name));
  return {};
}

// One tag-spec between start and end; returns the error or "".
std::string parse_spec(std::string_view text, std::size_t start, std::size_t end, tag_list& list) {
  const auto equals = text.substr(start, end - start).find('=');
  if (equals == std::string_view::npos) {
    const auto [b, e] = trimmed(text, start, end);
    return fmt::format("\"{}\" is not tag=value", printable(text.substr(b, e - b)));
  }
  const auto [name_begin, name_end] = trimmed(text, start, start + equals);
  const std::string name(text.substr(name_begin, name_end - name_begin));
  if (auto error = check_name(name); !error.empty()) return error;
  if (list.find(name)) return fmt::format("tag {}= appears twice", name);
  const std::size_t value_begin = start + equals + 1;
  const auto [trim_begin, trim_end] = trimmed(text, value_begin, end);
  const auto value = text.substr(trim_begin, trim_end - trim_begin);
  for (char c : value)
    if (!is_valchar(c) && !is_fws_char(c))
      return fmt::format("the value of {}= holds the byte 0x{:02x}, not allowed in a tag value", name,
                         static_cast<unsigned char>(c));
  list.tags.push_back({name, std::string(value), value_begin, end});
  return {};
}

}  // namespace

const tag* tag_list::find(std::string_view name) const {
  for (const auto& t : tags)
    if (t.name == name) return &t;
  return nullptr;
}

tag_list_result parse_tag_list(std::string_view text, bool lenient_empty) {
  tag_list list;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(';', start);
    const bool last = end == std::string_view::npos;
    if (last) end = text.size();
    const auto [b, e] = trimmed(text, start, end);
    if (b == e) {
      // §3.2: one empty spec may follow the final ";" (or make up an empty list).
      if (!last && !lenient_empty) return {std::nullopt, "an empty tag-spec between two \";\""};
    } else if (auto error = parse_spec(text, start, end, list); !error.empty()) {
      return {std::nullopt, error};
    }
    if (last) break;
    start = end + 1;
  }
  return {std::move(list), {}};
}

std::string strip_fws(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text)
    if (!is_fws_char(c)) out += c;
  return out;
}

}  // namespace sim::auth
