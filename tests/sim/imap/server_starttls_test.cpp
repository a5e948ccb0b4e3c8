// server_fsm: STARTTLS (RFC 9051 §6.2.1, RFC 2595 §3.1), LOGINDISABLED and
// PRIVACYREQUIRED where TLS is required, and the plaintext pipelined after
// STARTTLS, which is never executed.
#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/sim/imap/server_fixture.hpp"

using namespace sim::imap;
using namespace sim::imap::test;
using sim::net::tls_mode;

TEST_CASE("imap starttls: CAPABILITY before and after TLS for each offer") {
  server_fixture f;
  server_driver off(f.store);
  CHECK(off.take().find("STARTTLS") == std::string::npos);
  CHECK(off.send("a STARTTLS\r\n") == "a BAD unknown command STARTTLS\r\n");
  CHECK(off.handshakes == 0);

  server_driver offer(f.store, tls_mode::offer);
  CHECK(offer.take().find(" STARTTLS SASL-IR AUTH=PLAIN] mx.test") != std::string::npos);
  CHECK(offer.fsm.capabilities().ends_with(" STARTTLS SASL-IR AUTH=PLAIN"));

  server_driver require(f.store, tls_mode::require);
  CHECK(require.take().find(" STARTTLS LOGINDISABLED] mx.test") != std::string::npos);
  CHECK(require.send("a CAPABILITY\r\n") ==
        "* CAPABILITY IMAP4rev1 LITERAL+ ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE SPECIAL-USE CHILDREN "
        "STARTTLS LOGINDISABLED\r\na OK CAPABILITY completed\r\n");
  CHECK(require.send("b STARTTLS\r\n") == "b OK Begin TLS negotiation now\r\n");
  CHECK(require.handshakes == 1);
  CHECK(require.fsm.tls_active());
  // RFC 9051 §6.2.1: the client asks again; STARTTLS and LOGINDISABLED are gone.
  CHECK(require.send("c CAPABILITY\r\n") ==
        "* CAPABILITY IMAP4rev1 LITERAL+ ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE SPECIAL-USE CHILDREN "
        "SASL-IR AUTH=PLAIN\r\nc OK CAPABILITY completed\r\n");
  CHECK(require.send("d STARTTLS\r\n") == "d BAD TLS is already active\r\n");
  CHECK(require.handshakes == 1);
  CHECK(last_line(require.send("e LOGIN bob@example.org pw\r\n")).starts_with("e OK [CAPABILITY IMAP4rev1"));
  CHECK(last_line(require.send("f STARTTLS\r\n")) == "f BAD STARTTLS is not allowed in the authenticated state");
}

TEST_CASE("imap starttls: TLS from the first byte offers no STARTTLS") {
  server_fixture f;
  server_config c;
  c.tls = tls_mode::require;
  c.tls_active = true;
  server_fsm fsm(f.store, c);
  CHECK(fsm.capabilities().find("STARTTLS") == std::string::npos);
  CHECK(fsm.capabilities().ends_with(" SASL-IR AUTH=PLAIN"));
  CHECK(fsm.tls_started().empty());
}

TEST_CASE("imap starttls: where TLS is required LOGIN and AUTHENTICATE get NO PRIVACYREQUIRED") {
  server_fixture f;
  server_driver d(f.store, tls_mode::require);
  d.take();
  const std::string refused = " NO [PRIVACYREQUIRED] TLS is required before login: use STARTTLS\r\n";
  CHECK(d.send("a LOGIN bob@example.org pw\r\n") == "a" + refused);
  CHECK(d.send("b AUTHENTICATE PLAIN AGJvYkBleGFtcGxlLm9yZwBwdw==\r\n") == "b" + refused);
  // No continuation: the client is not asked for credentials in the clear.
  CHECK(d.send("c AUTHENTICATE PLAIN\r\n") == "c" + refused);
  // A synchronizing literal is refused before the password is sent.
  CHECK(d.send("d LOGIN {15}\r\n") == "d" + refused);
  CHECK(d.fsm.state() == server_state::not_authenticated);
  CHECK(d.fsm.errors() == 0);
  // With TLS on, the same commands log in.
  d.send("e STARTTLS\r\n");
  CHECK(d.send("f LOGIN {15}\r\n") == "+ Ready for literal data\r\n");
  CHECK(last_line(d.send("bob@example.org pw\r\n")).starts_with("f OK [CAPABILITY IMAP4rev1"));
  // Offered but not required: plaintext login is allowed.
  server_driver o(f.store, tls_mode::offer);
  CHECK(last_line(o.send("a LOGIN bob@example.org pw\r\n")).starts_with("a OK [CAPABILITY IMAP4rev1"));
}

TEST_CASE("imap starttls: split at every offset the answer is the same and one handshake follows") {
  const std::string input = "a CAPABILITY\r\nb STARTTLS\r\n";
  server_fixture f;
  server_driver whole(f.store, tls_mode::require);
  whole.take();
  const std::string want = whole.send(input);
  CHECK(want.ends_with("a OK CAPABILITY completed\r\nb OK Begin TLS negotiation now\r\n"));
  for (std::size_t cut = 1; cut < input.size(); ++cut) {
    server_driver d(f.store, tls_mode::require);
    d.take();
    INFO("cut at " << cut);
    CHECK(d.send_split(input, {cut}) == want);
    CHECK(d.handshakes == 1);
    CHECK(d.fsm.tls_active());
    CHECK(last_line(d.send("c LOGIN bob@example.org pw\r\n")).starts_with("c OK [CAPABILITY"));
  }
}

TEST_CASE("imap starttls: nothing is read until the handshake and pipelined plaintext is dropped") {
  server_fixture f;
  server_driver d(f.store, tls_mode::offer);
  d.handshake_at_once = false;
  d.take();
  CHECK(d.send("a STARTTLS\r\nb LOGIN bob@example.org pw\r\n") == "a OK Begin TLS negotiation now\r\n");
  CHECK(d.handshakes == 1);
  CHECK(d.send("c LOGIN bob@example.org pw\r\n").empty());
  CHECK(d.fsm.tls_started().empty());
  CHECK(d.fsm.state() == server_state::not_authenticated);
  CHECK(d.commands == std::vector<std::string>{"a STARTTLS"});
  CHECK(d.send("d CAPABILITY\r\n").ends_with("d OK CAPABILITY completed\r\n"));
}

TEST_CASE("imap starttls: the injected command after STARTTLS runs at no split offset") {
  // The injection (RFC 2595 §3.1, CVE-2011-0411 style): a command in the
  // same read as STARTTLS.  Bytes read after the handshake are the
  // client's over TLS; a cut exactly after STARTTLS's line makes the rest
  // such bytes, so only that cut logs in.
  const std::string head = "a STARTTLS\r\n";
  const std::string input = head + "b LOGIN bob@example.org pw\r\n";
  server_fixture f;
  for (std::size_t cut = 1; cut < input.size(); ++cut) {
    server_driver d(f.store, tls_mode::require);
    d.take();
    INFO("cut at " << cut);
    auto out = d.send_split(input, {cut});
    CHECK(out.starts_with("a OK Begin TLS negotiation now\r\n"));
    CHECK(d.handshakes == 1);
    bool logged_in = d.fsm.state() == server_state::authenticated;
    CHECK(logged_in == (cut == head.size()));
    bool ran = std::find(d.commands.begin(), d.commands.end(), "b LOGIN bob@example.org ********") != d.commands.end();
    CHECK(ran == (cut == head.size()));
  }
}
