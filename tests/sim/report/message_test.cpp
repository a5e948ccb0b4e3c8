// Tests for sim/report/message_*, header_notes and dsn_view: journeys, the annotated copy, DSNs.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "sim/message/dsn.hpp"
#include "sim/report/dsn_view.hpp"
#include "sim/report/header_notes.hpp"
#include "sim/report/message_model.hpp"
#include "sim/report/message_view.hpp"
#include "support.hpp"

using report_test::approved_trace;
using sim::report::message_model;

namespace {

message_model read(const std::vector<sim::event>& events, sim::report::report_limits limits = {}) {
  message_model m(limits);
  for (const auto& e : events) m.add(e);
  return m;
}

const char* const tour_copy =
    "Return-Path: <alice@sender.test>\r\n"
    "Delivered-To: bob@example.org\r\n"
    "Received: from mail.sender.test (mail.sender.test [192.0.2.25])\r\n"
    "\tby mx1.example.org (mailsim) with ESMTP id 622639E9FF\r\n"
    "\tfor <bob@example.org>; Mon, 05 Jan 2026 09:00:01 +0000\r\n"
    "Received: from alice-laptop.sender.test (alice-laptop.sender.test [203.0.113.7])\r\n"
    "\tby mail.sender.test (mailsim) with ESMTPA id 700550AEEA\r\n"
    "\tfor <bob@example.org>; Mon, 05 Jan 2026 09:00:01 +0000\r\n"
    "From: alice@sender.test\r\n"
    "To: bob@example.org\r\n"
    "Subject: Lunch on Friday?\r\n"
    "Message-ID: <1.tour@sender.test>\r\n"
    "\r\n"
    "Hi Bob,\r\n";

std::string a_dsn() {
  sim::message::dsn_request r;
  r.reporting_mta = "mail.sender.test";
  r.original_sender = "alice@sender.test";
  r.date = sim::wall_time{};
  r.message_id = "<B93A3D0CDA.bounce@mail.sender.test>";
  sim::message::dsn_recipient rcpt;
  rcpt.final_recipient = "bbo@example.org";
  rcpt.status = "5.1.1";
  rcpt.remote_mta = "mx.example.org";
  rcpt.diagnostic_code = "550 5.1.1 <bbo@example.org>: User unknown";
  r.recipients.push_back(rcpt);
  r.original_message = "From: alice@sender.test\r\nSubject: Meeting notes\r\nMessage-ID: <1.unknown-user@sender.test>\r\n\r\nhi\r\n";
  return sim::message::compose_dsn(r);
}

}  // namespace

TEST_CASE("the tour's message: composed, queued twice, handed on, filed, fetched") {
  auto m = read(approved_trace("tour"));
  REQUIRE(m.messages().size() == 1);
  const auto& msg = m.messages()[0];
  CHECK(msg.message_id == "<1.tour@sender.test>");
  CHECK(msg.scenario_id == "hello");
  CHECK(msg.subject == "Lunch on Friday?");
  CHECK(msg.composed_on == "alice-laptop.sender.test");
  CHECK(msg.path == std::vector<std::string>{"mail.sender.test", "mx1.example.org"});
  CHECK(msg.filed == 1);
  REQUIRE(msg.filings.size() == 1);
  CHECK(msg.filings[0].mailbox == "bob@example.org");
  CHECK(msg.filings[0].t == 1158);
  CHECK(msg.steps.front().what == "the MUA composes it");
  REQUIRE(m.fetches().size() == 1);
  CHECK(m.fetches()[0].user == "bob@example.org");
  CHECK(sim::report::outcome_badge(msg).first == "delivered");
}

TEST_CASE("a bounce is linked both ways: the original lists its DSN, the DSN names the original") {
  auto m = read(approved_trace("unknown-user"));
  const auto* original = m.find("<1.unknown-user@sender.test>");
  REQUIRE(original);
  CHECK(original->bounced == 1);
  REQUIRE(original->dsns.size() == 1);
  CHECK(original->dsns[0].message_id == "<B93A3D0CDA.bounce@mail.sender.test>");
  CHECK(original->dsns[0].action == "failed");
  const auto* dsn = m.find("<B93A3D0CDA.bounce@mail.sender.test>");
  REQUIRE(dsn);
  CHECK(dsn->is_dsn);
  CHECK(dsn->dsn_about == original->message_id);
  CHECK(dsn->from.empty());
  CHECK(sim::report::outcome_badge(*original).first == "bounced");
  CHECK(sim::report::message_anchor(m, dsn->message_id) == "msg-2");
}

TEST_CASE("300 recipients make few steps: alike steps merge") {
  auto m = read(approved_trace("newsletter"));
  REQUIRE(m.messages().size() >= 1);
  const auto& news = m.messages()[0];
  CHECK(news.filed == 297);  // 296 readers and the list's own copy
  CHECK(news.filings.size() == 50);  // the first ones; the count is exact
  CHECK(news.steps.size() <= 40);
  CHECK(std::any_of(news.steps.begin(), news.steps.end(), [](const auto& s) { return s.repeat >= 70; }));
  auto levels = sim::report::route_levels(news);
  REQUIRE(levels.size() == 2);  // the sender, then the four MX hosts side by side
  CHECK(levels[0] == std::vector<std::string>{"mail.sender.test"});
  CHECK(levels[1].size() == 4);
}

TEST_CASE("a relayed message's route is a chain, level by level") {
  auto m = read(approved_trace("backup-mx"));
  auto levels = sim::report::route_levels(m.messages().at(0));
  CHECK(levels == std::vector<std::vector<std::string>>{{"mail.sender.test"}, {"mx2.example.org"}, {"mx1.example.org"}});
}

TEST_CASE("over max_listed_messages, messages are counted, not followed") {
  sim::report::report_limits limits;
  limits.max_listed_messages = 1;
  auto m = read(approved_trace("unknown-user"), limits);
  CHECK(m.messages().size() == 1);
  CHECK(m.untracked() == 0);  // the DSN is about the one followed
  message_model three(limits);
  for (int i = 0; i < 3; ++i)
    three.add(report_test::make_event(i, i, "pc", "mua", "mua.compose",
                                      {{"message_id", fmt::format("<{}@x>", i)}, {"subject", "s"}}));
  CHECK(three.messages().size() == 1);
  CHECK(three.untracked() == 2);
}

TEST_CASE("header fields get notes: the LDA's, each Received numbered bottom-up, the author's") {
  auto notes = sim::report::annotate_header(sim::message::message::parse(tour_copy), "mx1.example.org");
  REQUIRE(notes.size() == 8);
  CHECK(notes[0].kind == "lda");
  CHECK(notes[0].note.find("envelope sender (MAIL FROM)") != std::string::npos);
  CHECK(notes[0].note.find("the LDA on mx1.example.org") != std::string::npos);
  CHECK(notes[1].name == "Delivered-To");
  CHECK(notes[2].hop == 2);
  CHECK(notes[2].note == "Hop 2 of 2 (read bottom-up): mx1.example.org added this when it received the message from "
                         "mail.sender.test [192.0.2.25] with ESMTP, its queue id 622639E9FF, for <bob@example.org>.");
  CHECK(notes[3].hop == 1);
  CHECK(notes[3].note.find("with ESMTPA (ESMTP with authentication: a submission)") != std::string::npos);
  CHECK(notes[3].text.starts_with("Received: from alice-laptop.sender.test"));
  CHECK(notes[3].text.find("\n\tby mail.sender.test") != std::string::npos);  // folds kept, CR dropped
  CHECK(notes[3].text.find('\r') == std::string::npos);
  CHECK(notes[4].kind == "author");
  CHECK(notes[6].note.empty());  // Subject: nothing to add
}

TEST_CASE("header_value reads the header only, unfolded, case-insensitively") {
  CHECK(sim::report::header_value(tour_copy, "message-id") == "<1.tour@sender.test>");
  CHECK(sim::report::header_value(tour_copy, "Received") ==
        "from mail.sender.test (mail.sender.test [192.0.2.25]) by mx1.example.org (mailsim) with ESMTP id 622639E9FF "
        "for <bob@example.org>; Mon, 05 Jan 2026 09:00:01 +0000");
  CHECK(sim::report::header_value("Subject: x\n\nMessage-ID: <in-the-body>\n", "Message-ID").empty());
  CHECK(sim::report::header_value("", "Subject").empty());
}

TEST_CASE("status codes are explained (RFC 3463)") {
  CHECK(sim::report::status_meaning("5.1.1") == "permanent failure: bad destination mailbox address (no such user)");
  CHECK(sim::report::status_meaning("4.4.1") == "temporary failure, retried: no answer from host");
  CHECK(sim::report::status_meaning("5.7.99") == "permanent failure: security or policy");
  CHECK(sim::report::status_meaning("5.9.9") == "permanent failure: other or undefined");
  CHECK(sim::report::status_meaning("hello").empty());
  CHECK(sim::report::status_meaning("3.1.1").empty());
}

TEST_CASE("a DSN is rendered: what it says to people, its fields, and its bytes") {
  std::string dsn = a_dsn();
  std::string got = sim::report::dsn_html(dsn, 48 * 1024);
  CHECK(got.find("What the MTA wrote for people") != std::string::npos);
  CHECK(got.find("<th>Final-Recipient</th><td><code>bbo@example.org</code>") != std::string::npos);
  CHECK(got.find("bad destination mailbox address") != std::string::npos);
  CHECK(got.find("<th>Remote-MTA</th><td><code>mx.example.org</code>") != std::string::npos);
  CHECK(got.find("&lt;bbo@example.org&gt;: User unknown") != std::string::npos);
  CHECK(got.find("<details class=\"raw\">") != std::string::npos);
  CHECK(got.find("message/delivery-status") != std::string::npos);  // in the raw bytes

  std::string small = sim::report::dsn_html(dsn, 100);
  CHECK(small.find("more bytes not shown here") != std::string::npos);
  CHECK(sim::report::dsn_html("Subject: not a DSN\r\n\r\nhi\r\n", 1000).find("Final-Recipient") == std::string::npos);
}

TEST_CASE("a message's article shows the copy filed, annotated, or says why it cannot") {
  auto m = read(approved_trace("tour"));
  std::vector<sim::report::filed_message> delivered{{"mx1.example.org", "bob@example.org", tour_copy, 1158, "INBOX"}};
  sim::report::filed_index copies(delivered);
  sim::report::report_limits limits;
  sim::report::message_context ctx{delivered, copies, m, limits};
  std::string got = sim::report::message_article(m.messages()[0], ctx);
  CHECK(got.starts_with("<article class=\"msg\" id=\"msg-1\">"));
  CHECK(got.find("As filed in <code>bob@example.org</code> on mx1.example.org, folder <code>INBOX</code> at +00:00:01.158") !=
        std::string::npos);
  CHECK(got.find("<span class=\"hop\">2</span>Received: from mail.sender.test") != std::string::npos);
  CHECK(got.find("<span class=\"hop\">1</span>Received: from alice-laptop.sender.test") != std::string::npos);
  CHECK(got.find("<pre class=\"body\">Hi Bob,") != std::string::npos);
  CHECK(got.find("fetches the mailbox over <a class=\"g\" href=\"#g-pop3\">POP3</a>") != std::string::npos);

  std::vector<sim::report::filed_message> none;
  sim::report::filed_index no_copies(none);
  sim::report::message_context without{none, no_copies, m, limits};
  CHECK(sim::report::message_article(m.messages()[0], without).find("that copy is not part of this report") !=
        std::string::npos);
}
