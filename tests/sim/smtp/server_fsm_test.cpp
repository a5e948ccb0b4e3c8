// server_fsm: every command in every state, pipelining, limits, AUTH, LMTP.
#include <catch2/catch.hpp>

#include "tests/sim/smtp/server_driver.hpp"

using namespace sim::smtp;
using sim::smtp::test::server_driver;

namespace {

// The reply codes in a stretch of server output, in order.
std::vector<int> codes(const std::string& wire) {
  std::vector<int> out;
  reply_parser p;
  std::string_view rest = wire;
  while (!rest.empty()) {
    rest.remove_prefix(p.feed(rest));
    if (p.state() == reply_parser::status::complete) out.push_back(p.take().code);
  }
  return out;
}

const std::string transaction = "MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\nSubject: hi\r\n\r\nbody\r\n.\r\n";

}  // namespace

TEST_CASE("server: a whole session, with state changes reported") {
  server_driver d;
  REQUIRE(d.wire == "220 mx.test ESMTP\r\n");
  REQUIRE(d.send("EHLO client.test\r\n") ==
          "250-mx.test\r\n250-PIPELINING\r\n250-SIZE 10485760\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 DSN\r\n");
  REQUIRE(codes(d.send(transaction)) == std::vector<int>{250, 250, 354, 250});
  REQUIRE(d.contents == std::vector<std::string>{"Subject: hi\r\n\r\nbody\r\n"});
  REQUIRE(d.send("QUIT\r\n") == "221 2.0.0 Bye\r\n");
  REQUIRE(d.closed);
  REQUIRE(d.transitions == std::vector<std::string>{"connected -> greeted", "greeted -> ready", "ready -> mail",
                                                    "mail -> rcpt", "rcpt -> data", "data -> ready", "ready -> closed"});
  REQUIRE(d.fsm.helo_name() == "client.test");
}

TEST_CASE("server: every command in every state") {
  std::vector<std::string> lines{"EHLO c.test", "HELO c.test", "LHLO c.test", "MAIL FROM:<a@x.test>",
                                 "RCPT TO:<b@y.test>", "DATA", "RSET", "NOOP", "QUIT", "VRFY b", "HELP",
                                 "AUTH PLAIN", "STARTTLS", "BOGUS"};
  struct row {
    std::string name, setup;
    bool refuse;
    std::vector<int> want;
  };
  std::vector<row> rows{
      {"greeted", "", false, {250, 250, 500, 503, 503, 503, 250, 250, 221, 252, 214, 503, 502, 500}},
      {"ready", "EHLO c\r\n", false, {250, 250, 500, 250, 503, 503, 250, 250, 221, 252, 214, 503, 502, 500}},
      {"mail", "EHLO c\r\nMAIL FROM:<>\r\n", false, {250, 250, 500, 503, 250, 554, 250, 250, 221, 252, 214, 503, 502, 500}},
      {"rcpt", "EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<p@q.test>\r\n", false,
       {250, 250, 500, 503, 250, 354, 250, 250, 221, 252, 214, 503, 502, 500}},
      {"refused", "", true, {503, 503, 503, 503, 503, 503, 503, 503, 221, 503, 503, 503, 503, 503}},
  };
  for (auto& r : rows) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      server_driver d(server_driver::default_options(), [&](const decision_request& q, const server_fsm&) {
        return q.what == ask::connect && r.refuse ? std::optional<reply>(reply{554, "5.7.1", "go away"}) : std::nullopt;
      });
      d.send(r.setup);
      INFO("state " << r.name << " command " << lines[i]);
      REQUIRE(codes(d.send(lines[i] + "\r\n")) == std::vector<int>{r.want[i]});
    }
  }
}

TEST_CASE("server: a pipelined session split at every offset gives the same replies") {
  std::string script = "EHLO c.test\r\n" + transaction + "RSET\r\nNOOP\r\n" + transaction + "QUIT\r\n";
  server_driver whole;
  std::string want = whole.send(script);
  REQUIRE(codes(want) == std::vector<int>{250, 250, 250, 354, 250, 250, 250, 250, 250, 354, 250, 221});
  for (std::size_t cut = 0; cut <= script.size(); ++cut) {
    server_driver d;
    std::string got = d.send(script.substr(0, cut));
    got += d.send(script.substr(cut));
    REQUIRE(got == want);
    REQUIRE(d.contents.size() == 2);
  }
}

TEST_CASE("server: PIPELINING replies come in order around decisions (RFC 2920)") {
  server_driver d(server_driver::default_options(), [](const decision_request& q, const server_fsm&) {
    if (q.what == ask::rcpt && q.argument == "nobody@y.test") return std::optional<reply>(reply{550, "5.1.1", "No such user"});
    return std::optional<reply>();
  });
  std::string got = d.send("EHLO c\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<nobody@y.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\n"
                           "x\r\n.\r\nMAIL FROM:<>\r\nRCPT TO:<nobody@y.test>\r\nDATA\r\nQUIT\r\n");
  REQUIRE(codes(got) == std::vector<int>{250, 250, 550, 250, 354, 250, 250, 550, 554, 221});
  REQUIRE(d.fsm.transaction().recipients.empty());
}

TEST_CASE("server: smuggled end-of-data sequences stay in the content") {
  server_driver d;
  std::string got = d.send("EHLO c\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\n"
                           "a\n.\nMAIL FROM:<evil@x.test>\r\n.\r\n");
  REQUIRE(codes(got) == std::vector<int>{250, 250, 250, 354, 250});
  REQUIRE(d.contents[0] == "a\r\n.\r\nMAIL FROM:<evil@x.test>\r\n");
}

TEST_CASE("server: command line limit, control bytes, empty lines") {
  server_driver d;
  d.send("EHLO c\r\n");
  REQUIRE(d.send("NOOP " + std::string(505, 'x') + "\r\n") == "250 2.0.0 Ok\r\n");  // 512 with CRLF
  REQUIRE(d.send("NOOP " + std::string(506, 'x') + "\r\nNOOP\r\n") == "500 5.5.2 Line too long\r\n250 2.0.0 Ok\r\n");
  REQUIRE(d.send(std::string("NO\0OP\r\n", 7)) == "500 5.5.2 Error: control characters not allowed\r\n");
  REQUIRE(codes(d.send("\r\n")) == std::vector<int>{500});
  REQUIRE(codes(d.send("MAIL FROM:<a@x.test>\rRCPT\r\n")) == std::vector<int>{500});
}

TEST_CASE("server: 20 protocol errors end the session with 421") {
  server_driver d;
  std::string nineteen;
  for (int i = 0; i < 19; ++i) nineteen += "BOGUS\r\n";
  REQUIRE(codes(d.send(nineteen)) == std::vector<int>(19, 500));
  REQUIRE_FALSE(d.closed);
  REQUIRE(d.send("BOGUS\r\nNOOP\r\n") == "500 5.5.2 Error: command not recognized\r\n421 4.7.0 mx.test Error: too many errors\r\n");
  REQUIRE(d.closed);
}

TEST_CASE("server: recipient limit at and past the boundary") {
  server_options o = server_driver::default_options();
  o.max_recipients = 3;
  server_driver d(o);
  std::string rcpts;
  for (int i = 0; i < 4; ++i) rcpts += "RCPT TO:<r" + std::to_string(i) + "@y.test>\r\n";
  REQUIRE(codes(d.send("EHLO c\r\nMAIL FROM:<>\r\n" + rcpts)) == std::vector<int>{250, 250, 250, 250, 250, 452});
  REQUIRE(d.wire.ends_with("452 4.5.3 Error: too many recipients\r\n"));
  REQUIRE(d.fsm.transaction().recipients.size() == 3);
  server_driver dflt;
  std::string hundred_one;
  for (int i = 0; i < 101; ++i) hundred_one += "RCPT TO:<r" + std::to_string(i) + "@y.test>\r\n";
  auto got = codes(dflt.send("EHLO c\r\nMAIL FROM:<>\r\n" + hundred_one));
  REQUIRE(got.size() == 103);
  REQUIRE(got[101] == 250);
  REQUIRE(got[102] == 452);
}

TEST_CASE("server: SIZE at MAIL and the real size after the dot") {
  server_options o = server_driver::default_options();
  o.max_message_size = 10;
  server_driver d(o);
  d.send("EHLO c\r\n");
  REQUIRE(codes(d.send("MAIL FROM:<> SIZE=10\r\nRSET\r\n")) == std::vector<int>{250, 250});
  REQUIRE(d.send("MAIL FROM:<> SIZE=11\r\n") == "552 5.3.4 Message size exceeds fixed limit\r\n");
  // "12345678\r\n" is 10 octets: accepted; one more is refused after the dot.
  REQUIRE(codes(d.send("MAIL FROM:<>\r\nRCPT TO:<b@y.test>\r\nDATA\r\n12345678\r\n.\r\n")) ==
          std::vector<int>{250, 250, 354, 250});
  REQUIRE(d.send("MAIL FROM:<>\r\nRCPT TO:<b@y.test>\r\nDATA\r\n123456789\r\n.\r\n").ends_with(
      "552 5.3.4 Message size exceeds fixed limit\r\n"));
  REQUIRE(d.contents.size() == 1);
}

TEST_CASE("server: syntax errors in MAIL and RCPT") {
  server_driver d;
  d.send("EHLO c\r\n");
  REQUIRE(d.send("MAIL FROM:<bad>\r\n") == "501 5.1.7 Bad sender address syntax\r\n");
  REQUIRE(d.send("MAIL TO:<a@x.test>\r\n") == "501 5.5.4 Syntax: MAIL FROM:<address>\r\n");
  REQUIRE(d.send("MAIL FROM:<> SMTPUTF8\r\n") == "555 5.5.4 Unsupported option: SMTPUTF8\r\n");
  d.send("MAIL FROM:<>\r\n");
  REQUIRE(d.send("RCPT TO:<a@@b>\r\n") == "501 5.1.3 Bad recipient address syntax\r\n");
  REQUIRE(d.send("RCPT TO:<@a.test,@b.test:u@d.test>\r\n") == "250 2.1.5 Ok\r\n");
  REQUIRE(d.fsm.transaction().recipients[0].forward_path.text() == "u@d.test");
  REQUIRE(d.send("DATA now\r\n") == "501 5.5.4 Syntax: DATA\r\n");
  REQUIRE(d.send("EHLO\r\n") == "501 5.5.4 Syntax: EHLO hostname\r\n");
}

TEST_CASE("server: EHLO in a transaction resets it, a 421 decision closes") {
  server_driver d(server_driver::default_options(), [](const decision_request& q, const server_fsm&) {
    if (q.what == ask::rcpt) return std::optional<reply>(reply{421, "4.3.2", "mx.test shutting down"});
    return std::optional<reply>();
  });
  d.send("EHLO c\r\nMAIL FROM:<>\r\nEHLO c\r\n");
  REQUIRE(d.fsm.state() == server_state::ready);
  REQUIRE(d.send("MAIL FROM:<>\r\nRCPT TO:<b@y.test>\r\nNOOP\r\n").ends_with("421 4.3.2 mx.test shutting down\r\n"));
  REQUIRE(d.closed);
}

TEST_CASE("server: timeout and a 4xx greeting") {
  server_driver d;
  d.fsm.on_timeout();
  d.run();
  REQUIRE(d.wire.ends_with("421 4.4.2 mx.test Error: timeout exceeded\r\n"));
  REQUIRE(d.closed);
  server_driver busy(server_driver::default_options(), [](const decision_request&, const server_fsm&) {
    return std::optional<reply>(reply{421, "4.7.0", "busy"});
  });
  REQUIRE(busy.wire == "421 4.7.0 busy\r\n");
  REQUIRE(busy.closed);
}
