// tests/sim/pop3/command_test.cpp - command parsing, numbers, masking.
#include <catch2/catch.hpp>

#include "sim/pop3/command.hpp"
#include "sim/pop3/limits.hpp"

using namespace sim::pop3;

TEST_CASE("parse_command upper-cases the keyword and keeps the argument as sent") {
  auto got = parse_command("pass My Secret ");
  CHECK(got.keyword == "PASS");
  CHECK(got.argument == "My Secret ");
  got = parse_command("stat");
  CHECK(got.keyword == "STAT");
  CHECK(got.argument.empty());
  got = parse_command("");
  CHECK(got.keyword.empty());
}

TEST_CASE("split_arguments splits on single spaces and keeps empty arguments") {
  CHECK(split_arguments("").empty());
  CHECK(split_arguments("1 10") == std::vector<std::string_view>{"1", "10"});
  CHECK(split_arguments("1  10") == std::vector<std::string_view>{"1", "", "10"});
  CHECK(split_arguments("1 ") == std::vector<std::string_view>{"1", ""});
}

TEST_CASE("parse_number takes digits only, up to the digit limit") {
  CHECK(parse_number("0") == 0u);
  CHECK(parse_number("42") == 42u);
  CHECK(parse_number(std::string(limits::max_number_digits, '9')) == 999999999u);
  CHECK_FALSE(parse_number(std::string(limits::max_number_digits + 1, '1')));
  CHECK_FALSE(parse_number(""));
  CHECK_FALSE(parse_number("-1"));
  CHECK_FALSE(parse_number("+1"));
  CHECK_FALSE(parse_number("1a"));
  CHECK_FALSE(parse_number(" 1"));
}

TEST_CASE("mask_command hides the PASS argument only") {
  CHECK(mask_command("PASS hunter2") == "PASS ********");
  CHECK(mask_command("pass with spaces") == "pass ********");
  CHECK(mask_command("PASS") == "PASS ********");
  CHECK(mask_command("USER bob@example.org") == "USER bob@example.org");
  CHECK(mask_command("PASSWORD x") == "PASSWORD x");
}
