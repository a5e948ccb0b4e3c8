// client_fsm and STARTTLS (RFC 3207) under each smtp_tls_security_level.
#include <catch2/catch.hpp>

#include "sim/smtp/client_fsm.hpp"

using namespace sim::smtp;
using sim::net::tls_level;

namespace {

const std::string tls_greeting = "220 mx.test ESMTP\r\n";
const std::string ehlo_tls = "250-mx.test\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 ENHANCEDSTATUSCODES\r\n";
const std::string ehlo_plain = "250-mx.test\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n";

// Feeds the scripted replies; at start_tls answers with `handshake`
// (agreed / lost / certificate refused).  Returns what the client sent.
enum class handshake { agreed, lost, bad_certificate };
std::string drive_tls(client_fsm& fsm, std::vector<std::string> chunks, handshake h = handshake::agreed) {
  std::string sent;
  while (true) {
    auto a = fsm.next();
    if (a.what == client_action::kind::send) {
      sent += a.bytes;
    } else if (a.what == client_action::kind::read) {
      if (chunks.empty()) return sent;
      fsm.on_bytes(chunks.front());
      chunks.erase(chunks.begin());
    } else if (a.what == client_action::kind::start_tls) {
      sent += "<handshake>";
      if (h == handshake::agreed) fsm.tls_started(sim::net::simulated_tls());
      else fsm.tls_failed(h == handshake::lost);
    } else {
      return sent;
    }
  }
}

client_fsm client(tls_level level) {
  client_options o;
  o.helo_name = "client.test";
  o.tls = level;
  return client_fsm(o);
}

}  // namespace

TEST_CASE("client starttls: none never asks, may and encrypt ask and say EHLO again") {
  auto none = client(tls_level::none);
  CHECK(drive_tls(none, {tls_greeting, ehlo_tls}) == "EHLO client.test\r\n");
  CHECK(none.idle());
  for (auto level : {tls_level::may, tls_level::encrypt, tls_level::verify}) {
    auto c = client(level);
    CHECK(drive_tls(c, {tls_greeting, ehlo_tls, "220 2.0.0 Ready to start TLS\r\n", ehlo_plain}) ==
          "EHLO client.test\r\nSTARTTLS\r\n<handshake>EHLO client.test\r\n");
    CHECK(c.idle());
    REQUIRE(c.tls().has_value());
    CHECK(c.tls()->cipher == "TLS_AES_256_GCM_SHA384");
  }
}

TEST_CASE("client starttls: not offered - may goes on in the clear and encrypt gives up") {
  auto may = client(tls_level::may);
  drive_tls(may, {tls_greeting, ehlo_plain});
  CHECK(may.idle());
  CHECK_FALSE(may.tls().has_value());
  auto encrypt = client(tls_level::encrypt);
  CHECK(drive_tls(encrypt, {tls_greeting, ehlo_plain, "221 2.0.0 Bye\r\n"}) == "EHLO client.test\r\nQUIT\r\n");
  CHECK(encrypt.result() == session_result::tls_failed);
  CHECK(encrypt.why_tls_failed() == tls_failure::not_offered);
}

TEST_CASE("client starttls: refused with 454 - may goes on and verify gives up with the reply") {
  auto may = client(tls_level::may);
  drive_tls(may, {tls_greeting, ehlo_tls, "454 4.7.0 TLS not available due to local problem\r\n"});
  CHECK(may.idle());
  auto verify = client(tls_level::verify);
  drive_tls(verify, {tls_greeting, ehlo_tls, "454 4.7.0 TLS not available due to local problem\r\n", "221 2.0.0 Bye\r\n"});
  CHECK(verify.result() == session_result::tls_failed);
  CHECK(verify.why_tls_failed() == tls_failure::refused);
  REQUIRE(verify.last_reply().has_value());
  CHECK(verify.last_reply()->code == 454);
}

TEST_CASE("client starttls: a lost handshake closes and a bad certificate says QUIT") {
  auto lost = client(tls_level::may);
  drive_tls(lost, {tls_greeting, ehlo_tls, "220 2.0.0 Ready to start TLS\r\n"}, handshake::lost);
  CHECK(lost.closed());
  CHECK(lost.result() == session_result::tls_failed);
  CHECK(lost.why_tls_failed() == tls_failure::handshake);
  auto bad = client(tls_level::verify);
  CHECK(drive_tls(bad, {tls_greeting, ehlo_tls, "220 2.0.0 Ready to start TLS\r\n", "221 2.0.0 Bye\r\n"},
              handshake::bad_certificate) == "EHLO client.test\r\nSTARTTLS\r\n<handshake>QUIT\r\n");
  CHECK(bad.why_tls_failed() == tls_failure::certificate);
}
