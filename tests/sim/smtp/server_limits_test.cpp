// server_fsm: the error tarpit and the junk command limit (after Postfix's
// smtpd_soft_error_limit, smtpd_hard_error_limit, smtpd_error_sleep_time
// and smtpd_junk_command_limit), and failed AUTH counting as an error.
#include <catch2/catch.hpp>

#include "sim/smtp/base64.hpp"
#include "tests/sim/smtp/server_driver.hpp"

using namespace sim::smtp;
using sim::smtp::test::server_driver;
using namespace std::chrono_literals;

namespace {

std::vector<int> limit_codes(const std::string& wire) {
  std::vector<int> out;
  reply_parser p;
  std::string_view rest = wire;
  while (!rest.empty()) {
    rest.remove_prefix(p.feed(rest));
    if (p.state() == reply_parser::status::complete) out.push_back(p.take().code);
  }
  return out;
}

std::string repeat(const std::string& line, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += line;
  return out;
}

std::string plain_with_authzid(const std::string& authzid, const std::string& user, const std::string& password) {
  return base64_encode(authzid + std::string(1, '\0') + user + std::string(1, '\0') + password);
}

}  // namespace

TEST_CASE("limits: 100 NOOPs are free, then each one is an error, the replies slow down, and the 120th ends it") {
  server_driver d;
  // 400 pipelined NOOPs (the adversarial pass sent 400,000): the server
  // stops reading at the hard limit, whatever is still buffered.
  auto got = limit_codes(d.send("EHLO c\r\n" + repeat("NOOP\r\n", 400)));
  REQUIRE(got.size() == 1 + 120 + 1);
  CHECK(std::count(got.begin(), got.end(), 250) == 121);
  CHECK(got.back() == 421);
  CHECK(d.wire.ends_with("421 4.7.0 mx.test Error: too many errors\r\n"));
  CHECK(d.closed);
  CHECK(d.fsm.error_count() == 20);
  // Replies 1 (greeting) + 1 (EHLO) + NOOP n: NOOP 110 is the 10th error (the soft limit).
  CHECK(d.delays[1 + 1 + 108] == 0ms);
  CHECK(d.delays[1 + 1 + 109] == 1000ms);
  CHECK(d.delays[1 + 1 + 110] == 2000ms);
  CHECK(d.delays[1 + 1 + 119] == 11000ms);
  CHECK(d.delays.back() == 0ms);  // the 421 itself is not held back
  REQUIRE(d.limits.size() == 2);
  CHECK(d.limits[0].kind == limit_kind::junk_commands);
  CHECK(d.limits[0].count == 101);
  CHECK(d.limits[0].limit == 100);
  CHECK(d.limits[1].kind == limit_kind::errors);
  CHECK(d.limits[1].count == 20);
}

TEST_CASE("limits: RSET, VRFY and HELP are junk too, MAIL and RCPT are not") {
  server_options o = server_driver::default_options();
  o.junk_command_limit = 3;
  o.error_limit = 2;
  o.soft_error_limit = 2;
  server_driver d(o);
  CHECK(limit_codes(d.send("EHLO c\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nRSET\r\nVRFY b\r\nHELP\r\n")) ==
        std::vector<int>{250, 250, 250, 250, 252, 214});
  CHECK(d.fsm.error_count() == 0);
  CHECK(limit_codes(d.send("NOOP\r\nRSET\r\n")) == std::vector<int>{250, 250, 421});
  CHECK(d.closed);
}

TEST_CASE("limits: a message taken starts the junk and error counts again (\"without delivering mail\")") {
  server_options o = server_driver::default_options();
  o.junk_command_limit = 2;
  server_driver d(o);
  d.send("EHLO c\r\nNOOP\r\nNOOP\r\nNOOP\r\nBOGUS\r\n");
  CHECK(d.fsm.error_count() == 2);
  d.send("MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\nhi\r\n.\r\n");
  CHECK(d.fsm.error_count() == 0);
  d.send("NOOP\r\nNOOP\r\n");
  CHECK(d.fsm.error_count() == 0);
}

TEST_CASE("limits: each failed AUTH is an error: slower and slower, then 421 (no endless guessing)") {
  server_options o = server_driver::default_options();
  o.auth_offered = true;
  server_driver d(o, [](const decision_request& q, const server_fsm&) -> std::optional<reply> {
    if (q.what == ask::auth && q.credentials->password != "right") return reply{535, "5.7.8", "Error: authentication failed"};
    return std::nullopt;
  });
  d.send("EHLO c\r\n");
  std::string guess = "AUTH PLAIN " + plain_with_authzid("", "bob", "wrong") + "\r\n";
  for (int i = 1; i <= 19; ++i) {
    INFO("guess " << i);
    REQUIRE(limit_codes(d.send(guess)) == std::vector<int>{535});
    CHECK(d.fsm.error_count() == i);
    CHECK(d.delays.back() == (i < 10 ? 0ms : std::chrono::milliseconds(1000 * (i - 9))));
  }
  // The 20th is still answered, then the session ends: the right password never gets a chance.
  CHECK(limit_codes(d.send(guess + "AUTH PLAIN " + plain_with_authzid("", "bob", "right") + "\r\n")) == std::vector<int>{535, 421});
  CHECK(d.closed);
  CHECK_FALSE(d.fsm.authenticated());
}

TEST_CASE("limits: a scenario's own limits are used") {
  server_options o = server_driver::default_options();
  o.junk_command_limit = 0;
  o.soft_error_limit = 1;
  o.error_limit = 3;
  o.error_sleep = 20ms;
  server_driver d(o);
  CHECK(limit_codes(d.send("EHLO c\r\nNOOP\r\nNOOP\r\nNOOP\r\nNOOP\r\n")) == std::vector<int>{250, 250, 250, 250, 421});
  CHECK(d.delays == std::vector<std::chrono::milliseconds>{0ms, 0ms, 20ms, 40ms, 60ms, 0ms});
}

TEST_CASE("limits: a SIZE too big for 64 bits is too big, not a syntax error (RFC 1870 6.2: 552)") {
  server_driver d;
  CHECK(d.send("EHLO c\r\nMAIL FROM:<a@x.test> SIZE=99999999999999999999\r\n").ends_with(
      "552 5.3.4 Message size exceeds fixed limit\r\n"));
  CHECK(d.fsm.error_count() == 0);
}
