// server_fsm: LOGIN and AUTHENTICATE PLAIN (RFC 4959 SASL-IR, continuation,
// cancel), and what a failed login reveals.
#include <catch2/catch.hpp>

#include "tests/sim/imap/server_fixture.hpp"

using namespace sim::imap;
using namespace sim::imap::test;

TEST_CASE("imap auth: LOGIN refuses a wrong password and an unknown user alike") {
  server_fixture f;
  server_driver d(f.store);
  d.take();
  CHECK(d.send("a LOGIN bob@example.org wrong\r\n") == "a NO [AUTHENTICATIONFAILED] invalid user name or password\r\n");
  CHECK(d.send("b LOGIN nobody@example.org pw\r\n") == "b NO [AUTHENTICATIONFAILED] invalid user name or password\r\n");
  CHECK(d.fsm.state() == server_state::not_authenticated);
  CHECK(last_line(d.send("c LOGIN \"BOB@example.org\" \"pw\"\r\n")).starts_with("c OK [CAPABILITY IMAP4rev1"));
  CHECK(d.fsm.user() == "bob@example.org");
  CHECK(d.fsm.capabilities().find("AUTH=PLAIN") == std::string::npos);
  CHECK(last_line(d.send("d LOGIN bob@example.org pw\r\n")) == "d BAD LOGIN is not allowed in the authenticated state");
}

TEST_CASE("imap auth: AUTHENTICATE PLAIN with an initial response, or after a continuation") {
  server_fixture f;
  server_driver d(f.store);
  d.take();
  // "\0bob@example.org\0pw"
  CHECK(last_line(d.send("a AUTHENTICATE PLAIN AGJvYkBleGFtcGxlLm9yZwBwdw==\r\n"))
            .starts_with("a OK [CAPABILITY IMAP4rev1"));
  server_driver e(f.store);
  e.take();
  CHECK(e.send("a AUTHENTICATE PLAIN\r\n") == "+ \r\n");
  CHECK(e.send("AGJvYkBleGFtcGxlLm9yZwBwdw==\r\n").starts_with("a OK [CAPABILITY"));
  CHECK(e.commands == std::vector<std::string>{"a AUTHENTICATE PLAIN", "********"});
  // Split anywhere, the answer waits for its line.
  server_driver g(f.store);
  g.take();
  std::string input = "a AUTHENTICATE PLAIN\r\nAGJvYkBleGFtcGxlLm9yZwBwdw==\r\nb NOOP\r\n";
  for (std::size_t cut = 1; cut < input.size(); ++cut) {
    server_driver s(f.store);
    s.take();
    auto out = s.send_split(input, {cut});
    CHECK(out.starts_with("+ \r\na OK [CAPABILITY"));
    CHECK(out.ends_with("b OK NOOP completed\r\n"));
  }
}

TEST_CASE("imap auth: cancel, bad base64, malformed PLAIN, other mechanisms, another identity") {
  server_fixture f;
  server_driver d(f.store);
  d.take();
  d.send("a AUTHENTICATE PLAIN\r\n");
  CHECK(d.send("*\r\n") == "a BAD AUTHENTICATE cancelled\r\n");
  d.send("b AUTHENTICATE PLAIN\r\n");
  CHECK(d.send("not base64!\r\n") == "b BAD invalid base64 in AUTHENTICATE\r\n");
  CHECK(d.send("c AUTHENTICATE PLAIN Ym9i\r\n") == "c NO [AUTHENTICATIONFAILED] malformed PLAIN credentials\r\n");
  CHECK(d.send("d AUTHENTICATE PLAIN =\r\n") == "d NO [AUTHENTICATIONFAILED] malformed PLAIN credentials\r\n");
  CHECK(d.send("e AUTHENTICATE CRAM-MD5\r\n") == "e NO unsupported authentication mechanism (PLAIN is offered)\r\n");
  // "carol@example.org\0bob@example.org\0pw": acting as carol.
  CHECK(d.send("f AUTHENTICATE PLAIN Y2Fyb2xAZXhhbXBsZS5vcmcAYm9iQGV4YW1wbGUub3JnAHB3\r\n") ==
        "f NO [AUTHORIZATIONFAILED] cannot act as another user\r\n");
  CHECK(d.fsm.state() == server_state::not_authenticated);
  CHECK(d.fsm.errors() == 5);  // an unknown mechanism is no error
}

TEST_CASE("imap auth: twenty failed logins end the session") {
  server_fixture f;
  server_driver d(f.store);
  d.take();
  std::string out;
  for (int i = 0; i < 20; ++i) out += d.send("a LOGIN bob@example.org wrong\r\n");
  CHECK(out.ends_with("a NO [AUTHENTICATIONFAILED] invalid user name or password\r\n* BYE too many errors, signing off\r\n"));
  CHECK(d.closed);
  CHECK(d.fsm.state() == server_state::logout);
  CHECK(d.send("b LOGIN bob@example.org pw\r\n").empty());
}
