// server_fsm and adversarial input: unknown commands, bad tags, unbalanced
// parentheses, lying literals, a 1 GB literal, over-long lines, error and
// command limits, mailbox names that try to leave the mailbox.
#include <catch2/catch.hpp>

#include "sim/imap/limits.hpp"
#include "tests/sim/imap/server_fixture.hpp"

using namespace sim::imap;
using namespace sim::imap::test;

TEST_CASE("imap limits: protocol errors get BAD and the session goes on") {
  server_fixture f;
  auto d = f.logged_in();
  d->take();
  CHECK(d->send("a1 XYZZY\r\n") == "a1 BAD unknown command XYZZY\r\n");
  CHECK(d->send("+ NOOP\r\n") == "* BAD invalid or missing tag\r\n");
  CHECK(d->send("\r\n") == "* BAD empty command line\r\n");
  CHECK(d->send("a2\r\n") == "a2 BAD command name expected after the tag\r\n");
  CHECK(d->send("a3  NOOP\r\n") == "a3 BAD command name expected after the tag\r\n");
  CHECK(d->send("a4 SELECT INBOX)\r\n") == "a4 BAD unexpected text after the arguments\r\n");
  CHECK(d->send("a5 STATUS INBOX (MESSAGES\r\n") == "a5 BAD STATUS needs a mailbox and a list of items\r\n");
  CHECK(d->send("a6 FETCH 1 FLAGS\r\n") == "a6 BAD FETCH is not allowed in the authenticated state\r\n");
  CHECK(d->send("a7 LIST \"\" \"unterminated\r\n") == "a7 BAD malformed quoted string\r\n");
  CHECK(d->send("a8 NOOP\r\n") == "a8 OK NOOP completed\r\n");
}

TEST_CASE("imap limits: a literal that lies about its length swallows what follows, then BAD") {
  server_fixture f;
  auto d = f.logged_in();
  d->take();
  // {5} but 11 octets: the literal is "short", the rest is garbage to the parser.
  CHECK(d->send("a1 CREATE {5+}\r\nshort extra\r\na2 NOOP\r\n") ==
        "a1 BAD unexpected text after the arguments\r\na2 OK NOOP completed\r\n");
  // {20} but 5 octets: the next command is part of the literal.
  CHECK(d->send("b1 CREATE {20+}\r\nshort\r\nb2 NOOP\r\n") == "");
  CHECK(d->send("xxxx\r\n") == "b1 NO [CANNOT] mailbox name is not valid modified UTF-7\r\n");
  CHECK(d->send("b3 NOOP\r\n") == "b3 OK NOOP completed\r\n");
}

TEST_CASE("imap limits: a 1 GB literal is refused without reading it, non-synchronizing, the session ends") {
  server_fixture f;
  auto d = f.logged_in();
  d->take();
  CHECK(d->send("a1 APPEND INBOX {1073741824}\r\n") ==
        "a1 NO [TOOBIG] literal too large (limit 67108864 octets)\r\n");
  CHECK(d->send("a2 NOOP\r\n") == "a2 OK NOOP completed\r\n");
  // Refused before the literal if the command cannot succeed anyway.
  CHECK(d->send("a3 FETCH 1 {5}\r\n") == "a3 BAD FETCH is not allowed in the authenticated state\r\n");
  CHECK(d->send("a4 BOGUS {5}\r\n") == "a4 BAD unknown command BOGUS\r\n");
  CHECK(d->send("a5 APPEND INBOX {1073741824+}\r\nFrom: x\r\n") ==
        "* BYE [TOOBIG] non-synchronizing literal too large (limit 67108864 octets)\r\n");
  CHECK(d->closed);
}

TEST_CASE("imap limits: an over-long line is BAD, the next command is served") {
  server_fixture f;
  auto d = f.logged_in();
  d->take();
  std::string huge = "a1 SEARCH " + std::string(limits::command_line, 'X') + "\r\na2 NOOP\r\n";
  CHECK(d->send(huge) == "a1 BAD command line too long (limit 65536 octets)\r\na2 OK NOOP completed\r\n");
}

TEST_CASE("imap limits: twenty BAD commands end the session with BYE") {
  server_fixture f;
  server_driver d(f.store);
  d.take();
  std::string out;
  for (std::size_t i = 0; i + 1 < limits::max_errors; ++i) out += d.send("a BOGUS\r\n");
  CHECK_FALSE(d.closed);
  CHECK(d.send("b BOGUS\r\n") == "b BAD unknown command BOGUS\r\n* BYE too many errors, signing off\r\n");
  CHECK(d.closed);
}

TEST_CASE("imap limits: the command count per session") {
  server_fixture f;
  server_driver d(f.store);
  d.take();
  std::string many;
  for (std::size_t i = 1; i < limits::max_commands; ++i) many += "n NOOP\r\n";
  d.send(many);
  CHECK_FALSE(d.closed);
  CHECK(d.send("n NOOP\r\n") == "n OK NOOP completed\r\n");
  CHECK(d.send("n NOOP\r\n") == "* BYE [LIMIT] too many commands in one session\r\n");
  CHECK(d.closed);
}

TEST_CASE("imap limits: mailbox names cannot leave the mailbox") {
  server_fixture f;
  auto d = f.logged_in();
  d->take();
  const std::vector<std::string> tricks{"..", "../bob", "a/../../etc", "/etc/passwd", "a//b", "&AC4ALg-",
                                        "x/&AC4ALg-/y", "&AAA-", "a&AC8-b", "a\\\\b", "&AAo-", "caf\xc3\xa9"};
  for (const auto& name : tricks) {
    INFO(name);
    std::string quoted = "\"" + name + "\"";
    CHECK(d->send("c CREATE " + quoted + "\r\n").starts_with("c NO [CANNOT]"));
    CHECK(d->send("s SELECT " + quoted + "\r\n").starts_with("s NO [NONEXISTENT]"));
    CHECK(d->send("r RENAME INBOX " + quoted + "\r\n").starts_with("r NO [CANNOT]"));
    CHECK(d->send("a APPEND " + quoted + " {1+}\r\nx\r\n").starts_with("a NO [CANNOT]"));
  }
  // A NUL inside a literal name.
  CHECK(d->send(std::string("c CREATE {3+}\r\na\0b\r\n", 20)).starts_with("c NO [CANNOT] "));
  CHECK(f.store.folders("bob@example.org").size() == 4);
  CHECK(f.store.messages("bob@example.org", "INBOX").size() == 3);
}
