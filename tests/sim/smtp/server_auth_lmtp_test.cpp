// server_fsm: AUTH PLAIN and LOGIN (RFC 4954), and LMTP mode (RFC 2033).
#include <catch2/catch.hpp>

#include "sim/smtp/base64.hpp"
#include "tests/sim/smtp/server_driver.hpp"

using namespace sim::smtp;
using sim::smtp::test::server_driver;

namespace {

server_driver auth_server() {
  server_options o = server_driver::default_options();
  o.auth_offered = true;
  return server_driver(o, [](const decision_request& q, const server_fsm&) {
    if (q.what != ask::auth) return std::optional<reply>();
    if (q.credentials->authcid == "alice" && q.credentials->password == "pw") return std::optional<reply>();
    return std::optional<reply>(reply{535, "5.7.8", "Authentication credentials invalid"});
  });
}

std::string plain(std::string_view user, std::string_view pw) {
  return base64_encode(std::string(1, '\0') + std::string(user) + '\0' + std::string(pw));
}

}  // namespace

TEST_CASE("auth: EHLO advertises PLAIN and LOGIN only when offered") {
  auto d = auth_server();
  REQUIRE(d.send("EHLO c\r\n").find("250-AUTH PLAIN LOGIN\r\n") != std::string::npos);
  server_driver plain_server;
  REQUIRE(plain_server.send("EHLO c\r\n").find("AUTH") == std::string::npos);
}

TEST_CASE("auth: PLAIN with an initial response, success then no second AUTH") {
  auto d = auth_server();
  d.send("EHLO c\r\n");
  REQUIRE(d.send("AUTH PLAIN " + plain("alice", "pw") + "\r\n") == "235 2.7.0 Authentication successful\r\n");
  REQUIRE(d.fsm.auth_identity() == "alice");
  REQUIRE(d.commands.back() == "AUTH PLAIN ********");
  REQUIRE(d.send("AUTH PLAIN " + plain("alice", "pw") + "\r\n") == "503 5.5.1 Error: already authenticated\r\n");
}

TEST_CASE("auth: PLAIN challenge form, failure, then a retry") {
  auto d = auth_server();
  d.send("EHLO c\r\n");
  REQUIRE(d.send("AUTH PLAIN\r\n") == "334 \r\n");
  REQUIRE(d.send(plain("alice", "wrong") + "\r\n") == "535 5.7.8 Authentication credentials invalid\r\n");
  REQUIRE(d.commands.back() == "********");
  REQUIRE_FALSE(d.fsm.authenticated());
  REQUIRE(d.send("AUTH PLAIN\r\n" + plain("alice", "pw") + "\r\n") == "334 \r\n235 2.7.0 Authentication successful\r\n");
}

TEST_CASE("auth: LOGIN, cancel, bad base64, malformed PLAIN") {
  auto d = auth_server();
  d.send("EHLO c\r\n");
  REQUIRE(d.send("AUTH LOGIN\r\n") == "334 VXNlcm5hbWU6\r\n");
  REQUIRE(d.send("*\r\n") == "501 5.0.0 Authentication cancelled\r\n");
  REQUIRE(d.send("AUTH LOGIN " + base64_encode("alice") + "\r\n") == "334 UGFzc3dvcmQ6\r\n");
  REQUIRE(d.send("!!\r\n") == "501 5.5.2 Cannot decode response\r\n");
  REQUIRE(d.send("AUTH PLAIN " + base64_encode("no-nuls") + "\r\n") == "501 5.5.2 Invalid authentication message\r\n");
  REQUIRE(d.send("AUTH CRAM-MD5\r\n") == "504 5.5.4 Unsupported authentication mechanism\r\n");
  REQUIRE(d.send("AUTH LOGIN\r\n" + base64_encode("alice") + "\r\n" + base64_encode("pw") + "\r\n") ==
          "334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n235 2.7.0 Authentication successful\r\n");
  REQUIRE(d.requests.back().credentials->mechanism == "LOGIN");
}

TEST_CASE("auth: refused before EHLO, during a transaction, and when not offered") {
  auto d = auth_server();
  REQUIRE(d.send("AUTH PLAIN =\r\n") == "503 5.5.1 Error: send EHLO first\r\n");
  d.send("EHLO c\r\nMAIL FROM:<>\r\n");
  REQUIRE(d.send("AUTH PLAIN =\r\n") == "503 5.5.1 Error: MAIL transaction in progress\r\n");
  server_driver plain_server;
  plain_server.send("EHLO c\r\n");
  REQUIRE(plain_server.send("AUTH PLAIN =\r\n") == "503 5.5.1 Error: authentication not enabled\r\n");
}

TEST_CASE("auth: the initial response split at every offset") {
  std::string script = "EHLO c\r\nAUTH PLAIN " + plain("alice", "pw") + "\r\nQUIT\r\n";
  for (std::size_t cut = 0; cut <= script.size(); ++cut) {
    auto d = auth_server();
    d.send(script.substr(0, cut));
    d.send(script.substr(cut));
    REQUIRE(d.fsm.auth_identity() == "alice");
    REQUIRE(d.closed);
  }
}

TEST_CASE("lmtp: LHLO, and one reply per accepted recipient after the dot") {
  server_options o = server_driver::default_options();
  o.lmtp = true;
  server_driver d(o, [](const decision_request& q, const server_fsm&) {
    if (q.what == ask::rcpt && q.argument == "gone@y.test") return std::optional<reply>(reply{550, "5.1.1", "gone"});
    return std::optional<reply>();
  });
  REQUIRE(d.wire == "220 mx.test LMTP\r\n");
  REQUIRE(d.send("EHLO c\r\n") == "500 5.5.2 Error: command not recognized\r\n");
  REQUIRE(d.send("HELO c\r\n") == "500 5.5.2 Error: command not recognized\r\n");
  REQUIRE(d.send("LHLO c\r\n").starts_with("250-mx.test\r\n250-PIPELINING\r\n"));
  std::string got = d.send("MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nRCPT TO:<gone@y.test>\r\n"
                           "RCPT TO:<c@y.test>\r\nDATA\r\nhi\r\n.\r\n");
  REQUIRE(got == "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 gone\r\n250 2.1.5 Ok\r\n"
                 "354 End data with <CR><LF>.<CR><LF>\r\n250 2.0.0 Ok\r\n250 2.0.0 Ok\r\n");
}

TEST_CASE("lmtp: per-recipient verdicts in RCPT order") {
  server_options o = server_driver::default_options();
  o.lmtp = true;
  server_fsm fsm(o);
  fsm.feed("LHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<b@y.test>\r\nRCPT TO:<c@y.test>\r\nDATA\r\nx\r\n.\r\n");
  std::string wire;
  for (auto a = fsm.next(); a.what != server_action::kind::need_input; a = fsm.next()) {
    if (a.what == server_action::kind::reply) wire += format_reply(a.out);
    if (a.what == server_action::kind::decide && a.request->what == ask::message)
      fsm.decide_message({reply{250, "2.1.5", "b delivered"}, reply{452, "4.2.2", "c over quota"}});
    else if (a.what == server_action::kind::decide)
      fsm.decide(a.request->proposed);
  }
  REQUIRE(wire.ends_with("250 2.1.5 b delivered\r\n452 4.2.2 c over quota\r\n"));
}
