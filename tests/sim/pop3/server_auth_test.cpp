// tests/sim/pop3/server_auth_test.cpp - server_fsm AUTHORIZATION: passwords, the
// maildrop lock ([IN-USE]), pipelined PASS, the line limit, the error limit.
#include <catch2/catch.hpp>

#include "server_fixture.hpp"
#include "sim/pop3/limits.hpp"

using namespace sim::pop3;
using namespace sim::pop3::test;

TEST_CASE("server_fsm: a wrong password and an unknown user get the same answer") {
  const std::string want = "+OK send PASS\r\n-ERR [AUTH] invalid user name or password\r\n";
  server_fixture f;
  server_driver wrong_password(f.drop);
  wrong_password.take_sent();
  wrong_password.feed("USER bob@example.org\r\nPASS nope\r\n");
  CHECK(wrong_password.sent == want);
  server_driver unknown_user(f.drop);
  unknown_user.take_sent();
  unknown_user.feed("USER nobody@example.org\r\nPASS pw\r\n");
  CHECK(unknown_user.sent == want);
  CHECK(unknown_user.fsm.state() == server_state::authorization);
  CHECK_FALSE(f.drop.is_locked("bob@example.org"));
  // After a refused PASS the client starts again with USER.
  unknown_user.take_sent();
  unknown_user.feed("PASS pw\r\nUSER bob@example.org\r\nPASS pw\r\n");
  CHECK(first_line(unknown_user.sent) == "-ERR USER first");
  CHECK(unknown_user.fsm.state() == server_state::transaction);
}

TEST_CASE("server_fsm: a mailbox without a password accepts any password") {
  server_fixture f;
  server_driver d(f.drop);
  d.take_sent();
  d.feed("USER carol@example.org\r\nPASS anything at all\r\n");
  CHECK(d.sent == "+OK send PASS\r\n+OK maildrop has 0 messages (0 octets)\r\n");
  CHECK(d.fsm.state() == server_state::transaction);
}

TEST_CASE("server_fsm: PASS must come right after USER (RFC 1939 section 7)") {
  server_fixture f;
  server_driver d(f.drop);
  d.take_sent();
  d.feed("USER bob@example.org\r\nCAPA\r\nPASS pw\r\n");
  CHECK(d.sent.ends_with("-ERR USER first\r\n"));
  CHECK(d.fsm.state() == server_state::authorization);
}

TEST_CASE("server_fsm: the password is everything after PASS and a space, and is masked") {
  server_fixture f;
  f.drop.add_user("dave@example.org", "two words ");
  server_driver d(f.drop);
  d.feed("USER dave@example.org\r\nPASS two words \r\n");
  CHECK(d.fsm.state() == server_state::transaction);
  CHECK(d.commands == std::vector<std::string>{"USER dave@example.org", "PASS ********"});
}

TEST_CASE("server_fsm: a locked maildrop answers -ERR [IN-USE] (RFC 2449 section 8.1.2)") {
  server_fixture f;
  auto first = f.logged_in();
  CHECK(f.drop.is_locked("bob@example.org"));
  server_driver second(f.drop);
  second.take_sent();
  second.feed("USER bob@example.org\r\nPASS pw\r\n");
  CHECK(second.sent == "+OK send PASS\r\n-ERR [IN-USE] maildrop is locked by another session\r\n");
  CHECK(second.fsm.state() == server_state::authorization);
  // A wrong password never learns about the lock.
  second.take_sent();
  second.feed("USER bob@example.org\r\nPASS bad\r\n");
  CHECK(second.sent.ends_with("-ERR [AUTH] invalid user name or password\r\n"));
  // The first session ends (QUIT); now the second gets in.
  first.feed("QUIT\r\n");
  CHECK_FALSE(f.drop.is_locked("bob@example.org"));
  second.take_sent();
  second.feed("USER bob@example.org\r\nPASS pw\r\n");
  CHECK(second.fsm.state() == server_state::transaction);
}

TEST_CASE("server_fsm: pipelined commands wait for the password check") {
  server_fixture f;
  server_fsm fsm;
  fsm.start();
  auto got = fsm.receive("USER bob@example.org\r\nPASS pw\r\nSTAT\r\nNOOP\r\n");
  REQUIRE(fsm.awaiting_authorization());
  REQUIRE(std::holds_alternative<authorize_action>(got.back()));
  CHECK(std::get<authorize_action>(got.back()).user == "bob@example.org");
  CHECK(std::get<authorize_action>(got.back()).password == "pw");
  CHECK(fsm.receive("RSET\r\n").empty());  // buffered, not handled
  got = fsm.authorized(authorize(f.drop, "bob@example.org", "pw"));
  std::string sent;
  for (auto& a : got) {
    if (auto* s = std::get_if<send_action>(&a)) sent += s->bytes;
  }
  auto total = std::to_string(message_one.size() + message_two.size());
  CHECK(sent == "+OK maildrop has 2 messages (" + total + " octets)\r\n+OK 2 " + total + "\r\n+OK\r\n" +
                    "+OK maildrop has 2 messages (" + total + " octets)\r\n");
  CHECK(fsm.authorized({}).empty());  // no answer is pending any more
}

TEST_CASE("server_fsm: command line limit, at and past the boundary") {
  server_fixture f;
  // "USER " + name + CRLF is exactly the limit.
  std::string at_limit(limits::max_command_line - 7, 'n');
  server_driver d(f.drop);
  d.take_sent();
  d.feed("USER " + at_limit + "\r\n");
  CHECK(d.take_sent() == "+OK send PASS\r\n");
  d.feed("USER " + at_limit + "n\r\n");
  CHECK(d.take_sent() == "-ERR command line too long\r\n");
  // The session goes on.
  d.feed("NOOP\r\nQUIT\r\n");
  CHECK(d.take_sent() == "-ERR NOOP not allowed in the AUTHORIZATION state\r\n+OK POP3 server signing off\r\n");
}

TEST_CASE("server_fsm: too many errors close the session without UPDATE") {
  server_fixture f;
  auto d = f.logged_in();
  d.feed("DELE 1\r\n");
  for (std::size_t i = 1; i < limits::max_errors; ++i) d.feed("BOGUS\r\n");
  CHECK(d.fsm.errors() == limits::max_errors - 1);
  CHECK_FALSE(d.closed);
  d.take_sent();
  d.feed("BOGUS\r\nQUIT\r\n");
  CHECK(d.sent == "-ERR too many errors, signing off\r\n");
  CHECK(d.closed);
  CHECK(d.commits.empty());
  CHECK(f.drop.messages("bob@example.org").size() == 2);
  CHECK_FALSE(f.drop.is_locked("bob@example.org"));
}

TEST_CASE("server_fsm: a client whose address has too many failed logins is refused and the session ends") {
  server_fixture f;
  server_driver d(f.drop);
  d.take_sent();
  d.answer_with = authorization::status::refused;  // the host's login limiter says no
  d.feed("USER bob@example.org\r\nPASS pw\r\nSTAT\r\n");
  CHECK(d.sent == "+OK send PASS\r\n-ERR [SYS/TEMP] too many failed logins from your address, try again later\r\n");
  CHECK(d.closed);
  CHECK(d.fsm.state() == server_state::closed);
  CHECK_FALSE(f.drop.is_locked("bob@example.org"));
}

TEST_CASE("server_fsm: commands without logging in are limited, then the server signs off") {
  server_fixture f;
  server_driver d(f.drop);
  d.take_sent();
  std::string capas;
  for (std::size_t i = 0; i < limits::max_authorization_commands + 10; ++i) capas += "CAPA\r\n";
  d.feed(capas);
  CHECK(d.fsm.state() == server_state::closed);
  std::size_t lists = 0;
  for (std::size_t at = 0; (at = d.sent.find("+OK Capability list follows", at)) != std::string::npos; ++at) ++lists;
  CHECK(lists == limits::max_authorization_commands);
  CHECK(d.sent.ends_with("-ERR too many commands without logging in, signing off\r\n"));
}
