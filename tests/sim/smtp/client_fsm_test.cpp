// client_fsm against scripted server replies: pipelining, fallbacks, failures, LMTP, timeouts.
#include <catch2/catch.hpp>

#include "sim/smtp/client_fsm.hpp"

using namespace sim::smtp;
using namespace std::chrono_literals;

namespace {

const std::string greeting = "220 mx.test ESMTP\r\n";
const std::string ehlo_full = "250-mx.test\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250-8BITMIME\r\n250-DSN\r\n"
                              "250-AUTH PLAIN LOGIN\r\n250 ENHANCEDSTATUSCODES\r\n";

struct run {
  std::string sent;
  std::vector<std::string> traced;
  std::vector<client_phase> read_phases;
  std::vector<timeout_duration> read_timeouts;
  int sends = 0;
};

// Runs until idle, closed, or a read with no scripted input left.
void drive(client_fsm& fsm, run& r, std::vector<std::string>& chunks) {
  while (true) {
    auto a = fsm.next();
    if (a.what == client_action::kind::send) {
      r.sent += a.bytes;
      ++r.sends;
      for (std::size_t i = 0; i < a.command_lines(); ++i) r.traced.emplace_back(a.trace_line(i));
    } else if (a.what == client_action::kind::read) {
      r.read_phases.push_back(a.at);
      r.read_timeouts.push_back(a.timeout);
      if (chunks.empty()) return;
      fsm.on_bytes(chunks.front());
      chunks.erase(chunks.begin());
    } else {
      return;
    }
  }
}

client_options options() {
  client_options o;
  o.helo_name = "client.test";
  return o;
}

outgoing_message message(std::vector<std::string> to) {
  outgoing_message m;
  m.reverse_path = parse_mailbox("a@x.test");
  for (auto& t : to) m.recipients.push_back({*parse_mailbox(t), {}});
  m.content = "Subject: hi\n\n.dot\n";
  return m;
}

}  // namespace

TEST_CASE("client: a pipelined transaction, split at every offset of the server's output") {
  std::string server = greeting + ehlo_full + "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 No such user\r\n"
                       "354 go\r\n250 2.0.0 queued\r\n221 2.0.0 Bye\r\n";
  for (std::size_t cut = 0; cut <= server.size(); ++cut) {
    client_fsm fsm(options());
    run r;
    std::vector<std::string> chunks{server.substr(0, cut), server.substr(cut)};
    drive(fsm, r, chunks);
    REQUIRE(fsm.idle());
    auto m = message({"b@y.test", "c@y.test"});
    m.recipients[0].params.notify = dsn_notify{false, true, true, false};
    m.ret = dsn_ret::hdrs;
    REQUIRE(fsm.send_message(m));
    drive(fsm, r, chunks);
    REQUIRE(fsm.message_done());
    fsm.quit();
    drive(fsm, r, chunks);
    REQUIRE(fsm.closed());
    REQUIRE(r.sent == "EHLO client.test\r\n"
                      "MAIL FROM:<a@x.test> SIZE=21 RET=HDRS\r\nRCPT TO:<b@y.test> NOTIFY=SUCCESS,FAILURE\r\n"
                      "RCPT TO:<c@y.test>\r\nDATA\r\nSubject: hi\r\n\r\n..dot\r\n.\r\nQUIT\r\n");
    REQUIRE(r.sends == 5);  // EHLO, MAIL+RCPTs in one write, DATA, content, QUIT
    auto& out = fsm.outcomes();
    REQUIRE(out[0].status == delivery_status::ok);
    REQUIRE(out[0].server_reply->text() == "queued");
    REQUIRE(out[0].at == client_phase::data_end);
    REQUIRE(out[1].status == delivery_status::permfail);
    REQUIRE(out[1].server_reply->enhanced == "5.1.1");
    REQUIRE(out[1].at == client_phase::rcpt);
    REQUIRE(fsm.result() == session_result::ok);
  }
}

TEST_CASE("client: without PIPELINING each RCPT waits, the phase timeouts come from the table") {
  client_fsm fsm(options());
  run r;
  std::vector<std::string> chunks{greeting, "250 mx.test\r\n", "250 Ok\r\n", "250 Ok\r\n", "250 Ok\r\n",
                                  "354 go\r\n", "250 Ok\r\n"};
  drive(fsm, r, chunks);
  fsm.send_message(message({"b@y.test", "c@y.test"}));
  drive(fsm, r, chunks);
  REQUIRE(r.sent == "EHLO client.test\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nRCPT TO:<c@y.test>\r\n"
                    "DATA\r\nSubject: hi\r\n\r\n..dot\r\n.\r\n");
  REQUIRE(r.read_phases == std::vector<client_phase>{client_phase::greeting, client_phase::ehlo, client_phase::mail,
                                                     client_phase::rcpt, client_phase::rcpt, client_phase::data_init,
                                                     client_phase::data_end});
  REQUIRE(r.read_timeouts == std::vector<timeout_duration>{5min, 5min, 5min, 5min, 5min, 2min, 10min});
}

TEST_CASE("client: EHLO refused falls back to HELO") {
  client_fsm fsm(options());
  run r;
  std::vector<std::string> chunks{greeting, "502 5.5.1 what\r\n", "250 mx.test\r\n"};
  drive(fsm, r, chunks);
  REQUIRE(fsm.idle());
  REQUIRE(r.sent == "EHLO client.test\r\nHELO client.test\r\n");
  REQUIRE_FALSE(fsm.server_capabilities().pipelining);
}

TEST_CASE("client: a 5xx greeting gives up politely, a 421 greeting at once") {
  client_fsm refused(options());
  run r;
  std::vector<std::string> chunks{"554 5.7.1 no\r\n", "221 Bye\r\n"};
  drive(refused, r, chunks);
  REQUIRE(refused.closed());
  REQUIRE(refused.result() == session_result::greeting_rejected);
  REQUIRE(refused.last_reply()->code == 554);
  REQUIRE(r.sent == "QUIT\r\n");
  client_fsm busy(options());
  run r2;
  std::vector<std::string> chunks2{"421 4.3.2 busy\r\n"};
  drive(busy, r2, chunks2);
  REQUIRE(busy.closed());
  REQUIRE(busy.result() == session_result::reply_421);
  REQUIRE(r2.sent.empty());
}

TEST_CASE("client: 421 in the middle tempfails every pending recipient") {
  client_fsm fsm(options());
  run r;
  std::vector<std::string> chunks{greeting, ehlo_full, "250 Ok\r\n550 5.1.1 no\r\n421 4.4.2 timeout\r\n"};
  drive(fsm, r, chunks);
  fsm.send_message(message({"b@y.test", "c@y.test", "d@y.test"}));
  drive(fsm, r, chunks);
  REQUIRE(fsm.closed());
  REQUIRE(fsm.result() == session_result::reply_421);
  auto& out = fsm.outcomes();
  REQUIRE(out[0].status == delivery_status::permfail);
  REQUIRE(out[1].status == delivery_status::tempfail);
  REQUIRE(out[1].server_reply->code == 421);
  REQUIRE(out[2].status == delivery_status::tempfail);
}

TEST_CASE("client: no accepted recipient means no DATA, and RSET before the next message") {
  client_fsm fsm(options());
  run r;
  std::vector<std::string> chunks{greeting, ehlo_full, "250 Ok\r\n450 4.7.1 greylisted\r\n", "250 Ok\r\n",
                                  "250 Ok\r\n250 Ok\r\n", "354 go\r\n", "250 Ok\r\n"};
  drive(fsm, r, chunks);
  fsm.send_message(message({"b@y.test"}));
  drive(fsm, r, chunks);
  REQUIRE(fsm.outcomes()[0].status == delivery_status::tempfail);
  REQUIRE(r.sent.find("DATA") == std::string::npos);
  r.sent.clear();
  fsm.send_message(message({"c@y.test"}));
  drive(fsm, r, chunks);
  REQUIRE(r.sent.starts_with("RSET\r\nMAIL FROM:<a@x.test> SIZE=21\r\nRCPT TO:<c@y.test>\r\nDATA\r\n"));
  REQUIRE(fsm.outcomes()[0].status == delivery_status::ok);
}

TEST_CASE("client: MAIL refused settles every recipient, pipelined RCPT replies are skipped") {
  client_fsm fsm(options());
  run r;
  std::vector<std::string> chunks{greeting, ehlo_full, "553 5.7.1 sender refused\r\n503 5.5.1 need MAIL\r\n"};
  drive(fsm, r, chunks);
  fsm.send_message(message({"b@y.test"}));
  drive(fsm, r, chunks);
  REQUIRE(fsm.idle());
  REQUIRE(fsm.outcomes()[0].status == delivery_status::permfail);
  REQUIRE(fsm.outcomes()[0].at == client_phase::mail);
}

TEST_CASE("client: LMTP reads one reply per accepted recipient") {
  auto o = options();
  o.lmtp = true;
  client_fsm fsm(o);
  run r;
  std::vector<std::string> chunks{"220 lda LMTP\r\n", "250-lda\r\n250 PIPELINING\r\n",
                                  "250 Ok\r\n250 Ok\r\n550 5.1.1 gone\r\n250 Ok\r\n", "354 go\r\n",
                                  "250 2.0.0 b ok\r\n452 4.2.2 d full\r\n"};
  drive(fsm, r, chunks);
  REQUIRE(r.sent == "LHLO client.test\r\n");
  fsm.send_message(message({"b@y.test", "c@y.test", "d@y.test"}));
  drive(fsm, r, chunks);
  auto& out = fsm.outcomes();
  REQUIRE(out[0].status == delivery_status::ok);
  REQUIRE(out[1].status == delivery_status::permfail);
  REQUIRE(out[2].status == delivery_status::tempfail);
  REQUIRE(out[2].server_reply->text() == "d full");
}

TEST_CASE("client: AUTH PLAIN is masked in the trace, 535 fails the session") {
  auto o = options();
  o.auth_user = "alice";
  o.auth_password = "pw";
  client_fsm fsm(o);
  run r;
  std::vector<std::string> chunks{greeting, ehlo_full, "235 2.7.0 ok\r\n"};
  drive(fsm, r, chunks);
  REQUIRE(fsm.idle());
  REQUIRE(r.sent.find("AUTH PLAIN AGFsaWNlAHB3\r\n") != std::string::npos);
  REQUIRE(r.traced.back() == "AUTH PLAIN ********");
  client_fsm bad(o);
  run r2;
  std::vector<std::string> chunks2{greeting, ehlo_full, "535 5.7.8 no\r\n", "221 bye\r\n"};
  drive(bad, r2, chunks2);
  REQUIRE(bad.closed());
  REQUIRE(bad.result() == session_result::auth_failed);
}

TEST_CASE("client: timeout and lost connection tempfail what is pending") {
  client_fsm fsm(options());
  run r;
  std::vector<std::string> chunks{greeting, ehlo_full, "250 Ok\r\n250 Ok\r\n", "354 go\r\n"};
  drive(fsm, r, chunks);
  fsm.send_message(message({"b@y.test"}));
  drive(fsm, r, chunks);
  REQUIRE(r.read_phases.back() == client_phase::data_end);
  fsm.on_timeout();
  REQUIRE(fsm.closed());
  REQUIRE(fsm.result() == session_result::timeout);
  REQUIRE(fsm.outcomes()[0].status == delivery_status::tempfail);
  REQUIRE_FALSE(fsm.outcomes()[0].server_reply);
  client_fsm lost(options());
  run r2;
  std::vector<std::string> chunks2{greeting};
  drive(lost, r2, chunks2);
  lost.on_connection_lost();
  REQUIRE(lost.result() == session_result::connection_lost);
  REQUIRE(lost.next().what == client_action::kind::closed);
}

TEST_CASE("client: pipeline_data puts DATA in the MAIL/RCPT group, split at every offset of the server's output") {
  std::string server = greeting + ehlo_full + "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 No such user\r\n"
                       "354 go\r\n250 2.0.0 queued\r\n221 2.0.0 Bye\r\n";
  for (std::size_t cut = 0; cut <= server.size(); ++cut) {
    client_options o = options();
    o.pipeline_data = true;
    client_fsm fsm(o);
    run r;
    std::vector<std::string> chunks{server.substr(0, cut), server.substr(cut)};
    drive(fsm, r, chunks);
    REQUIRE(fsm.idle());
    REQUIRE(fsm.send_message(message({"b@y.test", "c@y.test"})));
    drive(fsm, r, chunks);
    REQUIRE(fsm.message_done());
    fsm.quit();
    drive(fsm, r, chunks);
    REQUIRE(fsm.closed());
    REQUIRE(r.sent == "EHLO client.test\r\n"
                      "MAIL FROM:<a@x.test> SIZE=21\r\nRCPT TO:<b@y.test>\r\nRCPT TO:<c@y.test>\r\nDATA\r\n"
                      "Subject: hi\r\n\r\n..dot\r\n.\r\nQUIT\r\n");
    REQUIRE(r.sends == 4);  // EHLO, MAIL+RCPTs+DATA in one write, content, QUIT
    REQUIRE(fsm.outcomes()[0].status == delivery_status::ok);
    REQUIRE(fsm.outcomes()[1].at == client_phase::rcpt);
  }
}

TEST_CASE("client: pipelined DATA after every RCPT was refused gets 554 5.5.1 and settles nothing more") {
  client_options o = options();
  o.pipeline_data = true;
  client_fsm fsm(o);
  run r;
  std::vector<std::string> chunks{greeting, ehlo_full,
                                  "250 Ok\r\n550 5.1.1 No such user\r\n554 5.5.1 Error: no valid recipients\r\n",
                                  "250 Ok\r\n250 Ok\r\n250 Ok\r\n354 go\r\n", "250 Ok\r\n"};
  drive(fsm, r, chunks);
  fsm.send_message(message({"b@y.test"}));
  drive(fsm, r, chunks);
  REQUIRE(fsm.message_done());
  REQUIRE(r.sent.ends_with("RCPT TO:<b@y.test>\r\nDATA\r\n"));
  REQUIRE(fsm.outcomes()[0].status == delivery_status::permfail);
  REQUIRE(fsm.outcomes()[0].server_reply->enhanced == "5.1.1");  // its RCPT reply, not DATA's
  r.sent.clear();
  fsm.send_message(message({"c@y.test"}));
  drive(fsm, r, chunks);
  REQUIRE(r.sent.starts_with("RSET\r\nMAIL FROM:<a@x.test> SIZE=21\r\nRCPT TO:<c@y.test>\r\nDATA\r\n"));
  REQUIRE(fsm.outcomes()[0].status == delivery_status::ok);
}

TEST_CASE("client: a pipelined DATA that gets 354 with no recipient accepted ends with an empty message") {
  client_options o = options();
  o.pipeline_data = true;
  client_fsm fsm(o);
  run r;
  std::vector<std::string> chunks{greeting, ehlo_full, "250 Ok\r\n450 4.7.1 greylisted\r\n354 go\r\n",
                                  "554 5.5.1 no recipients\r\n"};
  drive(fsm, r, chunks);
  fsm.send_message(message({"b@y.test"}));
  drive(fsm, r, chunks);
  REQUIRE(fsm.message_done());
  REQUIRE(r.sent.ends_with("DATA\r\n.\r\n"));
  REQUIRE(fsm.outcomes()[0].status == delivery_status::tempfail);
  REQUIRE(fsm.outcomes()[0].at == client_phase::rcpt);
}
