// command_reader: commands and literals split at every offset, limits, line mode.
#include <catch2/catch.hpp>

#include "sim/imap/command_reader.hpp"

using namespace sim::imap;

namespace {

// Feeds `input` in two pieces cut at `cut`, answering every synchronizing
// literal with accept; returns a description of each event.
std::vector<std::string> events(std::string_view input, std::size_t cut, reader_limits limits = {}) {
  command_reader r(limits);
  std::vector<std::string> out;
  auto drain = [&] {
    while (auto ev = r.next()) {
      switch (ev->what) {
        case reader_event::kind::command: out.push_back("command:" + ev->text); break;
        case reader_event::kind::literal_request:
          out.push_back("literal:" + std::to_string(ev->size) + (ev->within_limits ? "" : ":too big"));
          if (ev->within_limits) r.accept_literal();
          else r.reject_literal();
          break;
        case reader_event::kind::too_long: out.push_back("too long:" + ev->text); break;
        case reader_event::kind::literal_too_big: out.push_back("literal too big"); break;
      }
    }
  };
  r.feed(input.substr(0, cut));
  drain();
  r.feed(input.substr(cut));
  drain();
  return out;
}

}  // namespace

TEST_CASE("command_reader: lines, both literal forms and bare LF, split at every offset") {
  const std::string input =
      "a1 NOOP\r\n"
      "a2 LOGIN {3}\r\nbob {2+}\r\npw\r\n"
      "a3 APPEND INBOX {12}\r\nSubject: x\r\n\r\n"
      "a4 CAPABILITY\n"
      "a5 LOGIN {0}\r\n {0+}\r\n\r\n";
  const std::vector<std::string> want{
      "command:a1 NOOP",
      "literal:3",
      "command:a2 LOGIN {3}\r\nbob {2+}\r\npw",
      "literal:12",
      "command:a3 APPEND INBOX {12}\r\nSubject: x\r\n",
      "command:a4 CAPABILITY",
      "literal:0",
      "command:a5 LOGIN {0}\r\n {0+}\r\n",
  };
  for (std::size_t cut = 0; cut <= input.size(); ++cut) {
    INFO("cut at " << cut);
    CHECK(events(input, cut) == want);
  }
}

TEST_CASE("command_reader: a synchronizing literal waits for a decision, rejected, its octets never count") {
  command_reader r;
  r.feed("a1 APPEND INBOX {5}\r\na2 NOOP\r\n");
  auto ev = r.next();
  REQUIRE(ev);
  CHECK(ev->what == reader_event::kind::literal_request);
  CHECK(ev->text == "a1 APPEND INBOX {5}\r\n");
  CHECK(r.waiting_for_decision());
  CHECK_FALSE(r.next());  // nothing until the server decides
  r.reject_literal();
  ev = r.next();
  REQUIRE(ev);
  CHECK(ev->text == "a2 NOOP");  // the client sent no literal: this is a command
}

TEST_CASE("command_reader: a 1 GB synchronizing literal is announced, refused, never buffered") {
  command_reader r;
  r.feed("a1 APPEND INBOX {1073741824}\r\n");
  auto ev = r.next();
  REQUIRE(ev);
  CHECK(ev->what == reader_event::kind::literal_request);
  CHECK(ev->size == 1073741824);
  CHECK_FALSE(ev->within_limits);
  r.reject_literal();
  CHECK(r.buffered() == 0);
  // Sizes past 64 bits saturate rather than wrap around.
  r.feed("a2 LOGIN {99999999999999999999999} x\r\na3 LOGIN {99999999999999999999999}\r\n");
  ev = r.next();
  REQUIRE(ev);
  CHECK(ev->what == reader_event::kind::command);  // "{...} x" is no literal announcement
  ev = r.next();
  REQUIRE(ev);
  CHECK(ev->what == reader_event::kind::literal_request);
  CHECK_FALSE(ev->within_limits);
}

TEST_CASE("command_reader: a non-synchronizing literal past the limit cannot be skipped: the reader stops") {
  command_reader r;
  r.feed("a1 APPEND INBOX {1073741824+}\r\nxxxx");
  auto ev = r.next();
  REQUIRE(ev);
  CHECK(ev->what == reader_event::kind::literal_too_big);
  r.feed("a2 NOOP\r\n");
  CHECK_FALSE(r.next());
}

TEST_CASE("command_reader: an over-long line is dropped as it arrives and reported with its start") {
  reader_limits small;
  small.line = 32;
  command_reader r(small);
  r.feed("a1 SEARCH ");
  for (int i = 0; i < 1000; ++i) {
    r.feed("TEXT xxxxxxxxxxxxxxxx ");
    CHECK(r.buffered() <= small.line);
    CHECK_FALSE(r.next());
  }
  r.feed("ALL\r\na2 NOOP\r\n");
  auto ev = r.next();
  REQUIRE(ev);
  CHECK(ev->what == reader_event::kind::too_long);
  CHECK(ev->text.starts_with("a1 SEARCH TEXT"));
  ev = r.next();
  REQUIRE(ev);
  CHECK(ev->text == "a2 NOOP");
  // A line exactly at the limit (CRLF included) is fine; one octet more is not.
  r.feed(std::string("a3 ") + std::string(27, 'x') + "\r\n");
  CHECK(r.next()->what == reader_event::kind::command);
  r.feed(std::string("a4 ") + std::string(28, 'x') + "\r\n");
  CHECK(r.next()->what == reader_event::kind::too_long);
}

TEST_CASE("command_reader: an over-long line ending in {n+} skips the literal and the rest of the command") {
  reader_limits small;
  small.line = 32;
  for (std::size_t cut = 0; cut < 90; ++cut) {
    std::string input = std::string("a1 APPEND ") + std::string(40, 'M') + " {5+}\r\nhello\r\na2 NOOP\r\n";
    auto got = events(input, std::min(cut, input.size()), small);
    INFO("cut at " << cut);
    REQUIRE(got.size() == 2);
    CHECK(got[0].starts_with("too long:a1 APPEND MMM"));
    CHECK(got[1] == "command:a2 NOOP");
  }
}

TEST_CASE("command_reader: literal count and command size limits") {
  reader_limits l;
  l.literals = 2;
  CHECK(events("a LOGIN {1}\r\nx {1}\r\ny {1}\r\nz\r\n", 0, l) ==
        std::vector<std::string>{"literal:1", "literal:1", "literal:1:too big", "command:z"});
  l = {};
  l.command = 50;
  CHECK(events("a APPEND INBOX {40}\r\n", 0, l) == std::vector<std::string>{"literal:40:too big"});
}

TEST_CASE("command_reader: line mode hands out raw lines, literal-looking or not") {
  command_reader r;
  r.feed("AGJvYgBwdw==\r\n{5}\r\nDONE\n");
  CHECK(r.next_line()->text == "AGJvYgBwdw==");
  CHECK(r.next_line()->text == "{5}");
  CHECK(r.next_line()->text == "DONE");
  CHECK_FALSE(r.next_line());
  reader_limits small;
  small.line = 8;
  command_reader s(small);
  s.feed("0123456789");
  CHECK_FALSE(s.next_line());
  s.feed("\r\nDONE\r\n");
  CHECK(s.next_line()->too_long);
  CHECK(s.next_line()->text == "DONE");
}
