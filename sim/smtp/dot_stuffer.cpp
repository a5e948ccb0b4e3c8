// sim/smtp/dot_stuffer.cpp - dot-stuffing and line-end normalization.
#include "sim/smtp/dot_stuffer.hpp"

namespace sim::smtp {
namespace {

// Walks the content as data_reader will see it: CRLF and bare LF end a line,
// a bare CR is content.  `stuff` adds the extra dots.
stuffed_content transform(std::string_view s, bool stuff) {
  stuffed_content out;
  out.wire.reserve(s.size() + s.size() / 32 + 8);
  bool at_start = true;
  std::uint64_t stuffed = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\n' || (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) {
      if (c == '\r') ++i;
      out.wire += "\r\n";
      ++out.lines;
      at_start = true;
      continue;
    }
    if (stuff && at_start && c == '.') {
      out.wire += '.';
      ++stuffed;
    }
    if (static_cast<unsigned char>(c) > 127) out.eight_bit = true;
    out.wire += c;
    at_start = false;
  }
  if (!at_start) {
    out.wire += "\r\n";
    ++out.lines;
  }
  out.bytes = out.wire.size() - stuffed;
  return out;
}

}  // namespace

stuffed_content dot_stuff(std::string_view content) {
  stuffed_content out = transform(content, true);
  out.wire += ".\r\n";
  return out;
}

std::string normalize_content(std::string_view content) { return transform(content, false).wire; }

}  // namespace sim::smtp
