// fake_dns/presentation.cpp - tokens, escapes and relative names (RFC 1035 5.1).
#include "fake_dns/presentation.hpp"

#include <fmt/format.h>

namespace dns {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Length of the escape starting at raw[i] == '\\': "\X" or "\DDD".
std::size_t escape_length(std::string_view raw, std::size_t i) {
  if (i + 1 >= raw.size()) throw parse_error("a backslash ends the text");
  if (!is_digit(raw[i + 1])) return 2;
  if (i + 3 >= raw.size() || !is_digit(raw[i + 2]) || !is_digit(raw[i + 3]))
    throw parse_error(fmt::format("\"{}\": \\DDD needs three digits", raw.substr(i)));
  return 4;
}

}  // namespace

std::vector<token> tokenize(std::string_view text) {
  std::vector<token> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (is_blank(c)) { ++i; continue; }
    if (c == ';') break;
    token t;
    if (c == '"') {
      t.quoted = true;
      for (++i;; ++i) {
        if (i >= text.size()) throw parse_error("unterminated quoted string");
        if (text[i] == '"') { ++i; break; }
        if (text[i] == '\\') {
          auto n = escape_length(text, i);
          t.text.append(text.substr(i, n));
          i += n - 1;
          continue;
        }
        t.text += text[i];
      }
    } else {
      while (i < text.size() && !is_blank(text[i]) && text[i] != '"' && text[i] != ';') {
        auto n = text[i] == '\\' ? escape_length(text, i) : 1;
        t.text.append(text.substr(i, n));
        i += n;
      }
    }
    tokens.push_back(std::move(t));
  }
  return tokens;
}

std::string decode_escapes(std::string_view raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\') { out += raw[i]; continue; }
    auto n = escape_length(raw, i);
    if (n == 2) {
      out += raw[i + 1];
    } else {
      int value = (raw[i + 1] - '0') * 100 + (raw[i + 2] - '0') * 10 + (raw[i + 3] - '0');
      if (value > 255) throw parse_error(fmt::format("\"{}\": \\DDD above 255", raw.substr(i, 4)));
      out += static_cast<char>(value);
    }
    i += n - 1;
  }
  return out;
}

std::string quote_string(std::string_view bytes) {
  std::string out = "\"";
  for (char c : bytes) {
    auto octet = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') out += {'\\', c};
    else if (octet < 0x20 || octet > 0x7e) out += fmt::format("\\{:03}", octet);
    else out += c;
  }
  return out + '"';
}

std::string resolve_name(std::string_view raw, std::string_view origin) {
  if (raw == "@") return std::string(origin);
  // Find whether the last octet is an unescaped '.', skipping escapes.
  bool absolute = false;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    absolute = raw[i] == '.';
    if (raw[i] == '\\') i += escape_length(raw, i) - 1;
  }
  if (absolute || origin.empty()) return canonical_name(raw);
  return canonical_name(fmt::format("{}.{}", raw, presentation_name(origin)));
}

}  // namespace dns
