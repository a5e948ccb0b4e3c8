// sim/report/escape.cpp - one-line, XML and excerpt helpers.
#include "sim/report/escape.hpp"

#include <fmt/format.h>

namespace sim::report {
namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the well-formed UTF-8 sequence at text[i] (RFC 3629 section 4),
// 0 when it is not one; `cp` receives the code point.
std::size_t utf8_sequence(std::string_view text, std::size_t i, char32_t& cp) {
  auto c = static_cast<unsigned char>(text[i]);
  std::size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (len == 0 || i + len > text.size()) return 0;
  cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (std::size_t k = 1; k < len; ++k) {
    auto b = static_cast<unsigned char>(text[i + k]);
    if (!continuation(b)) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr char32_t shortest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < shortest[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

bool xml_char(char32_t cp) {
  if (cp == 0x9 || cp == 0xA || cp == 0xD) return true;
  if (cp < 0x20) return false;
  return cp != 0xFFFE && cp != 0xFFFF;
}

}  // namespace

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '\r') out += "\\r";
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7F) out += fmt::format("\\x{:02X}", c);
    else out += ch;
  }
  return out;
}

std::string xml_escape(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    std::size_t len = utf8_sequence(text, i, cp);
    if (len == 0 || !xml_char(cp)) {
      out += replacement;
      i += len == 0 ? 1 : len;
      continue;
    }
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\r': out += "&#13;"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      default: out.append(text.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::string excerpt(std::string_view text, std::size_t focus, std::size_t width) {
  if (text.size() <= width) return std::string(text);
  std::size_t begin = focus > width / 3 ? focus - width / 3 : 0;
  if (begin + width > text.size()) begin = text.size() - width;
  std::size_t end = begin + width;
  while (begin > 0 && continuation(static_cast<unsigned char>(text[begin]))) --begin;
  while (end < text.size() && continuation(static_cast<unsigned char>(text[end]))) ++end;
  std::string out = begin > 0 ? "..." : "";
  out.append(text.substr(begin, end - begin));
  if (end < text.size()) out += "...";
  return out;
}

}  // namespace sim::report
