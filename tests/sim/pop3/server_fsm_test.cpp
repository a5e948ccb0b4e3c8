// tests/sim/pop3/server_fsm_test.cpp - server_fsm: the whole dialogue, split input,
// every command in every state.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "server_fixture.hpp"

using namespace sim::pop3;
using namespace sim::pop3::test;

namespace {

const std::string session_input =
    "CAPA\r\nUSER bob@example.org\r\nPASS pw\r\nSTAT\r\nLIST\r\nUIDL\r\nRETR 2\r\nDELE 1\r\n"
    "LIST 1\r\nTOP 2 1\r\nQUIT\r\n";

std::string session_output(const server_fixture& f) {
  auto size_one = message_one.size();
  auto size_two = message_two.size();
  return fmt::format(
      "+OK POP3 server ready\r\n"
      "+OK Capability list follows\r\nTOP\r\nUSER\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\n"
      "IMPLEMENTATION mailsim\r\n.\r\n"
      "+OK send PASS\r\n"
      "+OK maildrop has 2 messages ({0} octets)\r\n"
      "+OK 2 {0}\r\n"
      "+OK 2 messages ({0} octets)\r\n1 {1}\r\n2 {2}\r\n.\r\n"
      "+OK unique-id listing follows\r\n1 {3}\r\n2 {4}\r\n.\r\n"
      "+OK {2} octets\r\nSubject: two\r\nFrom: a@b\r\n\r\n..dot\r\n...\r\n..\r\nend\r\n.\r\n"
      "+OK message 1 deleted\r\n"
      "-ERR message 1 already deleted\r\n"
      "+OK top of message follows\r\nSubject: two\r\nFrom: a@b\r\n\r\n..dot\r\n.\r\n"
      "+OK POP3 server signing off (1 messages left)\r\n",
      size_one + size_two, size_one, size_two, f.uid_one, f.uid_two);
}

}  // namespace

TEST_CASE("server_fsm: a whole session, byte for byte") {
  server_fixture f;
  server_driver d(f.drop);
  d.feed(session_input);
  CHECK(d.sent == session_output(f));
  CHECK(d.closed);
  CHECK(d.fsm.state() == server_state::closed);
  CHECK(d.commits == std::vector<std::vector<std::string>>{{f.uid_one}});
  auto left = f.drop.messages("bob@example.org");
  REQUIRE(left.size() == 1);
  CHECK(left[0].uid == f.uid_two);
  CHECK_FALSE(f.drop.is_locked("bob@example.org"));
  CHECK(d.commands[2] == "PASS ********");
}

TEST_CASE("server_fsm: input split at every byte offset gives the same session") {
  for (std::size_t cut = 0; cut <= session_input.size(); ++cut) {
    server_fixture f;
    server_driver d(f.drop);
    d.feed_split(session_input, {cut});
    CHECK(d.sent == session_output(f));
    CHECK(d.commits.size() == 1);
  }
  server_fixture f;
  server_driver d(f.drop);
  std::vector<std::size_t> every;
  for (std::size_t i = 1; i < session_input.size(); ++i) every.push_back(i);
  d.feed_split(session_input, every);
  CHECK(d.sent == session_output(f));
}

TEST_CASE("server_fsm: every command in AUTHORIZATION") {
  struct row {
    std::string line;
    std::string want;
  };
  const std::vector<row> rows = {
      {"USER bob@example.org", "+OK send PASS"},
      {"USER", "-ERR USER needs a name"},
      {"PASS pw", "-ERR USER first"},
      {"QUIT", "+OK POP3 server signing off"},
      {"QUIT now", "-ERR no argument expected"},
      {"CAPA", "+OK Capability list follows"},
      {"STAT", "-ERR STAT not allowed in the AUTHORIZATION state"},
      {"LIST", "-ERR LIST not allowed in the AUTHORIZATION state"},
      {"RETR 1", "-ERR RETR not allowed in the AUTHORIZATION state"},
      {"DELE 1", "-ERR DELE not allowed in the AUTHORIZATION state"},
      {"NOOP", "-ERR NOOP not allowed in the AUTHORIZATION state"},
      {"RSET", "-ERR RSET not allowed in the AUTHORIZATION state"},
      {"UIDL", "-ERR UIDL not allowed in the AUTHORIZATION state"},
      {"TOP 1 1", "-ERR TOP not allowed in the AUTHORIZATION state"},
      {"APOP bob@example.org c4c9334bac560ecc979e58001b3e22fb", "-ERR unknown command"},
      {"XYZZY", "-ERR unknown command"},
      {"", "-ERR unknown command"},
  };
  for (const auto& r : rows) {
    server_fixture f;
    server_driver d(f.drop);
    d.take_sent();
    d.feed(r.line + "\r\n");
    INFO(r.line);
    CHECK(first_line(d.sent) == r.want);
    CHECK(d.closed == (r.line == "QUIT"));
    CHECK(d.commits.empty());
  }
}

TEST_CASE("server_fsm: every command in TRANSACTION") {
  struct row {
    std::string line;
    std::string want;
  };
  const std::vector<row> rows = {
      {"USER bob@example.org", "-ERR USER not allowed in the TRANSACTION state"},
      {"PASS pw", "-ERR PASS not allowed in the TRANSACTION state"},
      {"CAPA", "+OK Capability list follows"},
      {"STAT", fmt::format("+OK 2 {}", message_one.size() + message_two.size())},
      {"STAT 1", "-ERR no argument expected"},
      {"LIST", fmt::format("+OK 2 messages ({} octets)", message_one.size() + message_two.size())},
      {"LIST 2", fmt::format("+OK 2 {}", message_two.size())},
      {"LIST 3", "-ERR no message 3"},
      {"LIST 0", "-ERR no message 0"},
      {"LIST x", "-ERR invalid message number"},
      {"RETR 1", fmt::format("+OK {} octets", message_one.size())},
      {"RETR", "-ERR invalid message number"},
      {"RETR 3", "-ERR no message 3"},
      {"DELE 1", "+OK message 1 deleted"},
      {"DELE 1 2", "-ERR invalid message number"},
      {"NOOP", "+OK"},
      {"NOOP x", "-ERR no argument expected"},
      {"RSET", fmt::format("+OK maildrop has 2 messages ({} octets)", message_one.size() + message_two.size())},
      {"RSET x", "-ERR no argument expected"},
      {"UIDL", "+OK unique-id listing follows"},
      {"UIDL 1", "+OK 1 bob@example.org-1"},
      {"UIDL 9", "-ERR no message 9"},
      {"TOP 1 0", "+OK top of message follows"},
      {"TOP 1", "-ERR TOP needs a message number and a line count"},
      {"TOP 1 x", "-ERR invalid line count"},
      {"TOP 3 1", "-ERR no message 3"},
      {"QUIT", "+OK POP3 server signing off (2 messages left)"},
      {"APOP bob x", "-ERR unknown command"},
      {"retr 1", fmt::format("+OK {} octets", message_one.size())},
  };
  for (const auto& r : rows) {
    server_fixture f;
    auto d = f.logged_in();
    d.feed(r.line + "\r\n");
    INFO(r.line);
    CHECK(first_line(d.sent) == r.want);
    CHECK(d.closed == (r.line == "QUIT"));
  }
}

TEST_CASE("server_fsm: nothing is answered after QUIT (UPDATE, then closed)") {
  for (std::string line : {"STAT", "NOOP", "QUIT", "USER bob@example.org", "CAPA"}) {
    server_fixture f;
    auto d = f.logged_in();
    d.feed("QUIT\r\n" + line + "\r\n");
    CHECK(d.take_sent() == "+OK POP3 server signing off (2 messages left)\r\n");
    d.feed(line + "\r\n");
    CHECK(d.sent.empty());
    CHECK(d.commits.size() == 1);
    CHECK(d.fsm.state() == server_state::closed);
  }
}

TEST_CASE("server_fsm: the state names") {
  CHECK(to_string(server_state::authorization) == "AUTHORIZATION");
  CHECK(to_string(server_state::transaction) == "TRANSACTION");
  CHECK(to_string(server_state::update) == "UPDATE");
  CHECK(to_string(server_state::closed) == "CLOSED");
}
