// tests/sim/campaign/recipients_file_test.cpp - lists of recipients: one a
// line, names, comments, and the line of the first problem.
#include <catch2/catch.hpp>

#include "sim/campaign/recipients_file.hpp"

using namespace sim::campaign;

namespace {

std::optional<std::string> canonical(std::string_view a) {
  auto at = a.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 == a.size()) return std::nullopt;
  return std::string(a);
}

}  // namespace

TEST_CASE("recipients file: addresses, names, comments, blank lines, CRLF") {
  auto list = parse_recipients("# the spring list\r\nanna@mail.example  Anna Berg \r\n\n  bob@post.example\n", canonical);
  REQUIRE_FALSE(list.problem);
  REQUIRE(list.recipients.size() == 2);
  CHECK(list.recipients[0].address == "anna@mail.example");
  CHECK(list.recipients[0].name == "Anna Berg");
  CHECK(list.recipients[1].address == "bob@post.example");
  CHECK(list.recipients[1].name.empty());
}

TEST_CASE("recipients file: the first bad line is named") {
  auto list = parse_recipients("anna@mail.example\n\nnot-an-address\n", canonical);
  REQUIRE(list.problem);
  CHECK(list.problem->line == 3);
  CHECK(list.problem->what == "\"not-an-address\" is not an address (RFC 5321 local@domain)");
  auto twice = parse_recipients("anna@mail.example\nbob@mail.example\nanna@mail.example\n", canonical);
  REQUIRE(twice.problem);
  CHECK(twice.problem->line == 3);
  CHECK(twice.problem->what == "anna@mail.example is already on line 1");
}

TEST_CASE("recipients file: over the size limit") {
  std::string big(max_file_bytes + 1, '#');
  auto list = parse_recipients(big, canonical);
  REQUIRE(list.problem);
  CHECK(list.problem->line == 0);
  CHECK(list.problem->what.find("over the limit of 67108864") != std::string::npos);
}
