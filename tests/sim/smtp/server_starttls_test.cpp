// server_fsm and STARTTLS (RFC 3207): offer, require, the reset after the
// handshake, AUTH only after TLS, and input pipelined across it.
#include <catch2/catch.hpp>

#include "tests/sim/smtp/server_driver.hpp"

using namespace sim::smtp;
using sim::smtp::test::server_driver;

namespace {

server_options with_tls(sim::net::tls_mode mode, bool auth = false) {
  server_options o = server_driver::default_options();
  o.tls = mode;
  o.auth_offered = auth;
  return o;
}

const std::string plain_ehlo =
    "250-mx.test\r\n250-PIPELINING\r\n250-SIZE 10485760\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 DSN\r\n";

}  // namespace

TEST_CASE("starttls: off by default - not advertised and 502") {
  server_driver d;
  REQUIRE(d.send("EHLO c.test\r\n") == plain_ehlo);
  REQUIRE(d.send("STARTTLS\r\n") == "502 5.5.1 Error: command not implemented\r\n");
  REQUIRE(d.handshakes == 0);
}

TEST_CASE("starttls: offered - advertised before AUTH then gone after the handshake") {
  server_driver d(with_tls(sim::net::tls_mode::offer, true));
  REQUIRE(d.send("EHLO c.test\r\n") ==
          "250-mx.test\r\n250-PIPELINING\r\n250-SIZE 10485760\r\n250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n"
          "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 DSN\r\n");
  REQUIRE(d.send("STARTTLS\r\n") == "220 2.0.0 Ready to start TLS\r\n");
  REQUIRE(d.handshakes == 1);
  REQUIRE(d.fsm.tls().has_value());
  REQUIRE(d.fsm.tls()->protocol == "TLSv1.3");
  // RFC 3207 4.2: the EHLO name is forgotten, MAIL needs EHLO again.
  REQUIRE(d.fsm.helo_name().empty());
  REQUIRE(d.fsm.state() == server_state::greeted);
  REQUIRE(d.send("MAIL FROM:<a@x.test>\r\n") == "503 5.5.1 Error: send HELO/EHLO first\r\n");
  REQUIRE(d.send("EHLO c.test\r\n") ==
          "250-mx.test\r\n250-PIPELINING\r\n250-SIZE 10485760\r\n250-AUTH PLAIN LOGIN\r\n"
          "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 DSN\r\n");
  REQUIRE(d.send("STARTTLS\r\n") == "554 5.5.1 Error: TLS already active\r\n");
  REQUIRE(d.send("MAIL FROM:<a@x.test>\r\n") == "250 2.1.0 Ok\r\n");
}

TEST_CASE("starttls: offered - mail in the clear is still taken") {
  server_driver d(with_tls(sim::net::tls_mode::offer));
  d.send("EHLO c.test\r\n");
  REQUIRE(d.send("MAIL FROM:<a@x.test>\r\n") == "250 2.1.0 Ok\r\n");
  // Not inside a transaction.
  REQUIRE(d.send("STARTTLS\r\n") == "503 5.5.1 Error: MAIL transaction in progress\r\n");
  REQUIRE(d.send("RSET\r\nSTARTTLS now\r\n") == "250 2.0.0 Ok\r\n501 5.5.4 Syntax: STARTTLS\r\n");
}

TEST_CASE("starttls: required - 530 for MAIL and 538 for AUTH before TLS") {
  server_driver d(with_tls(sim::net::tls_mode::require, true));
  // AUTH is not advertised before TLS (Postfix smtpd_tls_auth_only).
  REQUIRE(d.send("EHLO c.test\r\n") ==
          "250-mx.test\r\n250-PIPELINING\r\n250-SIZE 10485760\r\n250-STARTTLS\r\n"
          "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 DSN\r\n");
  REQUIRE(d.send("MAIL FROM:<a@x.test>\r\n") == "530 5.7.0 Must issue a STARTTLS command first\r\n");
  REQUIRE(d.send("AUTH PLAIN AGFAcA==\r\n") ==
          "538 5.7.11 Encryption required for requested authentication mechanism\r\n");
  REQUIRE(d.fsm.error_count() == 0);  // policy refusals, not protocol errors
  REQUIRE(d.send("STARTTLS\r\nEHLO c.test\r\n").starts_with("220 2.0.0 Ready to start TLS\r\n"));
  REQUIRE(d.send("EHLO c.test\r\n").find("AUTH PLAIN LOGIN") != std::string::npos);
  REQUIRE(d.send("MAIL FROM:<a@x.test>\r\n") == "250 2.1.0 Ok\r\n");
}

TEST_CASE("starttls: commands pipelined after STARTTLS in the clear are discarded") {
  // CVE-2011-0411: "STARTTLS\r\nRSET\r\n" in one packet must not give a
  // reply to RSET after the handshake.
  server_driver d(with_tls(sim::net::tls_mode::offer));
  d.send("EHLO c.test\r\n");
  REQUIRE(d.send("STARTTLS\r\nRSET\r\nMAIL FROM:<evil@x.test>\r\n") == "220 2.0.0 Ready to start TLS\r\n");
  REQUIRE(d.send("NOOP\r\n") == "250 2.0.0 Ok\r\n");
  REQUIRE(d.fsm.transaction().reverse_path == std::nullopt);
}

TEST_CASE("starttls: the session split at every offset gives the same replies") {
  std::string script = "EHLO c.test\r\nSTARTTLS\r\n";
  std::string after = "EHLO c.test\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\nx\r\n.\r\nQUIT\r\n";
  server_driver whole(with_tls(sim::net::tls_mode::require));
  std::string want = whole.send(script);
  want += whole.send(after);
  for (std::size_t cut = 0; cut <= after.size(); ++cut) {
    server_driver d(with_tls(sim::net::tls_mode::require));
    std::string got = d.send(script);
    got += d.send(after.substr(0, cut));
    got += d.send(after.substr(cut));
    REQUIRE(got == want);
    REQUIRE(d.contents.size() == 1);
  }
}

TEST_CASE("starttls: a failed handshake ends the session") {
  server_driver d(with_tls(sim::net::tls_mode::offer));
  d.handshake.reset();
  d.send("EHLO c.test\r\n");
  REQUIRE(d.send("STARTTLS\r\n") == "220 2.0.0 Ready to start TLS\r\n");
  REQUIRE(d.closed);
  REQUIRE(d.fsm.state() == server_state::closed);
}

TEST_CASE("starttls: implicit TLS (RFC 8314) needs no STARTTLS and LMTP never offers it") {
  auto o = with_tls(sim::net::tls_mode::require, true);
  o.implicit_tls = sim::net::simulated_tls();
  server_driver d(o);
  REQUIRE(d.send("EHLO c.test\r\n").find("STARTTLS") == std::string::npos);
  REQUIRE(d.send("MAIL FROM:<a@x.test>\r\n") == "250 2.1.0 Ok\r\n");
  auto l = with_tls(sim::net::tls_mode::offer);
  l.lmtp = true;
  server_driver lmtp(l);
  REQUIRE(lmtp.send("LHLO c.test\r\n").find("STARTTLS") == std::string::npos);
  REQUIRE(lmtp.send("STARTTLS\r\n") == "502 5.5.1 Error: command not implemented\r\n");
}
