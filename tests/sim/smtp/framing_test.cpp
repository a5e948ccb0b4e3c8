// Command line framing, DATA reading and dot-stuffing, fed at every split.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/smtp/data_reader.hpp"
#include "sim/smtp/dot_stuffer.hpp"
#include "sim/smtp/line_framer.hpp"

using namespace sim::smtp;

namespace {

// Frames `input` fed in two chunks split at `cut`; lines, "<overlong>" for overlong ones.
std::vector<std::string> frame(std::string_view input, std::size_t cut) {
  line_framer f;
  std::vector<std::string> got;
  for (std::string_view chunk : {input.substr(0, cut), input.substr(cut)}) {
    while (!chunk.empty()) {
      std::size_t used = 0;
      auto r = f.feed(chunk, used);
      chunk.remove_prefix(used);
      if (r == line_framer::result::line) got.push_back(f.line());
      if (r == line_framer::result::overlong) got.push_back("<overlong>");
    }
  }
  return got;
}

struct read_result {
  std::string content;
  bool done = false;
  std::size_t consumed = 0;
};

read_result read_data(std::string_view input, std::size_t cut) {
  data_reader r;
  read_result out;
  for (std::string_view chunk : {input.substr(0, cut), input.substr(cut)}) {
    if (r.done()) break;
    out.consumed += r.feed(chunk);
  }
  out.done = r.done();
  out.content = r.content();
  return out;
}

}  // namespace

TEST_CASE("line framer splits lines at every offset") {
  std::string input = "EHLO a\r\nMAIL FROM:<x@y>\nNOOP\r\n\r\n";
  std::vector<std::string> want{"EHLO a", "MAIL FROM:<x@y>", "NOOP", ""};
  for (std::size_t cut = 0; cut <= input.size(); ++cut) REQUIRE(frame(input, cut) == want);
}

TEST_CASE("line framer: 512 octets with CRLF pass, 513 are overlong and skipped") {
  std::string at_limit(510, 'a'), past(511, 'b');
  std::string input = at_limit + "\r\n" + past + "\r\nNOOP\r\n" + std::string(2000, 'c') + "\nQUIT\r\n";
  std::vector<std::string> want{at_limit, "<overlong>", "NOOP", "<overlong>", "QUIT"};
  for (std::size_t cut = 0; cut <= input.size(); cut += 7) REQUIRE(frame(input, cut) == want);
  // With a bare LF the text may still be 510 octets, not 511.
  REQUIRE(frame(at_limit + "\n", 0) == std::vector<std::string>{at_limit});
  REQUIRE(frame(past + "\n", 0) == std::vector<std::string>{"<overlong>"});
}

TEST_CASE("data reader ends only at CRLF dot CRLF, at every split") {
  struct example {
    std::string input, content;
  };
  std::vector<example> cases{
      {".\r\n", ""},
      {"a\r\n.\r\n", "a\r\n"},
      {"..a\r\n..\r\n.\r\n", ".a\r\n.\r\n"},
      {"a\nb\r\n.\r\n", "a\r\nb\r\n"},        // bare LF normalized
      {"a\rb\r\n.\r\n", "a\rb\r\n"},          // bare CR kept
      {"x\r\n.\r\nMAIL", "x\r\n"},            // stops at the terminator
  };
  for (auto& c : cases) {
    for (std::size_t cut = 0; cut <= c.input.size(); ++cut) {
      auto got = read_data(c.input, cut);
      REQUIRE(got.done);
      REQUIRE(got.content == c.content);
      REQUIRE(got.consumed == c.input.size() - (c.input.ends_with("MAIL") ? 4 : 0));
    }
  }
}

TEST_CASE("data reader leaves bytes after the terminator unread") {
  for (std::size_t cut = 0; cut <= 10; ++cut) {
    auto got = read_data("x\r\n.\r\nMAIL", cut);
    REQUIRE(got.consumed == 6);
  }
}

TEST_CASE("smuggling sequences never end DATA (CVE-2023-51764)") {
  std::vector<std::string> smuggle{"\n.\n",       "\n.\r\n",     "\r.\r\n",  "\r\n.\n",   "\r\n.\r",
                                   "\r\n\0.\r\n", "\r\n.\0\r\n", "\n.\r\r\n", "\r.\n",    "\r\n.\r\r\n",
                                   "\r\r\n.\n",   ".\n",         "\n\n.\n\n", "\r\n .\r\n"};
  smuggle[5] = std::string("\r\n\0.\r\n", 6);
  smuggle[6] = std::string("\r\n.\0\r\n", 6);
  for (auto& seq : smuggle) {
    std::string input = "a" + seq + "MAIL FROM:<evil@x>\r\n";
    for (std::size_t cut = 0; cut <= input.size(); ++cut) {
      data_reader r;
      r.feed(std::string_view(input).substr(0, cut));
      r.feed(std::string_view(input).substr(cut));
      INFO("sequence index " << (&seq - smuggle.data()) << " cut " << cut);
      REQUIRE_FALSE(r.done());
    }
  }
}

TEST_CASE("data reader: a dot line after a bare LF is content") {
  auto got = read_data("a\n.\r\nb\r\n.\r\n", 0);
  REQUIRE(got.done);
  REQUIRE(got.content == "a\r\n.\r\nb\r\n");
}

TEST_CASE("data reader counts lines, the longest line and stored size") {
  std::string at(998, 'x'), past(999, 'y');  // 1000 octets with CRLF, and 1001
  data_reader r;
  r.feed(at + "\r\n" + past + "\r\n.\r\n");
  REQUIRE(r.done());
  REQUIRE(r.lines() == 2);
  REQUIRE(r.longest_line() == 999);  // accepted, as Postfix does
  data_reader small(10);
  small.feed("0123456789abc\r\n.\r\n");
  REQUIRE(small.size() == 15);
  REQUIRE(small.content().size() == 10);
  REQUIRE(small.truncated());
}

// Whole lines go in one piece (plain_line); one octet at a time they never
// do.  Both must store and count alike, also when the stored size runs out
// inside a line or between its CR and LF.
TEST_CASE("data reader: whole lines and octets one by one read alike") {
  const std::vector<std::string> inputs{
      "Subject: x\r\n\r\nbody line\r\nsecond\r\n.\r\n", "a\rb\r\nc\r\r\n.\r\n",  "a\nb\r\n.\r\n",
      "\r\n\r\nx\r\n.\r\n",                          "..stuffed\r\n.x\r\n.\r\n",  "a\n.\r\nb\r\n.\r\n",
      "\ra\r\n\nb\r\n.\r\n",                          "0123456789abc\r\n.\r\n",    "x\r\nno end yet"};
  for (const auto& input : inputs) {
    for (std::uint64_t max : {std::uint64_t{UINT64_MAX}, std::uint64_t{0}, std::uint64_t{4}, std::uint64_t{10},
                              std::uint64_t{11}, std::uint64_t{12}}) {
      data_reader whole(max), by_octet(max);
      std::size_t used = whole.feed(input), used_by_octet = 0;
      for (char c : input)
        if (!by_octet.done()) used_by_octet += by_octet.feed(std::string_view(&c, 1));
      INFO("input " << (&input - inputs.data()) << " max " << max);
      CHECK(used == used_by_octet);
      CHECK(whole.done() == by_octet.done());
      CHECK(whole.content() == by_octet.content());
      CHECK(whole.size() == by_octet.size());
      CHECK(whole.lines() == by_octet.lines());
      CHECK(whole.longest_line() == by_octet.longest_line());
    }
  }
}

TEST_CASE("dot-stuffing round trips through the data reader at every split") {
  std::vector<std::string> contents{"",          "a",         ".",          "..",       ".\r\n",    "a\n.\nb",
                                    "line\r\n.", "\r\n.\r\n", "x\r",       "a\r\n",    "\n\n",     ".a\r\n.b",
                                    "From: a\r\n\r\n. leading\r\n.\r\nend\r\n"};
  for (auto& c : contents) {
    auto s = dot_stuff(c);
    std::string want = normalize_content(c);
    REQUIRE(s.bytes == want.size());
    // measure_content() counts the same without building anything.
    auto m = measure_content(c);
    REQUIRE(m.wire.empty());
    REQUIRE(m.bytes == s.bytes);
    REQUIRE(m.lines == s.lines);
    REQUIRE(m.eight_bit == s.eight_bit);
    for (std::size_t cut = 0; cut <= s.wire.size(); ++cut) {
      auto got = read_data(s.wire, cut);
      INFO("content [" << c << "] cut " << cut);
      REQUIRE(got.done);
      REQUIRE(got.consumed == s.wire.size());
      REQUIRE(got.content == want);
    }
  }
}

TEST_CASE("dot-stuffer output") {
  auto s = dot_stuff("a\n.b\r\n..");
  REQUIRE(s.wire == "a\r\n..b\r\n...\r\n.\r\n");
  REQUIRE(s.lines == 3);
  REQUIRE_FALSE(s.eight_bit);
  REQUIRE(dot_stuff("").wire == ".\r\n");
  REQUIRE(dot_stuff("caf\xc3\xa9").eight_bit);
}
