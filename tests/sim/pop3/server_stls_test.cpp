// tests/sim/pop3/server_stls_test.cpp - server_fsm and STLS (RFC 2595 4):
// CAPA, the handshake, input sent in the clear after STLS, `require`.
#include <catch2/catch.hpp>

#include "server_fixture.hpp"

using namespace sim::pop3;
using namespace sim::pop3::test;

namespace {
const tls_settings offer{sim::net::tls_mode::offer, false};
const tls_settings require{sim::net::tls_mode::require, false};
}  // namespace

TEST_CASE("stls: not offered - CAPA as before and STLS unknown") {
  server_fixture f;
  server_driver d(f.drop);
  d.take_sent();
  d.feed("CAPA\r\nSTLS\r\n");
  CHECK(d.take_sent() ==
        "+OK Capability list follows\r\nTOP\r\nUSER\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nIMPLEMENTATION mailsim\r\n"
        ".\r\n-ERR unknown command\r\n");
  CHECK(d.handshakes == 0);
}

TEST_CASE("stls: offered - listed until TLS is on and login works after it") {
  server_fixture f;
  server_driver d(f.drop, offer);
  d.take_sent();
  d.feed("CAPA\r\n");
  CHECK(d.take_sent().find("STLS\r\n") != std::string::npos);
  // USER pipelined after STLS in the clear is dropped, not answered.
  d.feed("STLS\r\nUSER bob@example.org\r\n");
  CHECK(d.take_sent() == "+OK Begin TLS negotiation now.\r\n");
  CHECK(d.handshakes == 1);
  CHECK(d.fsm.tls_active());
  d.feed("CAPA\r\nSTLS\r\n");
  std::string sent = d.take_sent();
  CHECK(sent.find("STLS\r\n") == std::string::npos);
  CHECK(sent.ends_with("-ERR TLS already active\r\n"));
  d.feed("PASS bob-pw\r\n");
  CHECK(d.take_sent() == "-ERR USER first\r\n");
}

TEST_CASE("stls: required - no USER or PASS in the clear and no USER in CAPA") {
  server_fixture f;
  server_driver d(f.drop, require);
  d.take_sent();
  d.feed("CAPA\r\n");
  std::string capa = d.take_sent();
  CHECK(capa.find("USER\r\n") == std::string::npos);
  CHECK(capa.find("STLS\r\n") != std::string::npos);
  d.feed("USER bob@example.org\r\n");
  CHECK(d.take_sent() == "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.\r\n");
  d.feed("STLS\r\n");
  d.take_sent();
  d.feed("CAPA\r\n");
  CHECK(d.take_sent().find("USER\r\n") != std::string::npos);
  d.feed("USER carol@example.org\r\nPASS x\r\n");
  CHECK(d.take_sent() == "+OK send PASS\r\n+OK maildrop has 0 messages (0 octets)\r\n");
  CHECK(d.fsm.state() == server_state::transaction);
}

TEST_CASE("stls: STLS split at every offset gives the same replies - only in AUTHORIZATION") {
  const std::string script = "CAPA\r\nSTLS\r\n";
  server_fixture whole_f;
  server_driver whole(whole_f.drop, offer);
  whole.feed(script);
  for (std::size_t cut = 0; cut <= script.size(); ++cut) {
    server_fixture f;
    server_driver d(f.drop, offer);
    d.feed_split(script, {cut});
    CHECK(d.sent == whole.sent);
    CHECK(d.handshakes == 1);
  }
  server_fixture f;
  server_driver d(f.drop, tls_settings{sim::net::tls_mode::offer, true});  // pop3s: TLS from the start
  d.take_sent();
  d.feed("USER carol@example.org\r\nPASS x\r\nSTLS\r\n");
  CHECK(d.take_sent().ends_with("-ERR STLS not allowed in the TRANSACTION state\r\n"));
}
