// tests/sim/scenario/expect_test.cpp - every expectation kind passes and
// fails on small hand-made outcomes.
#include <catch2/catch.hpp>

#include "sim/message/dsn.hpp"
#include "sim/message/message.hpp"
#include "sim/message/received.hpp"
#include "sim/scenario/expect.hpp"
#include "sim/scenario/expect_pattern.hpp"

using namespace sim::scenario;
using namespace std::chrono_literals;

namespace {

// Stamped by the submission host, then the backup MX, then the primary.
const std::string hello_raw =
    "Return-Path: <alice@sender.test>\r\n"
    "Delivered-To: bob@example.org\r\n"
    "Received: from mx2.example.org (mx2.example.org [198.51.100.20])\r\n"
    "\tby mx1.example.org (mailsim) with ESMTP id Q3\r\n"
    "\tfor <bob@example.org>; Mon, 05 Jan 2026 11:00:00 +0000\r\n"
    "Received: from mail.sender.test (mail.sender.test [192.0.2.25])\r\n"
    "\tby mx2.example.org (mailsim) with ESMTP id Q2; Mon, 05 Jan 2026 09:00:02 +0000\r\n"
    "Received: from pc (unknown [203.0.113.5])\r\n"
    "\tby mail.sender.test (mailsim) with ESMTPA id Q1; Mon, 05 Jan 2026 09:00:01 +0000\r\n"
    "Message-ID: <1@sender.test>\r\n"
    "From: alice@sender.test\r\n"
    "To: bob@example.org\r\n"
    "Subject: =?UTF-8?B?SGVsbG8gd8O2cmxk?=\r\n"
    "X-Folded: one\r\n"
    " two\r\n"
    "\r\n"
    "Hi Bob\r\n";

std::string other_raw(const std::string& message_id) {
  return "Return-Path: <carol@sender.test>\r\nMessage-ID: " + message_id + "\r\nSubject: Other\r\n\r\nbody\r\n";
}

std::string dsn_raw(const std::string& rcpt, const std::string& status, sim::message::dsn_action action) {
  sim::message::dsn_request r;
  r.reporting_mta = "mail.sender.test";
  r.original_sender = "alice@sender.test";
  r.date = sim::scenario::scenario::default_start();
  r.message_id = "<dsn1@mail.sender.test>";
  sim::message::dsn_recipient failed;
  failed.final_recipient = rcpt;
  failed.action = action;
  failed.status = status;
  r.recipients.push_back(failed);
  r.original_message = "Message-ID: <1@sender.test>\r\nSubject: Hello\r\n\r\nHi\r\n";
  return sim::message::compose_dsn(r);
}

sim::time_point at(sim::duration d) { return sim::time_point{d}; }

outcome base_outcome() {
  outcome o;
  o.sent.push_back({"hello", "alice@sender.test", {"bob@example.org"}, "<1@sender.test>", at(1s)});
  o.sent.push_back({"other", "carol@sender.test", {"dave@example.org"}, "<2@sender.test>", at(2s)});
  o.deliveries.push_back({"mx1.example.org", "bob@example.org", hello_raw, at(2h)});
  return o;
}

expect_result run(expectation_kind kind, const outcome& o) { return evaluate(expectation{0, std::move(kind)}, o); }

sim::event ev(std::string name, std::string host, sim::event fields = sim::event::object()) {
  sim::event e = {{"seq", 0}, {"t", 0}, {"host", std::move(host)}, {"agent", "mta"}, {"event", std::move(name)}};
  for (auto& [k, v] : fields.items()) e[k] = v;
  return e;
}

}  // namespace

TEST_CASE("delivered: by message, host, via, within and headers") {
  outcome o = base_outcome();
  auto got = run(expect_delivered{.to = "bob@example.org", .message = "hello", .host = "mx1.example.org",
                                  .via = std::vector<std::string>{"mail.sender.test", "mx2.example.org", "mx1.example.org"},
                                  .within = 3h,
                                  .headers = {{"Return-Path", "<alice@sender.test>"}, {"X-Folded", "one two"},
                                              {"Delivered-To", std::nullopt}}},
                 o);
  CHECK(got.passed);
  CHECK(got.line() ==
        "PASS delivered bob@example.org (message hello): delivered on mx1.example.org at +02:00:00 via "
        "mail.sender.test, mx2.example.org, mx1.example.org");
  CHECK(got.trace_fields().dump() == R"({"index":0,"kind":"delivered","reason":")" + got.reason + "\"}");

  CHECK(run(expect_delivered{.to = "BOB@example.org"}, o).passed);
  o.sent[0].message_id = "1@sender.test";  // recorded without angle brackets
  CHECK(run(expect_delivered{.to = "bob@example.org", .message = "hello", .within = 2h}, o).passed);
  auto wrong_host = run(expect_delivered{.to = "bob@example.org", .host = "mx2.example.org"}, o);
  CHECK_FALSE(wrong_host.passed);
  CHECK(wrong_host.reason == "delivered on mx1.example.org, not mx2.example.org");
  auto wrong_via = run(expect_delivered{.to = "bob@example.org", .via = std::vector<std::string>{"mail.sender.test", "mx1.example.org"}}, o);
  CHECK(wrong_via.reason ==
        "it passed mail.sender.test, mx2.example.org, mx1.example.org, not mail.sender.test, mx1.example.org");
  auto late = run(expect_delivered{.to = "bob@example.org", .message = "hello", .within = 1h}, o);
  CHECK(late.reason == "delivered 1h59m59s after it was sent, later than 1h");
  CHECK(run(expect_delivered{.to = "bob@example.org", .within = 2h}, o).passed);  // found by Message-ID
  auto header = run(expect_delivered{.to = "bob@example.org", .headers = {{"Return-Path", "<>"}}}, o);
  CHECK(header.reason == R"(its Return-Path is "<alice@sender.test>", not "<>")");
  auto missing = run(expect_delivered{.to = "bob@example.org", .headers = {{"X-Spam", std::nullopt}}}, o);
  CHECK(missing.reason == "it has no X-Spam header field");
}

TEST_CASE("delivered: nothing there says what was found instead") {
  outcome o = base_outcome();
  o.deliveries.push_back({"mx1.example.org", "erin@example.org", other_raw("<9@x>"), at(1h)});
  auto none = run(expect_delivered{.to = "carol@example.org"}, o);
  CHECK(none.line() == "FAIL delivered carol@example.org: no delivery to carol@example.org; 2 deliveries to other mailboxes");
  auto other_message = run(expect_delivered{.to = "bob@example.org", .message = "other"}, o);
  CHECK(other_message.reason == "1 delivery to bob@example.org, none of them message other (<2@sender.test>)");
  CHECK(run(expect_delivered{.to = "bob@example.org", .message = "never"}, o).reason == "message never was never sent");
  o.deliveries.push_back({"mx2.example.org", "bob@example.org", hello_raw, at(3h)});
  auto second_fits = run(expect_delivered{.to = "bob@example.org", .host = "mx2.example.org"}, o);
  CHECK(second_fits.passed);
  auto neither = run(expect_delivered{.to = "bob@example.org", .within = 1s}, o);
  CHECK(neither.reason.rfind("none of 2 deliveries to bob@example.org fits; the first: delivered 1h59m59s", 0) == 0);
}

TEST_CASE("delivered: via reads the Received fields the MTAs write") {
  auto m = sim::message::message::parse("Message-ID: <7@sender.test>\r\nSubject: x\r\n\r\nbody\r\n");
  std::vector<std::string> hops{"mail.sender.test", "relay.test", "relay.test", "mx1.example.org"};
  for (const auto& by : hops) {
    const sim::message::received_stamp stamp{"client.test", std::nullopt, "192.0.2.1", by, "ESMTP", "Q",
                                             {"bob@example.org", "carol@example.org"},
                                             sim::scenario::scenario::default_start()};
    m.prepend("Received", sim::message::format_received(stamp));
  }
  outcome o;
  o.deliveries.push_back({"mx1.example.org", "bob@example.org", m.serialize(), at(1s)});
  // A host that stamps twice in a row (re-injection) counts once.
  CHECK(run(expect_delivered{.to = "bob@example.org",
                             .via = std::vector<std::string>{"mail.sender.test", "relay.test", "mx1.example.org"}},
            o)
            .passed);
  CHECK_FALSE(run(expect_delivered{.to = "bob@example.org",
                                   .via = std::vector<std::string>{"mail.sender.test", "mx1.example.org"}},
                  o)
                  .passed);
}

TEST_CASE("not_delivered") {
  outcome o = base_outcome();
  CHECK(run(expect_not_delivered{.to = "dave@example.org"}, o).passed);
  CHECK(run(expect_not_delivered{.to = "bob@example.org", .message = "other"}, o).passed);
  auto got = run(expect_not_delivered{.to = "bob@example.org", .message = "hello"}, o);
  CHECK_FALSE(got.passed);
  CHECK(got.reason == "delivered to bob@example.org on mx1.example.org at +02:00:00");
}

TEST_CASE("bounced: a DSN reporting failed reached the original sender") {
  outcome o = base_outcome();
  o.deliveries.push_back({"mail.sender.test", "alice@sender.test",
                          dsn_raw("nobody@example.org", "5.1.1", sim::message::dsn_action::failed), at(10s)});
  o.sent.push_back({"", "alice@sender.test", {"nobody@example.org"}, "<1@sender.test>", at(1s)});
  auto got = run(expect_bounced{.recipient = "nobody@example.org", .status = "5.1.1", .within = 9s}, o);
  CHECK(got.passed);
  CHECK(got.reason == "a DSN reached alice@sender.test on mail.sender.test at +00:00:10: failed nobody@example.org 5.1.1");
  CHECK(run(expect_bounced{.recipient = "nobody@example.org", .status = "5."}, o).passed);
  CHECK(run(expect_bounced{.recipient = "nobody@example.org", .status = "5.1."}, o).passed);
  CHECK(run(expect_bounced{.recipient = "nobody@example.org", .to = "alice@sender.test"}, o).passed);
  CHECK(run(expect_bounced{.recipient = "nobody@example.org", .status = "4."}, o).reason ==
        "a DSN reached alice@sender.test, but the DSN reports status 5.1.1, not 4.");
  CHECK(run(expect_bounced{.recipient = "nobody@example.org", .status = "5.1.2"}, o).reason ==
        "a DSN reached alice@sender.test, but the DSN reports status 5.1.1, not 5.1.2");
  CHECK(run(expect_bounced{.recipient = "nobody@example.org", .within = 8s}, o).reason ==
        "a DSN reached alice@sender.test, but the DSN arrived 9s after the message was sent, later than 8s");
  CHECK(run(expect_bounced{.recipient = "nobody@example.org", .to = "bob@example.org"}, o).reason ==
        "no DSN reached bob@example.org");
  CHECK(run(expect_bounced{.recipient = "bob@example.org"}, o).reason ==
        "a DSN reached alice@sender.test, but the DSN reports failed nobody@example.org 5.1.1");
  CHECK(run(expect_bounced{.recipient = "zed@example.org"}, o).reason == "no message with a sender was sent to zed@example.org");
}

TEST_CASE("bounced: a delay warning is not a failure") {
  outcome o = base_outcome();
  o.deliveries.push_back({"mail.sender.test", "alice@sender.test",
                          dsn_raw("bob@example.org", "4.4.1", sim::message::dsn_action::delayed), at(4h)});
  auto got = run(expect_bounced{.recipient = "bob@example.org"}, o);
  CHECK_FALSE(got.passed);
  CHECK(got.reason == "a DSN reached alice@sender.test, but the DSN reports delayed bob@example.org 4.4.1");
}

TEST_CASE("no_bounce") {
  outcome o = base_outcome();
  CHECK(run(expect_no_bounce{}, o).reason == "no DSN was delivered");
  o.deliveries.push_back({"mail.sender.test", "alice@sender.test",
                          dsn_raw("bob@example.org", "5.2.2", sim::message::dsn_action::failed), at(1h)});
  CHECK(run(expect_no_bounce{.to = "carol@sender.test"}, o).passed);
  auto got = run(expect_no_bounce{}, o);
  CHECK_FALSE(got.passed);
  CHECK(got.line() == "FAIL no_bounce (any mailbox): a DSN reached alice@sender.test on mail.sender.test at +01:00:00: "
                      "failed bob@example.org 5.2.2");
  CHECK_FALSE(run(expect_no_bounce{.to = "alice@sender.test"}, o).passed);
}

TEST_CASE("fetched: subjects compare after RFC 2047 decoding") {
  outcome o = base_outcome();
  CHECK(run(expect_fetched{.user = "bob@example.org"}, o).reason == "bob@example.org fetched 0 messages in all");
  o.fetched.push_back({"bob@example.org", hello_raw, at(1h)});
  o.fetched.push_back({"bob@example.org", other_raw("<3@x>"), at(1h)});
  o.fetched.push_back({"carol@example.org", hello_raw, at(1h)});
  CHECK(run(expect_fetched{.user = "bob@example.org", .subject = "Hello w\xc3\xb6rld"}, o).passed);
  CHECK(run(expect_fetched{.user = "bob@example.org", .count = 2}, o).passed);
  CHECK(run(expect_fetched{.user = "bob@example.org", .subject = "Other", .count = 1}, o).passed);
  auto count = run(expect_fetched{.user = "bob@example.org", .count = 3}, o);
  CHECK(count.reason == "bob@example.org fetched 2 messages in all, want 3");
  auto subject = run(expect_fetched{.user = "bob@example.org", .subject = "Hello"}, o);
  CHECK(subject.reason ==
        "bob@example.org fetched 0 messages with subject \"Hello\" (of 2 messages; subjects \"Hello w\xc3\xb6rld\", \"Other\")");
}

TEST_CASE("deferred: queue.defer events for the recipient on any host") {
  std::vector<sim::event> trace{ev("queue.defer", "mail.sender.test", {{"rcpt", "bob@example.org"}}),
                                ev("queue.defer", "mx2.example.org", {{"rcpt", "Bob@example.org"}}),
                                ev("queue.defer", "mx2.example.org", {{"rcpt", "carol@example.org"}}),
                                ev("queue.attempt", "mx2.example.org", {{"rcpt", "bob@example.org"}})};
  outcome o;
  o.trace = &trace;
  auto got = run(expect_deferred{.recipient = "bob@example.org"}, o);
  CHECK(got.reason == "2 deferrals of bob@example.org (on mail.sender.test, mx2.example.org)");
  CHECK(got.passed);
  CHECK(run(expect_deferred{.recipient = "bob@example.org", .range = {.count = 2}}, o).passed);
  CHECK(run(expect_deferred{.recipient = "bob@example.org", .range = {.count = 3}}, o).reason ==
        "2 deferrals of bob@example.org (on mail.sender.test, mx2.example.org), want exactly 3");
  CHECK(run(expect_deferred{.recipient = "bob@example.org", .range = {.min = 2, .max = 2}}, o).passed);
  CHECK_FALSE(run(expect_deferred{.recipient = "bob@example.org", .range = {.max = 1}}, o).passed);
  CHECK(run(expect_deferred{.recipient = "dave@example.org", .range = {.max = 1}}, o).passed);  // min 0 with only max
  CHECK(run(expect_deferred{.recipient = "dave@example.org"}, o).reason ==
        "0 deferrals of dave@example.org, want at least 1");
}

TEST_CASE("rejected: the phase of a reply follows the session's commands") {
  auto cmd = [](const char* line) { return ev("smtp.command", "mail.sender.test", {{"session", "s1"}, {"line", line}}); };
  auto reply = [](int code) { return ev("smtp.reply", "mx1.example.org", {{"session", "s1"}, {"code", code}, {"text", "x"}}); };
  // Greeting, EHLO, then a pipelined MAIL/RCPT/RCPT/DATA group (RFC 2920).
  std::vector<sim::event> trace{reply(220),        cmd("EHLO mail.sender.test"), reply(250),
                                cmd("MAIL FROM:<alice@sender.test>"), cmd("RCPT TO:<bob@example.org>"),
                                cmd("RCPT TO:<nobody@example.org>"), cmd("DATA"), reply(250), reply(250),
                                reply(550), reply(354), ev("smtp.data", "mail.sender.test", {{"session", "s1"}}),
                                reply(451), cmd("QUIT"), reply(221)};
  auto phases = reply_phases(trace);
  std::vector<std::string> got;
  for (const auto& [index, phase] : phases) got.push_back(phase);
  CHECK(got == std::vector<std::string>{"connect", "ehlo", "mail", "rcpt", "rcpt", "data", "dot", "quit"});

  outcome o;
  o.trace = &trace;
  auto rcpt = run(expect_rejected{.host = "mx1.example.org", .phase = smtp_phase::rcpt}, o);
  CHECK(rcpt.passed);
  CHECK(rcpt.reason == "mx1.example.org answered 550 in rcpt at +00:00:00 x");
  CHECK(run(expect_rejected{.host = "mx1.example.org", .code = 451}, o).passed);
  CHECK(run(expect_rejected{.host = "mx1.example.org", .phase = smtp_phase::dot, .code = 451}, o).passed);
  auto mail = run(expect_rejected{.host = "mx1.example.org", .phase = smtp_phase::mail}, o);
  CHECK_FALSE(mail.passed);
  CHECK(mail.reason ==
        "mx1.example.org sent no 4xx/5xx reply in mail; its rejections: 550 in rcpt at +00:00:00, 451 in dot at +00:00:00");
  auto other = run(expect_rejected{.host = "mx2.example.org"}, o);
  CHECK(other.reason == "mx2.example.org sent no 4xx/5xx reply; it rejected nothing");
}

TEST_CASE("rejected: a reply's own phase field wins") {
  std::vector<sim::event> trace{
      ev("smtp.reply", "mx1.example.org", {{"session", "s2"}, {"code", 554}, {"text", "go away"}}),
      ev("smtp.reply", "mx1.example.org", {{"session", "s3"}, {"code", 421}, {"phase", "ehlo"}})};
  outcome o;
  o.trace = &trace;
  CHECK(run(expect_rejected{.host = "mx1.example.org", .phase = smtp_phase::connect, .code = 554}, o).passed);
  CHECK(run(expect_rejected{.host = "mx1.example.org", .phase = smtp_phase::ehlo}, o).passed);
  CHECK_FALSE(run(expect_rejected{.host = "mx1.example.org", .phase = smtp_phase::connect, .code = 421}, o).passed);
}

TEST_CASE("trace: patterns with dotted paths and bounds") {
  std::vector<sim::event> trace{
      ev("mx.select", "mail.sender.test",
         {{"domain", "example.org"},
          {"candidates", json::array({{{"preference", 10}, {"host", "mx1.example.org"}},
                                      {{"preference", 20}, {"host", "mx2.example.org"}}})}}),
      ev("net.connect.refused", "mail.sender.test", {{"peer", "mx1.example.org"}, {"port", 25}}),
      ev("net.connect.refused", "mail.sender.test", {{"peer", "mx1.example.org"}, {"port", 25}})};
  outcome o;
  o.trace = &trace;
  CHECK(run(expect_trace{.pattern = {{"event", "mx.select"}, {"candidates.1.host", "mx2.example.org"}}}, o).passed);
  CHECK_FALSE(run(expect_trace{.pattern = {{"candidates.2.host", "mx2.example.org"}}}, o).passed);
  CHECK_FALSE(run(expect_trace{.pattern = {{"candidates.x.host", "mx2.example.org"}}}, o).passed);
  CHECK(run(expect_trace{.pattern = {{"event", "net.connect.refused"}, {"port", 25}}, .range = {.count = 2}}, o).passed);
  auto got = run(expect_trace{.pattern = {{"event", "net.connect.refused"}}, .range = {.max = 1}}, o);
  CHECK_FALSE(got.passed);
  CHECK(got.line() == R"(FAIL trace net.connect.refused: 2 events match {"event":"net.connect.refused"}, want at most 1)");
  CHECK(run(expect_trace{.pattern = {{"event", "net.connect.timeout"}}, .range = {.max = 0}}, o).passed);
  CHECK_FALSE(run(expect_trace{.pattern = {{"event", "net.connect.refused"}, {"port", "25"}}}, o).passed);
}

TEST_CASE("sequence: patterns in order, not necessarily adjacent") {
  std::vector<sim::event> trace{ev("a", "h"), ev("b", "h"), ev("c", "h"), ev("b", "h")};
  for (std::size_t i = 0; i < trace.size(); ++i) trace[i]["seq"] = i;
  outcome o;
  o.trace = &trace;
  auto got = run(expect_sequence{{{{"event", "a"}}, {{"event", "c"}}, {{"event", "b"}}}}, o);
  CHECK(got.passed);
  CHECK(got.reason == "all 3 patterns in order (last at seq 3)");
  auto bad = run(expect_sequence{{{{"event", "c"}}, {{"event", "a"}}}}, o);
  CHECK_FALSE(bad.passed);
  CHECK(bad.reason == R"(1 of 2 patterns in order; no event after seq 2 matches {"event":"a"})");
  CHECK(run(expect_sequence{{{{"event", "z"}}}}, o).reason == R"(0 of 1 pattern in order; no event matches {"event":"z"})");
}

TEST_CASE("queue_empty: one host or every host") {
  outcome o;
  o.queue_sizes = {{"mail.sender.test", 0}, {"mx2.example.org", 2}, {"mx3.example.org", 1}};
  CHECK(run(expect_queue_empty{.host = "mail.sender.test"}, o).passed);
  CHECK(run(expect_queue_empty{.host = "unlisted.test"}, o).passed);
  CHECK(run(expect_queue_empty{.host = "mx2.example.org"}, o).reason == "2 messages left in the queue of mx2.example.org");
  auto all = run(expect_queue_empty{}, o);
  CHECK(all.line() == "FAIL queue_empty (every host): 3 messages left: mx2.example.org 2, mx3.example.org 1");
  o.queue_sizes["mx2.example.org"] = 0;
  o.queue_sizes["mx3.example.org"] = 0;
  CHECK(run(expect_queue_empty{}, o).reason == "every queue is empty");
}

TEST_CASE("evaluate_all keeps the file order and labels each kind") {
  outcome o = base_outcome();
  std::vector<expectation> list{{0, expect_queue_empty{}}, {1, expect_no_bounce{}},
                                {2, expect_rejected{.host = "mx1.example.org", .phase = smtp_phase::rcpt}}};
  auto got = evaluate_all(list, o);
  REQUIRE(got.size() == 3);
  CHECK(got[0].label == "queue_empty (every host)");
  CHECK(got[2].label == "rejected mx1.example.org rcpt");
  CHECK(got[2].kind == "rejected");
  CHECK(got[2].index == 2);
  CHECK_FALSE(got[2].passed);
}

TEST_CASE("delivered: folder, and the score and rules of the copy's X-Spam-Status") {
  outcome o = base_outcome();
  auto junk = sim::message::message::parse(other_raw("<3@sender.test>"));
  junk.prepend("X-Spam-Status", "Yes, score=7.5 required=5.0 tests=HTML_ONLY,\r\n\tSUBJECT_ALL_CAPS,URL_SHORTENER");
  o.sent.push_back({"junk", "carol@sender.test", {"bob@example.org"}, "<3@sender.test>", at(3s)});
  o.deliveries.push_back({"mx1.example.org", "bob@example.org", junk.serialize(), at(4s), "Junk"});

  auto got = run(expect_delivered{.to = "bob@example.org", .message = "junk", .folder = "Junk", .score = 75,
                                  .rules = {"SUBJECT_ALL_CAPS", "URL_SHORTENER"}},
                 o);
  CHECK(got.passed);
  CHECK(got.reason.rfind("delivered into Junk on mx1.example.org at +00:00:04", 0) == 0);
  got = run(expect_delivered{.to = "bob@example.org", .message = "junk", .folder = "INBOX"}, o);
  CHECK_FALSE(got.passed);
  CHECK(got.reason == "filed in Junk, not INBOX");
  got = run(expect_delivered{.to = "bob@example.org", .message = "junk", .score = 50}, o);
  CHECK(got.reason == "its spam score is 7.5, not 5.0");
  got = run(expect_delivered{.to = "bob@example.org", .message = "junk", .rules = {"DKIM_NONE"}}, o);
  CHECK(got.reason == "rule DKIM_NONE did not hit (tests=HTML_ONLY, SUBJECT_ALL_CAPS, URL_SHORTENER)");
  // A copy no filter scored has no X-Spam-Status to read.
  got = run(expect_delivered{.to = "bob@example.org", .message = "hello", .score = 0}, o);
  CHECK(got.reason == "it has no X-Spam-Status (no content filter scored it)");
  CHECK(run(expect_delivered{.to = "bob@example.org", .message = "hello", .folder = "INBOX"}, o).passed);
}
