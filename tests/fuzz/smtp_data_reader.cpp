// smtp_data_reader: sim/smtp/data_reader, the DATA content up to CRLF.CRLF.
//
// Input: one byte choosing the split and a storage limit, then what a
// client sends after 354.
//
// Invariants: the same result however the bytes are split; it stops right
// after the first CRLF "." CRLF (or a "." CRLF at the very start) and never
// elsewhere (the smuggling defence); stored content has CRLF line ends
// only and never more than the limit; what it read survives dot-stuffing
// and reading back; and dot_stuff() of any text reads back as that text
// normalized (dot_stuffer.hpp's promise).
#include <string>

#include "sim/smtp/data_reader.hpp"
#include "sim/smtp/dot_stuffer.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::smtp;

namespace {

struct result {
  std::size_t used = 0;
  bool done = false;
  std::string content;
  std::uint64_t size = 0, lines = 0, longest = 0;
  bool operator==(const result&) const = default;
};

result read(std::string_view stream, std::uint64_t limit, std::uint8_t split, bool chunked) {
  data_reader reader(limit);
  result r;
  if (!chunked) {
    r.used = reader.feed(stream);
  } else {
    for (fuzz::chunker c(stream, split); !c.done() && !reader.done();) {
      std::string_view piece = c.next();
      std::size_t used = reader.feed(piece);
      fuzz::check(used == piece.size() || reader.done(), "a piece is consumed whole unless it ends the data");
      r.used += used;
    }
  }
  r.done = reader.done();
  r.content = reader.content();
  r.size = reader.size();
  r.lines = reader.lines();
  r.longest = reader.longest_line();
  fuzz::check(r.content.size() <= limit, "never stores more than the limit");
  fuzz::check(reader.truncated() == (r.size > r.content.size()), "truncated when something was not stored");
  return r;
}

// The offset just after the first end-of-data sequence, or npos.
std::size_t terminator_end(std::string_view s) {
  if (s.starts_with(".\r\n")) return 3;
  std::size_t at = s.find("\r\n.\r\n");
  return at == std::string_view::npos ? at : at + 5;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  std::uint8_t opts = in.byte();
  std::uint64_t limit = (opts & 1) ? 16 : UINT64_MAX;
  std::string_view stream = in.rest();

  result whole = read(stream, limit, opts, false);
  fuzz::check(whole == read(stream, limit, opts, true), "the same content however the input is split");

  std::size_t end = terminator_end(stream);
  fuzz::check(whole.done == (end != std::string_view::npos), "done exactly when CRLF.CRLF came");
  fuzz::check(whole.used == (whole.done ? end : stream.size()), "stops right after the terminator");
  for (std::size_t i = 0; i < whole.content.size(); ++i)
    if (whole.content[i] == '\n') fuzz::check(i > 0 && whole.content[i - 1] == '\r', "no bare LF stored");
  if (whole.done && whole.size == whole.content.size()) {
    stuffed_content again = dot_stuff(whole.content);
    result back = read(again.wire, UINT64_MAX, 0, false);
    fuzz::check(back.done && back.used == again.wire.size(), "re-stuffed content ends once");
    fuzz::check(back.content == whole.content, "content survives dot-stuffing and reading back");
    fuzz::check(again.bytes == whole.size, "dot_stuff counts the same octets");
  }

  stuffed_content stuffed = dot_stuff(stream);
  result back = read(stuffed.wire, UINT64_MAX, 0, false);
  fuzz::check(back.done && back.used == stuffed.wire.size(), "dot-stuffed text ends once, at its end");
  fuzz::check(back.content == normalize_content(stream), "reading dot_stuff(x) gives normalize(x)");
  fuzz::check(stuffed.bytes == back.size, "dot_stuff counts the normalized octets");
  return 0;
}
