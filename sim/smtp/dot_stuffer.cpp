// sim/smtp/dot_stuffer.cpp - dot-stuffing and line-end normalization.
#include "sim/smtp/dot_stuffer.hpp"

namespace sim::smtp {
namespace {

// Walks the content as data_reader will see it: CRLF and bare LF end a line,
// a bare CR is content.  `stuff` adds the extra dots.
// `build`: false only counts (out.wire stays empty).
stuffed_content transform(std::string_view s, bool stuff, bool build = true) {
  stuffed_content out;
  if (build) out.wire.reserve(s.size() + s.size() / 32 + 8);
  bool at_start = true;
  std::uint64_t written = 0, stuffed = 0;
  auto put = [&](std::string_view piece) {
    if (build) out.wire += piece;
    written += piece.size();
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\n' || (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) {
      if (c == '\r') ++i;
      put("\r\n");
      ++out.lines;
      at_start = true;
      continue;
    }
    if (stuff && at_start && c == '.') {
      put(".");
      ++stuffed;
    }
    if (static_cast<unsigned char>(c) > 127) out.eight_bit = true;
    put(std::string_view(&s[i], 1));
    at_start = false;
  }
  if (!at_start) {
    put("\r\n");
    ++out.lines;
  }
  out.bytes = written - stuffed;
  return out;
}

}  // namespace

stuffed_content dot_stuff(std::string_view content) {
  stuffed_content out = transform(content, true);
  out.wire += ".\r\n";
  return out;
}

std::string normalize_content(std::string_view content) { return transform(content, false).wire; }

stuffed_content measure_content(std::string_view content) { return transform(content, true, false); }

}  // namespace sim::smtp
