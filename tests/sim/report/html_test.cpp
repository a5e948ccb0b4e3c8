// Tests for sim/report/html: the whole page - self-contained, escaped, bounded.
#include <catch2/catch.hpp>

#include <sstream>

#include <fmt/format.h>

#include "sim/message/mime.hpp"
#include "sim/report/html.hpp"
#include "sim/report/page_assets.hpp"
#include "sim/report/sections.hpp"
#include "sim/report/sha256.hpp"
#include "support.hpp"

using report_test::make_event;
using sim::report::report_input;
using sim::report::role_kind;

namespace {

constexpr const char* hostile = "</script><img src=x onerror=alert(1)>";

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string trace_text(const std::vector<sim::event>& events) {
  std::string out;
  for (const auto& e : events) out += e.dump() + "\n";
  return out;
}

std::string render(const report_input& in, const std::vector<sim::event>& events, sim::report::report_limits limits = {}) {
  sim::report::report_builder b(limits);
  for (const auto& e : events) b.add(e);
  return b.html(in);
}

report_input tour_input() {
  report_input in;
  in.scenario = {"tour", "A tour of one email", "Alice's MUA submits to her MSA; the MX files it.", 1,
                 "2026-01-05T09:00:00Z",
                 {{"alice-laptop.sender.test", {"203.0.113.7"}, {{role_kind::client, "MUA (client machine)"}}},
                  {"mail.sender.test", {"192.0.2.25"}, {{role_kind::submission, "MSA: port 587 with AUTH"}}},
                  {"mx1.example.org", {"198.51.100.10"}, {{role_kind::mx, "MX 10 for example.org"}}}},
                 {"example.org MX 10 mx1.example.org"},
                 {}};
  in.expectations = {{"PASS delivered bob@example.org: delivered on mx1.example.org", true}};
  in.summary = "1 passed, 0 failed";
  in.timeline = {"+00:00:01      alice-laptop.sender.test mua   compose \"Lunch\"",
                 "+00:00:01.016  alice-laptop.sender.test mua   >>> EHLO alice-laptop.sender.test"};
  return in;
}

// Everything a simulated world can put in a report, each carrying markup.
std::vector<sim::event> hostile_run() {
  std::string h = hostile;
  return {make_event(0, 0, "sim", "sim", "sim.start", {{"scenario", "x"}, {"seed", 1}}),
          make_event(1, 10, "pc" + h, "mua", "mua.compose",
                     {{"message", "m" + h}, {"from", "a" + h + "@x"}, {"to", {"b" + h + "@y"}}, {"subject", h},
                      {"message_id", "<" + h + "@x>"}}),
          make_event(2, 20, "pc" + h, "net", "net.connect", {{"session", "s1"}, {"peer", "mx" + h}, {"port", 25}}),
          make_event(3, 25, "pc" + h, "mua", "smtp.command", {{"session", "s1"}, {"peer", "mx" + h}, {"line", "EHLO " + h}}),
          make_event(4, 30, "mx" + h, "mta", "smtp.reply",
                     {{"session", "s1"}, {"peer", "pc" + h}, {"code", 554}, {"enhanced", "5.7.1"}, {"text", h},
                      {"lines", {"554-" + h, "554 5.7.1 " + h}}}),
          make_event(5, 31, "mx" + h, "dns", "dns.query", {{"name", h}, {"type", "TXT"}}),
          make_event(6, 32, "mx" + h, "dns", "dns.answer", {{"name", h}, {"type", "TXT"}, {"rcode", "NOERROR"}, {"records", {h}}}),
          make_event(7, 40, "mx" + h, "mta", "queue.enqueue",
                     {{"queue_id", "Q" + h}, {"from", h}, {"rcpts", {h}}, {"size", 1}, {"message_id", "<" + h + "@x>"}}),
          make_event(8, 50, "mx" + h, "mta", "queue.defer", {{"queue_id", "Q" + h}, {"rcpt", h}, {"reason", h}, {"retry_at", 99}}),
          make_event(9, 60, "mx" + h, "sim", "fault.on", {{"kind", "reply"}, {"text", h}, {"phase", h}}),
          make_event(10, 70, "mx" + h, "lda", "lda.deliver",
                     {{"mailbox", h}, {"size", 1}, {"return_path", h}, {"message_id", "<" + h + "@x>"}}),
          make_event(11, 80, "mx" + h, "net", "net.close", {{"session", "s1"}, {"peer", "pc" + h}})};
}

report_input hostile_input() {
  std::string h = hostile;
  report_input in;
  in.scenario = {"x", "Title " + h, "Description " + h, 1, "2026", {{"mx" + h, {h}, {{role_kind::mx, "MX " + h}}}}, {h}, {"DNSBL operator: " + h}};
  in.expectations = {{"FAIL delivered " + h + ": " + h, false}};
  in.summary = "0 passed, 1 failed " + h;
  in.timeline = {"+00:00:00.010  pc" + h + " mua   compose " + h, h};
  in.delivered = {{"mx" + h, h, "Return-Path: <" + h + ">\r\nReceived: from " + h + "\r\n\tby mx (mailsim) with ESMTP id " + h +
                                     "; date\r\nSubject: " + h + "\r\nMessage-ID: <" + h + "@x>\r\n\r\n" + h + "\r\n",
                   std::nullopt, h}};
  return in;
}

}  // namespace

TEST_CASE("the page is self-contained, and its policy names its own script and style") {
  std::istringstream trace(trace_text(report_test::approved_trace("tour")));
  std::string got = sim::report::report_html(tour_input(), trace);
  CHECK(got.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
  CHECK(got.ends_with("</html>\n"));
  for (const char* outside : {"http://", "https://", "<link", "<img", " src=", "@import", "url(", "<iframe", "<object"}) {
    INFO(outside);
    CHECK(got.find(outside) == std::string::npos);
  }
  CHECK(count(got, "<script>") == 1);
  CHECK(count(got, "<style>") == 1);
  CHECK(got.find("<script>" + sim::report::page_script() + "</script>") != std::string::npos);
  auto hash = [](const std::string& text) {
    auto d = sim::report::sha256(text);
    return "'sha256-" + sim::message::base64_encode(std::string(d.begin(), d.end()), 0) + "'";
  };
  CHECK(sim::report::page_policy().find("script-src " + hash(sim::report::page_script())) != std::string::npos);
  CHECK(sim::report::page_policy().find("style-src " + hash(sim::report::page_style())) != std::string::npos);
  CHECK(sim::report::page_policy().starts_with("default-src 'none'"));
  CHECK(got.find("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &apos;none&apos;") != std::string::npos);
  // JavaScript off: the controls it drives stay hidden, everything else is there.
  CHECK(got.find("<p id=\"seq-tools\" hidden>") != std::string::npos);
  for (const char* id : {"glance", "map", "sequence", "messages", "expectations", "timeline", "glossary"}) {
    INFO(id);
    CHECK(got.find(std::string("<section id=\"") + id + "\">") != std::string::npos);
  }
  CHECK(got.find("<svg class=\"map\"") != std::string::npos);
  CHECK(count(got, "<g class=\"lifeline host\"") == 4);
  CHECK(got.find("<a class=\"g\" href=\"#g-mua\">MUA</a>") != std::string::npos);  // the description, linked
}

TEST_CASE("text from the simulated world cannot run: a subject with </script><img onerror> stays text") {
  std::string got = render(hostile_input(), hostile_run());
  std::string script = "<script>" + sim::report::page_script() + "</script>";
  auto at = got.find(script);
  REQUIRE(at != std::string::npos);
  std::string rest = got.substr(0, at) + got.substr(at + script.size());
  CHECK(rest.find("<script") == std::string::npos);
  CHECK(rest.find("</script") == std::string::npos);
  CHECK(rest.find("<img") == std::string::npos);
  CHECK(rest.find("javascript:") == std::string::npos);
  CHECK(count(got, "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;") > 10);
  CHECK(got.find("<p class=\"alert\"><b>1 expectation failed.</b>") != std::string::npos);
}

TEST_CASE("lines that are not JSON objects are counted and skipped") {
  std::istringstream trace("not json\n" + make_event(0, 0, "sim", "sim", "sim.start").dump() + "\n[1,2]\n\n{\"t\":\n");
  std::string got = sim::report::report_html(tour_input(), trace);
  CHECK(got.find("3 lines of the trace could not be read") != std::string::npos);
}

TEST_CASE("1,000 hosts: the map and the lifelines keep the busiest, and say so") {
  report_input in = tour_input();
  std::vector<sim::event> events;
  int seq = 0;
  for (int i = 0; i < 1000; ++i) {
    std::string client = fmt::format("c{}.example", i), server = fmt::format("s{}.example", i % 500);
    std::string session = fmt::format("s{}", i);
    in.scenario.hosts.push_back({client, {fmt::format("10.0.{}.{}", i / 250, i % 250)}, {{role_kind::client, "MUA"}}});
    events.push_back(make_event(seq++, i * 10, client, "net", "net.connect", {{"session", session}, {"peer", server}, {"port", 25}}));
    events.push_back(make_event(seq++, i * 10 + 1, server, "mta", "smtp.reply",
                                {{"session", session}, {"peer", client}, {"code", 220}, {"text", "ready"}}));
    events.push_back(make_event(seq++, i * 10 + 2, client, "net", "net.close", {{"session", session}, {"peer", server}}));
  }
  sim::report::report_limits limits;
  std::string got = render(in, events, limits);
  CHECK(got.size() <= limits.max_page_bytes);
  CHECK(count(got, "<g class=\"lifeline host\"") == limits.max_lifelines - 1);
  CHECK(count(got, "<g class=\"lifeline others\"") == 1);
  CHECK(got.find("hosts share the lifeline") != std::string::npos);
  CHECK(got.find("hosts are not drawn") != std::string::npos);
  CHECK(count(got, "<g class=\"node ") <= limits.max_map_hosts + 1);  // and the DNS box
  CHECK(got.find("folded to one arrow") != std::string::npos);
  CHECK(got.find("later events are not drawn") != std::string::npos);
}

TEST_CASE("100,000 messages: a bounded page that lists some, shows fewer, and counts the rest") {
  report_input in = tour_input();
  sim::report::report_builder b;
  int seq = 0;
  for (int i = 0; i < 100000; ++i) {
    std::string id = fmt::format("<{}@x>", i), rcpt = fmt::format("r{}@example.org", i);
    b.add(make_event(seq++, i, "pc", "mua", "mua.compose",
                     {{"from", "a@x"}, {"to", {rcpt}}, {"subject", fmt::format("n{}", i)}, {"message_id", id}}));
    b.add(make_event(seq++, i, "mx", "mta", "queue.enqueue",
                     {{"queue_id", fmt::format("Q{}", i)}, {"from", "a@x"}, {"rcpts", {rcpt}}, {"size", 9}, {"message_id", id}}));
    b.add(make_event(seq++, i, "mx", "lda", "lda.deliver", {{"mailbox", rcpt}, {"size", 9}, {"message_id", id}}));
    in.delivered.push_back({"mx", rcpt, "Message-ID: " + id + "\r\nSubject: n\r\n\r\nbody\r\n", i, ""});
    in.timeline.push_back(fmt::format("+00:00:{:02}      mx  lda   filed into mailbox {}", i % 60, rcpt));
  }
  sim::report::report_limits limits;
  std::string got = b.html(in);
  CHECK(got.size() <= limits.max_page_bytes);
  CHECK(count(got, "<article class=\"msg\"") == limits.max_messages);
  CHECK(got.find(fmt::format("{} more messages are counted above but not followed", 100000 - limits.max_listed_messages)) !=
        std::string::npos);
  CHECK(got.find("lines not shown here") != std::string::npos);
}

TEST_CASE("under a tight size cap, sections give way and the page stays whole") {
  sim::report::report_limits limits;
  limits.max_page_bytes = 160 * 1024;
  report_input in = tour_input();
  for (int i = 0; i < 3000; ++i) in.timeline.push_back(fmt::format("+00:00:01      mx  mta   line {} {}", i, std::string(80, 'x')));
  std::string got = render(in, report_test::approved_trace("newsletter"), limits);
  CHECK(got.size() <= limits.max_page_bytes);
  CHECK(got.find("This section is left out") != std::string::npos);
  CHECK(got.ends_with("</html>\n"));
}

TEST_CASE("the timeline colours a session's lines by what follows their session id") {
  std::string got = sim::report::timeline_html({"+00:00:01.100  mx1.example.org        mta   [s2] <<< 550 5.1.1 no such user",
                                                "+00:00:01.105  mail.sender.test       mta   [s2] >>> QUIT",
                                                "+00:00:01.200  mail.sender.test       mta   [queue] deferred <b@x>: 451"},
                                               100);
  CHECK(got.find("<tr class=\"wire perm\">") != std::string::npos);
  CHECK(got.find("<tr class=\"wire cmd\">") != std::string::npos);
  CHECK(got.find("<tr class=\"warn\">") != std::string::npos);
  CHECK(got.find("[s2] &lt;&lt;&lt; 550 5.1.1 no such user") != std::string::npos);
}
