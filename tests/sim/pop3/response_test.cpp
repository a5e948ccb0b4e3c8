// tests/sim/pop3/response_test.cpp - status lines, byte-stuffing, TOP.
#include <catch2/catch.hpp>

#include "sim/pop3/response.hpp"

using namespace sim::pop3;

TEST_CASE("status lines with and without text and response code") {
  CHECK(ok_line("") == "+OK\r\n");
  CHECK(ok_line("1 2") == "+OK 1 2\r\n");
  CHECK(err_line("no") == "-ERR no\r\n");
  CHECK(err_line("IN-USE", "locked") == "-ERR [IN-USE] locked\r\n");
}

TEST_CASE("multiline_body stuffs leading dots and terminates (RFC 1939 section 3)") {
  CHECK(multiline_body("") == ".\r\n");
  CHECK(multiline_body("a\r\n") == "a\r\n.\r\n");
  CHECK(multiline_body(".\r\n..\r\n.x\r\nx.\r\n") == "..\r\n...\r\n..x\r\nx.\r\n.\r\n");
  // A last line without CRLF gets one, so the terminator stays on its own line.
  CHECK(multiline_body("a\r\n.b") == "a\r\n..b\r\n.\r\n");
  // A bare LF starts a line too: no terminator can hide behind it.
  CHECK(multiline_body("a\n.\r\n") == "a\n..\r\n.\r\n");
}

TEST_CASE("top_of returns the header, the blank line and n body lines") {
  const std::string message = "Subject: x\r\nFrom: a\r\n\r\nl1\r\nl2\r\nl3\r\n";
  CHECK(top_of(message, 0) == "Subject: x\r\nFrom: a\r\n\r\n");
  CHECK(top_of(message, 1) == "Subject: x\r\nFrom: a\r\n\r\nl1\r\n");
  CHECK(top_of(message, 3) == message);
  CHECK(top_of(message, 4) == message);
  CHECK(top_of("Subject: x\r\n", 5) == "Subject: x\r\n");
  CHECK(top_of("H: v\r\n\r\nlast-no-crlf", 1) == "H: v\r\n\r\nlast-no-crlf");
  CHECK(top_of("\r\nbody\r\n", 0) == "\r\n");
}

TEST_CASE("parse_status reads indicator, response code and text") {
  auto got = parse_status("+OK 2 320");
  REQUIRE(got);
  CHECK(got->ok);
  CHECK(got->code.empty());
  CHECK(got->text == "2 320");
  got = parse_status("-ERR [IN-USE] locked");
  REQUIRE(got);
  CHECK_FALSE(got->ok);
  CHECK(got->code == "IN-USE");
  CHECK(got->text == "locked");
  got = parse_status("-ERR [SYS/TEMP]");
  REQUIRE(got);
  CHECK(got->code == "SYS/TEMP");
  CHECK(got->text.empty());
  got = parse_status("+OK");
  REQUIRE(got);
  CHECK(got->text.empty());
  CHECK_FALSE(parse_status("+OKAY"));
  CHECK_FALSE(parse_status("OK"));
  CHECK_FALSE(parse_status(""));
}

TEST_CASE("unstuff removes one leading dot and spots the terminator") {
  CHECK_FALSE(unstuff("."));
  CHECK(unstuff("..") == std::optional<std::string_view>("."));
  CHECK(unstuff(".x") == std::optional<std::string_view>("x"));
  CHECK(unstuff("x.") == std::optional<std::string_view>("x."));
  CHECK(unstuff("") == std::optional<std::string_view>(""));
}
