// sim/imap/mutf7.cpp - modified UTF-7 mailbox names (RFC 3501 §5.1.3).
#include "sim/imap/mutf7.hpp"

#include <cstdint>
#include <vector>

namespace sim::imap {

namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

int sextet(char c) {
  auto at = alphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

bool printable(unsigned char c) { return c >= 0x20 && c <= 0x7e; }

// The next code point of valid UTF-8 at `pos`, advancing it.
char32_t next_code_point(std::string_view s, std::size_t& pos) {
  auto c = static_cast<unsigned char>(s[pos++]);
  if (c < 0x80) return c;
  int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
  char32_t cp = c & (0x3f >> more);
  for (int i = 0; i < more; ++i) cp = (cp << 6) | (static_cast<unsigned char>(s[pos++]) & 0x3f);
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// Base64 (modified alphabet, no padding) of UTF-16BE units.
void append_shifted(std::string& out, const std::vector<std::uint16_t>& units) {
  std::uint32_t bits = 0;
  int count = 0;
  out += '&';
  for (auto u : units) {
    bits = (bits << 16) | u;
    count += 16;
    while (count >= 6) {
      count -= 6;
      out += alphabet[(bits >> count) & 0x3f];
    }
  }
  if (count > 0) out += alphabet[(bits << (6 - count)) & 0x3f];
  out += '-';
}

// Decodes the base64 between "&" and "-" into UTF-8; false when malformed.
bool decode_shifted(std::string_view b64, std::string& out) {
  std::uint32_t bits = 0;
  int count = 0;
  std::vector<std::uint16_t> units;
  for (char c : b64) {
    int v = sextet(c);
    if (v < 0) return false;
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    count += 6;
    if (count >= 16) {
      count -= 16;
      units.push_back(static_cast<std::uint16_t>(bits >> count));
      bits &= (1u << count) - 1;
    }
  }
  // Leftover bits are padding: fewer than 6 of them, all zero.
  if (count >= 6 || bits != 0 || units.empty()) return false;
  for (std::size_t i = 0; i < units.size(); ++i) {
    char32_t cp = units[i];
    if (cp >= 0xd800 && cp <= 0xdbff) {
      if (i + 1 >= units.size() || units[i + 1] < 0xdc00 || units[i + 1] > 0xdfff) return false;
      cp = 0x10000 + ((cp - 0xd800) << 10) + (units[++i] - 0xdc00);
    } else if (cp >= 0xdc00 && cp <= 0xdfff) {
      return false;
    }
    // Printable ASCII must be written as itself.
    if (cp < 0x80 && printable(static_cast<unsigned char>(cp))) return false;
    append_utf8(out, cp);
  }
  return true;
}

}  // namespace

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int more;
    char32_t min;
    if (c >= 0xc2 && c <= 0xdf) more = 1, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef) more = 2, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4) more = 3, min = 0x10000;
    else return false;
    char32_t cp = c & (0x3f >> more);
    for (int k = 1; k <= more; ++k) {
      if (i + k >= s.size()) return false;
      auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += static_cast<std::size_t>(more) + 1;
  }
  return true;
}

std::string encode_mutf7(std::string_view utf8) {
  std::string out;
  std::vector<std::uint16_t> pending;
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    char32_t cp = next_code_point(utf8, pos);
    if (cp < 0x80 && printable(static_cast<unsigned char>(cp))) {
      if (!pending.empty()) {
        append_shifted(out, pending);
        pending.clear();
      }
      out += cp == '&' ? std::string("&-") : std::string(1, static_cast<char>(cp));
    } else if (cp >= 0x10000) {
      cp -= 0x10000;
      pending.push_back(static_cast<std::uint16_t>(0xd800 + (cp >> 10)));
      pending.push_back(static_cast<std::uint16_t>(0xdc00 + (cp & 0x3ff)));
    } else {
      pending.push_back(static_cast<std::uint16_t>(cp));
    }
  }
  if (!pending.empty()) append_shifted(out, pending);
  return out;
}

std::optional<std::string> decode_mutf7(std::string_view wire) {
  std::string out;
  bool after_shift = false;  // the previous thing was an "&...-" run
  std::size_t i = 0;
  while (i < wire.size()) {
    auto c = static_cast<unsigned char>(wire[i]);
    if (!printable(c)) return std::nullopt;
    if (c != '&') {
      out += static_cast<char>(c);
      after_shift = false;
      ++i;
      continue;
    }
    auto dash = wire.find('-', i + 1);
    if (dash == std::string_view::npos) return std::nullopt;
    if (dash == i + 1) {
      out += '&';
      after_shift = false;
    } else {
      // RFC 3501 §5.1.3: two shifted runs in a row would be one run.
      if (after_shift || !decode_shifted(wire.substr(i + 1, dash - i - 1), out)) return std::nullopt;
      after_shift = true;
    }
    i = dash + 1;
  }
  return out;
}

}  // namespace sim::imap
