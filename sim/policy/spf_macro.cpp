// sim/policy/spf_macro.cpp - RFC 7208 section 7 macro parsing and expansion.
#include "sim/policy/spf_macro.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/core/ascii.hpp"

namespace sim::policy {
namespace {

constexpr std::string_view domain_letters = "slodiphv";
constexpr std::string_view explanation_letters = "slodiphvcrt";  // section 7.3: c, r, t only in exp text
constexpr std::string_view delimiter_chars = ".-+,/_=";
constexpr int max_keep_parts = 128;  // section 7.3: at least 127 must work

// "%{" macro-letter transformers *delimiter "}" starting after "%{"; returns
// the index after '}' or npos on a syntax error.
std::size_t parse_expand(std::string_view text, std::size_t at, spf_macro_context context, spf_macro_token& token) {
  if (at >= text.size()) return std::string_view::npos;
  char letter = ascii::lower(text[at]);
  auto allowed = context == spf_macro_context::domain_spec ? domain_letters : explanation_letters;
  if (!ascii::is_alpha(text[at]) || allowed.find(letter) == std::string_view::npos) return std::string_view::npos;
  token.is_literal = false;
  token.letter = letter;
  token.url_escape = text[at] >= 'A' && text[at] <= 'Z';
  ++at;
  std::size_t digits_start = at;
  while (at < text.size() && ascii::is_digit(text[at])) {
    token.keep_parts = token.keep_parts * 10 + (text[at] - '0');
    if (token.keep_parts > max_keep_parts) return std::string_view::npos;
    ++at;
  }
  if (at > digits_start && token.keep_parts == 0) return std::string_view::npos;  // section 7.3: nonzero
  if (at < text.size() && ascii::lower(text[at]) == 'r') token.reverse = true, ++at;
  while (at < text.size() && delimiter_chars.find(text[at]) != std::string_view::npos) token.delimiters += text[at++];
  if (at >= text.size() || text[at] != '}') return std::string_view::npos;
  return at + 1;
}

// Literal runs are merged; `letter` is '%' while the run ends in one of the
// escapes "%%", "%_", "%-" (macro-expands in the grammar, section 7.1).
void append_literal(spf_macro_string& macros, std::string_view text, bool escape) {
  if (macros.tokens.empty() || !macros.tokens.back().is_literal) macros.tokens.push_back({});
  macros.tokens.back().literal += text;
  macros.tokens.back().letter = escape ? '%' : 0;
}

// Section 7.3 transformers: split on the delimiters, reverse, keep the
// right-hand parts, join with ".".
std::string transform(std::string_view value, const spf_macro_token& token) {
  std::string_view delimiters = token.delimiters.empty() ? std::string_view(".") : token.delimiters;
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= value.size(); ++i) {
    if (i == value.size() || delimiters.find(value[i]) != std::string_view::npos) {
      parts.push_back(value.substr(start, i - start));
      start = i + 1;
    }
  }
  if (token.reverse) std::reverse(parts.begin(), parts.end());
  std::size_t first = 0;
  if (token.keep_parts > 0 && static_cast<std::size_t>(token.keep_parts) < parts.size())
    first = parts.size() - static_cast<std::size_t>(token.keep_parts);
  std::string out;
  for (std::size_t i = first; i < parts.size(); ++i) {
    if (i > first) out += '.';
    out += parts[i];
  }
  return out;
}

// Section 7.3: upper-case letters are URL-escaped (RFC 3986 unreserved kept).
std::string url_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool unreserved = ascii::is_alpha(c) || ascii::is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) out += c;
    else out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
  }
  return out;
}

const std::string& letter_value(char letter, const spf_macro_values& values) {
  switch (letter) {
    case 's': return values.sender;
    case 'l': return values.local_part;
    case 'o': return values.sender_domain;
    case 'd': return values.domain;
    case 'i': return values.ip;
    case 'p': return values.validated_name;
    case 'v': return values.ip_version;
    case 'h': return values.helo;
    case 'c': return values.client_ip;
    case 'r': return values.receiver;
    default: return values.timestamp;
  }
}

}  // namespace

bool spf_macro_string::uses(char letter) const {
  return std::any_of(tokens.begin(), tokens.end(), [&](const auto& t) { return !t.is_literal && t.letter == letter; });
}

// The escapes "%%", "%_" and "%-" are macro-expands too (section 7.1).
bool spf_macro_string::ends_with_expand() const {
  return !tokens.empty() && (!tokens.back().is_literal || tokens.back().letter == '%');
}

std::optional<spf_macro_string> parse_spf_macro_string(std::string_view text, spf_macro_context context) {
  spf_macro_string macros;
  for (std::size_t at = 0; at < text.size();) {
    char c = text[at];
    if (c != '%') {
      // macro-literal = %x21-24 / %x26-7E; explain-string also allows SP.
      bool space_ok = context == spf_macro_context::explanation && c == ' ';
      if (!space_ok && (c < 0x21 || c > 0x7e)) return std::nullopt;
      append_literal(macros, text.substr(at, 1), false);
      ++at;
      continue;
    }
    if (at + 1 >= text.size()) return std::nullopt;
    char next = text[at + 1];
    if (next == '%' || next == '_' || next == '-') {
      append_literal(macros, next == '%' ? "%" : next == '_' ? " " : "%20", true);
      at += 2;
      continue;
    }
    if (next != '{') return std::nullopt;
    spf_macro_token token;
    at = parse_expand(text, at + 2, context, token);
    if (at == std::string_view::npos) return std::nullopt;
    macros.tokens.push_back(std::move(token));
  }
  return macros;
}

bool is_spf_toplabel(std::string_view label) {
  if (label.empty()) return false;
  auto alphanum = [](char c) { return ascii::is_alpha(c) || ascii::is_digit(c); };
  if (!alphanum(label.front()) || !alphanum(label.back())) return false;
  bool has_alpha = false, has_dash = false;
  for (char c : label) {
    if (c == '-') has_dash = true;
    else if (ascii::is_alpha(c)) has_alpha = true;
    else if (!ascii::is_digit(c)) return false;
  }
  return has_alpha || has_dash;
}

std::optional<spf_macro_string> parse_spf_domain_spec(std::string_view text) {
  auto macros = parse_spf_macro_string(text, spf_macro_context::domain_spec);
  if (!macros || macros->tokens.empty()) return std::nullopt;
  if (macros->ends_with_expand()) return macros;
  std::string_view tail = macros->tokens.back().literal;
  if (!tail.empty() && tail.back() == '.') tail.remove_suffix(1);
  auto dot = tail.rfind('.');
  if (dot == std::string_view::npos || !is_spf_toplabel(tail.substr(dot + 1))) return std::nullopt;
  return macros;
}

std::string expand_spf_macros(const spf_macro_string& macros, const spf_macro_values& values) {
  std::string out;
  for (const auto& token : macros.tokens) {
    if (token.is_literal) {
      out += token.literal;
      continue;
    }
    auto value = transform(letter_value(token.letter, values), token);
    out += token.url_escape ? url_escape(value) : value;
  }
  return out;
}

std::string spf_query_name(std::string name) {
  if (!name.empty() && name.back() == '.') name.pop_back();
  while (name.size() > 253) {
    auto dot = name.find('.');
    if (dot == std::string::npos) return name;
    name.erase(0, dot + 1);
  }
  return name;
}

bool is_valid_dns_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t start = 0;
  for (;;) {
    auto dot = name.find('.', start);
    auto label = name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

}  // namespace sim::policy
