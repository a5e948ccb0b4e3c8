// sim/report/svg.cpp - text estimates and number formatting for hand-drawn SVG.
#include "sim/report/svg.hpp"

#include <cmath>

#include <fmt/format.h>

namespace sim::report::svg {
namespace {

bool utf8_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Width of one character in em, by rough classes of DejaVu Sans.
double sans_em(char32_t c) {
  if (c == ' ' || c == '.' || c == ',' || c == ':' || c == ';' || c == '\'' || c == '|' || c == '!' || c == 'i' ||
      c == 'j' || c == 'l' || c == 'f' || c == 't' || c == 'r' || c == 'I' || c == '[' || c == ']' || c == '(' ||
      c == ')')
    return 0.35;
  if (c == 'm' || c == 'w' || c == 'M' || c == 'W' || c == '@' || c == '%') return 0.95;
  if (c >= 'A' && c <= 'Z') return 0.72;
  if (c < 0x80) return 0.62;
  if (c >= 0x1100 && (c <= 0x115F || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
                      (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFF60)))
    return 1.0;
  return 0.75;
}

// The code point starting at text[i] (lenient: a stray byte counts as one character).
char32_t decode(std::string_view text, std::size_t& i) {
  auto c = static_cast<unsigned char>(text[i++]);
  if (c < 0x80) return c;
  char32_t cp = c & 0x3F;
  int more = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 0;
  if (more == 1) cp = c & 0x1F;
  if (more == 2) cp = c & 0x0F;
  if (more == 3) cp = c & 0x07;
  while (more-- > 0 && i < text.size() && utf8_continuation(static_cast<unsigned char>(text[i])))
    cp = (cp << 6) | (static_cast<unsigned char>(text[i++]) & 0x3F);
  return cp;
}

double char_width(char32_t c, double font_px, bool mono) {
  if (mono) return font_px * (sans_em(c) >= 1.0 ? 1.2 : 0.602);
  return font_px * sans_em(c);
}

}  // namespace

double text_width(std::string_view text, double font_px, bool mono, bool bold) {
  if (bold && !mono) font_px *= 1.1;  // DejaVu Sans Bold is about a tenth wider
  double w = 0;
  for (std::size_t i = 0; i < text.size();) w += char_width(decode(text, i), font_px, mono);
  return w;
}

std::string fit(std::string_view text, double width_px, double font_px, bool mono, bool bold) {
  if (text_width(text, font_px, mono, bold) <= width_px) return std::string(text);
  if (bold && !mono) font_px *= 1.1;
  const std::string_view ellipsis = "\xE2\x80\xA6";  // U+2026
  double room = width_px - char_width(0x2026, font_px, mono);
  double used = 0;
  std::size_t end = 0;
  for (std::size_t i = 0; i < text.size();) {
    used += char_width(decode(text, i), font_px, mono);
    if (used > room) break;
    end = i;
  }
  if (end == 0) return room >= 0 ? std::string(ellipsis) : std::string();
  return std::string(text.substr(0, end)) + std::string(ellipsis);
}

std::string num(double v) {
  double r = std::round(v * 10) / 10;
  if (r == std::floor(r)) return fmt::format("{}", static_cast<long long>(r));
  return fmt::format("{:.1f}", r);
}

std::string human_duration(std::int64_t ms) {
  if (ms < 0) ms = 0;
  if (ms < 1000) return fmt::format("{}ms", ms);
  std::int64_t s = ms / 1000;
  if (s < 60) return fmt::format("{}s", s);
  std::int64_t m = s / 60, h = m / 60, d = h / 24;
  if (d > 0) return h % 24 ? fmt::format("{}d{}h", d, h % 24) : fmt::format("{}d", d);
  if (h > 0) return m % 60 ? fmt::format("{}h{}m", h, m % 60) : fmt::format("{}h", h);
  return s % 60 ? fmt::format("{}m{}s", m, s % 60) : fmt::format("{}m", m);
}

}  // namespace sim::report::svg
