// tests/sim/pop3/server_transaction_test.cpp - server_fsm TRANSACTION: deletions
// only at QUIT, RSET, deleted messages, TOP, UIDL, byte-stuffing.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "server_fixture.hpp"

using namespace sim::pop3;
using namespace sim::pop3::test;

TEST_CASE("server_fsm: deletions happen only at QUIT") {
  server_fixture f;
  SECTION("DELE then the connection drops: nothing is removed") {
    auto d = f.logged_in();
    d.feed("DELE 1\r\nDELE 2\r\n");
    d.drop_connection();
    CHECK(d.commits.empty());
    CHECK(f.drop.messages("bob@example.org").size() == 2);
    CHECK_FALSE(f.drop.is_locked("bob@example.org"));
  }
  SECTION("DELE then QUIT: the marked messages go") {
    auto d = f.logged_in();
    d.feed("DELE 1\r\nDELE 2\r\nQUIT\r\n");
    CHECK(d.sent.ends_with("+OK POP3 server signing off (maildrop empty)\r\n"));
    CHECK(d.commits == std::vector<std::vector<std::string>>{{f.uid_one, f.uid_two}});
    CHECK(f.drop.messages("bob@example.org").empty());
  }
  SECTION("a message that arrives during the session survives the commit") {
    auto d = f.logged_in();
    d.feed("DELE 1\r\nDELE 2\r\n");
    auto late = f.drop.deliver("bob@example.org", "Subject: late\r\n\r\nx\r\n");
    d.feed("QUIT\r\n");
    auto left = f.drop.messages("bob@example.org");
    REQUIRE(left.size() == 1);
    CHECK(left[0].uid == late);
  }
  SECTION("QUIT in AUTHORIZATION commits nothing") {
    server_driver d(f.drop);
    d.feed("QUIT\r\n");
    CHECK(d.commits.empty());
    CHECK(d.closed);
  }
}

TEST_CASE("server_fsm: deleted messages are left out and cannot be named") {
  server_fixture f;
  auto d = f.logged_in();
  d.feed("DELE 1\r\n");
  d.take_sent();
  d.feed("STAT\r\nLIST\r\nUIDL\r\nRETR 1\r\nDELE 1\r\nLIST 1\r\nUIDL 1\r\nTOP 1 0\r\n");
  auto two = message_two.size();
  CHECK(d.sent == fmt::format(
                      "+OK 1 {0}\r\n"
                      "+OK 1 messages ({0} octets)\r\n2 {0}\r\n.\r\n"
                      "+OK unique-id listing follows\r\n2 {1}\r\n.\r\n"
                      "-ERR message 1 already deleted\r\n-ERR message 1 already deleted\r\n"
                      "-ERR message 1 already deleted\r\n-ERR message 1 already deleted\r\n"
                      "-ERR message 1 already deleted\r\n",
                      two, f.uid_two));
}

TEST_CASE("server_fsm: RSET unmarks every deleted message") {
  server_fixture f;
  auto d = f.logged_in();
  d.feed("DELE 1\r\nDELE 2\r\nSTAT\r\nRSET\r\nSTAT\r\nQUIT\r\n");
  auto total = message_one.size() + message_two.size();
  CHECK(d.sent == fmt::format(
                      "+OK message 1 deleted\r\n+OK message 2 deleted\r\n+OK 0 0\r\n"
                      "+OK maildrop has 2 messages ({0} octets)\r\n+OK 2 {0}\r\n"
                      "+OK POP3 server signing off (2 messages left)\r\n",
                      total));
  CHECK(d.commits == std::vector<std::vector<std::string>>{{}});
  CHECK(f.drop.messages("bob@example.org").size() == 2);
}

TEST_CASE("server_fsm: TOP sends the header and n body lines, stuffed") {
  server_fixture f;
  auto d = f.logged_in();
  const std::string head = "+OK top of message follows\r\nSubject: two\r\nFrom: a@b\r\n\r\n";
  d.feed("TOP 2 0\r\n");
  CHECK(d.take_sent() == head + ".\r\n");
  d.feed("TOP 2 3\r\n");
  CHECK(d.take_sent() == head + "..dot\r\n...\r\n..\r\n.\r\n");
  d.feed("TOP 2 999999999\r\n");
  CHECK(d.take_sent() == head + "..dot\r\n...\r\n..\r\nend\r\n.\r\n");
  d.feed("TOP 2 1000000000\r\n");
  CHECK(d.take_sent() == "-ERR invalid line count\r\n");
  d.feed("TOP 2  1\r\n");
  CHECK(d.take_sent() == "-ERR TOP needs a message number and a line count\r\n");
}

TEST_CASE("server_fsm: RETR of a message without a final CRLF still ends on its own line") {
  memory_maildrop drop;
  drop.add_user("eve@example.org");
  drop.deliver("eve@example.org", "Subject: x\r\n\r\n.no end");
  server_driver d(drop);
  d.feed("USER eve@example.org\r\nPASS x\r\n");
  d.take_sent();
  d.feed("RETR 1\r\n");
  CHECK(d.sent == "+OK 21 octets\r\nSubject: x\r\n\r\n..no end\r\n.\r\n");
}

TEST_CASE("server_fsm: UIDL lists stable unique ids") {
  server_fixture f;
  auto d = f.logged_in();
  d.feed("UIDL\r\nUIDL 2\r\nUIDL 0\r\nUIDL 2 2\r\n");
  CHECK(d.sent == fmt::format(
                      "+OK unique-id listing follows\r\n1 {0}\r\n2 {1}\r\n.\r\n+OK 2 {1}\r\n"
                      "-ERR no message 0\r\n-ERR invalid message number\r\n",
                      f.uid_one, f.uid_two));
  // The same ids in the next session, after message 1 was deleted.
  d.feed("DELE 1\r\nQUIT\r\n");
  auto next = f.logged_in();
  next.feed("UIDL 1\r\n");
  CHECK(next.sent == fmt::format("+OK 1 {}\r\n", f.uid_two));
}

TEST_CASE("server_fsm: CAPA is the same in both states") {
  server_fixture f;
  server_driver d(f.drop);
  d.take_sent();
  d.feed("CAPA\r\n");
  auto in_authorization = d.take_sent();
  d.feed("USER bob@example.org\r\nPASS pw\r\n");
  d.take_sent();
  d.feed("capa\r\n");
  CHECK(d.sent == in_authorization);
  CHECK(in_authorization ==
        "+OK Capability list follows\r\nTOP\r\nUSER\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\n"
        "IMPLEMENTATION mailsim\r\n.\r\n");
}
