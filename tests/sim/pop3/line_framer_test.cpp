// tests/sim/pop3/line_framer_test.cpp - CRLF framing, split input, the line limit.
#include <catch2/catch.hpp>

#include "sim/pop3/line_framer.hpp"

using sim::pop3::line_framer;

namespace {

std::vector<std::string> lines_of(line_framer& framer) {
  std::vector<std::string> out;
  while (auto line = framer.next()) out.push_back(line->too_long ? "<too long>" : line->text);
  return out;
}

}  // namespace

TEST_CASE("line_framer cuts CRLF and bare LF lines at every split") {
  const std::string input = "USER bob\r\n\r\nPASS a b\nSTAT\r\nQU";
  const std::vector<std::string> want = {"USER bob", "", "PASS a b", "STAT"};
  for (std::size_t cut = 0; cut <= input.size(); ++cut) {
    line_framer framer;
    framer.feed(input.substr(0, cut));
    auto got = lines_of(framer);
    framer.feed(input.substr(cut));
    auto rest = lines_of(framer);
    got.insert(got.end(), rest.begin(), rest.end());
    CHECK(got == want);
    CHECK(framer.pending() == 2);  // "QU" waits for its line end
  }
}

TEST_CASE("line_framer keeps a CR that is not before LF") {
  line_framer framer;
  framer.feed("a\rb\r\r\n");
  auto got = framer.next();
  REQUIRE(got);
  CHECK(got->text == "a\rb\r");
}

TEST_CASE("line_framer limit counts the terminator, at and past the boundary") {
  const std::size_t max = 10;
  SECTION("CRLF line of exactly the limit") {
    line_framer framer(max);
    framer.feed(std::string(8, 'x') + "\r\n");
    CHECK(lines_of(framer) == std::vector<std::string>{std::string(8, 'x')});
  }
  SECTION("CRLF line one past the limit") {
    line_framer framer(max);
    framer.feed(std::string(9, 'x') + "\r\nNEXT\r\n");
    CHECK(lines_of(framer) == std::vector<std::string>{"<too long>", "NEXT"});
  }
  SECTION("bare LF line of exactly the limit") {
    line_framer framer(max);
    framer.feed(std::string(9, 'x') + "\n");
    CHECK(lines_of(framer) == std::vector<std::string>{std::string(9, 'x')});
  }
  SECTION("an over-long line fed byte by byte is not buffered") {
    line_framer framer(max);
    std::vector<std::string> got;
    const std::string input = std::string(100, 'y') + "\r\nOK\r\n";
    for (char c : input) {
      framer.feed(std::string_view(&c, 1));
      CHECK(framer.pending() <= max);
      auto some = lines_of(framer);
      got.insert(got.end(), some.begin(), some.end());
    }
    CHECK(got == std::vector<std::string>{"<too long>", "OK"});
  }
}
