// sim/smtp/dot_stuffer.cpp - dot-stuffing and line-end normalization.
#include "sim/smtp/dot_stuffer.hpp"

namespace sim::smtp {
namespace {

// Walks the content as data_reader will see it: CRLF and bare LF end a line,
// a bare CR is content.  `stuff` adds the extra dots.  Line by line: each
// line's text is copied in one piece.  `build`: false only counts (out.wire
// stays empty).
stuffed_content transform(std::string_view s, bool stuff, bool build = true) {
  stuffed_content out;
  if (build) out.wire.reserve(s.size() + s.size() / 32 + 8);
  std::uint64_t written = 0, stuffed = 0;
  auto put = [&](std::string_view piece) {
    if (build) out.wire += piece;
    written += piece.size();
  };
  for (std::size_t i = 0; i < s.size();) {
    std::size_t lf = s.find('\n', i);
    std::size_t end = lf == std::string_view::npos ? s.size() : lf;
    std::size_t text_end = lf != std::string_view::npos && end > i && s[end - 1] == '\r' ? end - 1 : end;
    if (stuff && text_end > i && s[i] == '.') {
      put(".");
      ++stuffed;
    }
    put(s.substr(i, text_end - i));
    put("\r\n");  // the last line gets its CRLF too
    ++out.lines;
    i = lf == std::string_view::npos ? s.size() : lf + 1;
  }
  unsigned char bits = 0;
  for (char c : s) bits |= static_cast<unsigned char>(c);
  out.eight_bit = (bits & 0x80) != 0;
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
