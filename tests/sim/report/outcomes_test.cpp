// Tests for sim/report/outcomes: what became of each message, the block at the end of `mailsim run`.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "sim/report/outcomes.hpp"
#include "support.hpp"

using report_test::approved_trace;
using report_test::make_event;
using sim::report::outcome_summary;
using sim::report::rcpt_status;

namespace {

outcome_summary summary_of(const std::string& scenario) {
  outcome_summary s;
  for (const auto& e : approved_trace(scenario))
    if (outcome_summary::wants(e["event"].get<std::string>())) s.add(e);
  return s;
}

std::string text(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

}  // namespace

TEST_CASE("outcomes: tour's one message is delivered on the MX, after two attempts over two hosts") {
  auto s = summary_of("tour");
  REQUIRE(s.messages().size() == 1);
  const auto& m = s.messages()[0];
  CHECK(m.label == "hello");
  REQUIRE(m.rcpts.size() == 1);
  CHECK(m.rcpts[0].status == rcpt_status::delivered);
  CHECK(m.rcpts[0].where == "mx1.example.org");
  CHECK(text(s.lines()) ==
        "What became of each message:\n"
        "  hello \"Lunch on Friday?\" from <alice@sender.test>\n"
        "    delivered  <bob@example.org> on mx1.example.org after 158ms, 2 attempts over 2 hosts\n"
        "  1 message, recipients: 1 delivered\n");
}

TEST_CASE("outcomes: a message that expired bounces with the last reason, its DSNs are listed as such") {
  auto s = summary_of("all-mx-down-expire");
  REQUIRE(s.messages().size() == 3);
  const auto& m = s.messages()[0];
  REQUIRE(m.rcpts.size() == 1);
  CHECK(m.rcpts[0].status == rcpt_status::bounced);
  CHECK(m.rcpts[0].attempts > 10);
  CHECK(s.messages()[1].dsn_action == "delayed");
  CHECK(s.messages()[2].dsn_action == "failed");
  auto out = text(s.lines());
  CHECK(out.find("    bounced    <bob@example.org> by mail.sender.test after 1d, ") != std::string::npos);
  CHECK(out.find("  delay notice (DSN) about contract to <alice@sender.test>\n") != std::string::npos);
  CHECK(out.find("  bounce (DSN) about contract to <alice@sender.test>\n") != std::string::npos);
}

TEST_CASE("outcomes: alike recipients share a line") {
  auto s = summary_of("newsletter");
  auto out = text(s.lines());
  CHECK(out.find("    delivered  <reader01@example.org> and 73 more on mx.example.org after ") != std::string::npos);
  CHECK(out.find("recipients: 298 delivered, 4 bounced") != std::string::npos);
}

TEST_CASE("outcomes: a deferred recipient still queued says where and why, a refused submission says so") {
  outcome_summary s;
  s.add(make_event(1, 1000, "pc", "mua", "mua.compose",
                   {{"message", "a"}, {"from", "x@s.test"}, {"to", {"y@d.test"}}, {"subject", "S"}, {"message_id", "<1@s>"}}));
  s.add(make_event(2, 1100, "mta.s.test", "mta", "queue.enqueue",
                   {{"queue_id", "Q1"}, {"from", "x@s.test"}, {"rcpts", {"y@d.test"}}, {"size", 10}, {"message_id", "<1@s>"}}));
  s.add(make_event(3, 1200, "mta.s.test", "mta", "queue.attempt", {{"queue_id", "Q1"}, {"rcpt", "y@d.test"}, {"attempt", 1}}));
  s.add(make_event(4, 1300, "mta.s.test", "mta", "queue.defer",
                   {{"queue_id", "Q1"}, {"rcpt", "y@d.test"}, {"reason", "451 4.7.1 greylisted"}, {"retry_at", 9000}}));
  s.add(make_event(5, 2000, "pc", "mua", "mua.compose",
                   {{"message", "b"}, {"from", "x@s.test"}, {"to", {"z@d.test"}}, {"subject", "T"}, {"message_id", "<2@s>"}}));
  s.add(make_event(6, 2100, "pc", "mua", "mua.reject",
                   {{"message_id", "<2@s>"}, {"code", 554}, {"enhanced", "5.7.1"}, {"text", "no"}}));
  auto out = text(s.lines());
  CHECK(out.find("    deferred   <y@d.test> at mta.s.test, 1 attempt so far: 451 4.7.1 greylisted\n") != std::string::npos);
  CHECK(out.find("    refused    <z@d.test> at submission: 554 5.7.1 no\n") != std::string::npos);
  CHECK(out.find("2 messages, recipients: 1 deferred, 1 refused") != std::string::npos);
}

TEST_CASE("outcomes: bounded - past the followed messages the rest are counted, past the shown ones too") {
  outcome_summary s(3);
  for (int i = 0; i < 5; ++i)
    s.add(make_event(i, i, "pc", "mua", "mua.compose",
                     {{"message", ""}, {"from", "x@s.test"}, {"to", {"y@d.test"}}, {"subject", "\x1b[31mred"},
                      {"message_id", fmt::format("<{}@s>", i)}}));
  CHECK(s.messages().size() == 3);
  CHECK(s.not_followed() == 2);
  auto lines = s.lines(2);
  CHECK(lines.back() == "  5 messages (2 shown above), recipients: 3 queued; 2 not followed");
  for (const auto& l : lines) CHECK(l.find('\x1b') == std::string::npos);  // text from the world stays inert
  CHECK(outcome_summary().lines().empty());
}
