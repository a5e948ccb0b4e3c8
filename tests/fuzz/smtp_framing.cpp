// smtp_framing: sim/smtp/line_framer (server side) and reply_parser (client side).
//
// Input: one byte choosing the split and the line limit, then a stream that
// is cut into command lines and, separately, read as server replies.
//
// Invariants: both give the same result however the bytes are split; the
// framer agrees with a plain model (a line is what precedes LF, less one
// CR; one over limit - 2 octets is `overlong`); replies have codes in
// 200..599 and read back as themselves once formatted.
#include <string>
#include <vector>

#include "sim/smtp/line_framer.hpp"
#include "sim/smtp/reply.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::smtp;

namespace {

// "L:text" per line, "O" per overlong line.
std::vector<std::string> frame(std::string_view stream, std::size_t max_line, std::uint8_t split, bool chunked) {
  line_framer framer(max_line);
  std::vector<std::string> out;
  auto run = [&](std::string_view piece) {
    while (!piece.empty()) {
      std::size_t used = 0;
      auto r = framer.feed(piece, used);
      fuzz::check(used > 0 && used <= piece.size(), "the framer consumes something");
      piece.remove_prefix(used);
      if (r == line_framer::result::line) out.push_back("L:" + framer.line());
      else if (r == line_framer::result::overlong) out.push_back("O");
      else fuzz::check(piece.empty(), "need_more only at the end of the input");
    }
  };
  if (!chunked) run(stream);
  else
    for (fuzz::chunker c(stream, split); !c.done();) run(c.next());
  return out;
}

std::vector<std::string> model(std::string_view stream, std::size_t max_line) {
  std::vector<std::string> out;
  for (std::size_t lf; (lf = stream.find('\n')) != std::string_view::npos; stream.remove_prefix(lf + 1)) {
    std::string_view text = stream.substr(0, lf);
    if (text.ends_with('\r')) text.remove_suffix(1);
    out.push_back(text.size() > max_line - 2 ? "O" : "L:" + std::string(text));
  }
  return out;
}

// A parsed reply, formatted; it must read back as itself when its lines
// fit (a later line gains the enhanced code on the way out).
std::string check_reply(const reply& r) {
  fuzz::check(r.code >= 200 && r.code <= 599 && !r.lines.empty(), "a parsed reply has a code and a line");
  std::string wire = format_reply(r);
  for (const auto& line : wire_lines(r))
    if (line.size() + 2 > limits::reply_line) return wire;
  reply_parser again;
  fuzz::check(again.feed(wire) == wire.size() && again.state() == reply_parser::status::complete,
              "a formatted reply reads back", wire);
  fuzz::check(again.take() == r, "a formatted reply reads back as itself", wire);
  return wire;
}

std::vector<std::string> replies(std::string_view stream, std::uint8_t split, bool chunked) {
  reply_parser parser;
  std::vector<std::string> out;
  std::string buffered;
  fuzz::chunker c(stream, split);
  bool given = false;
  while (true) {
    buffered.erase(0, parser.feed(buffered));
    if (parser.state() == reply_parser::status::malformed) {
      out.push_back("malformed: " + parser.error());
      return out;
    }
    if (parser.state() == reply_parser::status::complete) {
      out.push_back(check_reply(parser.take()));
      continue;
    }
    fuzz::check(buffered.empty(), "need_more only once everything is read");
    if (chunked ? c.done() : given) return out;
    buffered = chunked ? std::string(c.next()) : std::string(stream);
    given = true;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  std::uint8_t opts = in.byte();
  std::size_t max_line = (opts & 1) ? 3 + (opts >> 3) : 512;
  std::string_view stream = in.rest();

  auto lines = frame(stream, max_line, opts, false);
  fuzz::check(lines == frame(stream, max_line, opts, true), "the same lines however the input is split");
  fuzz::check(lines == model(stream, max_line), "lines as the model cuts them");

  fuzz::check(replies(stream, opts, false) == replies(stream, opts, true),
              "the same replies however the input is split");
  return 0;
}
