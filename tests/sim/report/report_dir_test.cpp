// Tests for sim/report/report_dir, html and summary: the files of `--report DIR`.
#include <catch2/catch.hpp>

#include "sim/report/files.hpp"
#include "sim/report/html.hpp"
#include "sim/report/report_dir.hpp"
#include "sim/report/summary.hpp"
#include "sim/report/timeline.hpp"
#include "support.hpp"

using report_test::make_event;
using report_test::scratch_dir;

namespace {

std::vector<sim::event> greylist_run() {
  return {make_event(0, 0, "sim", "sim", "sim.start", {{"scenario", "greylist"}, {"seed", 1}}),
          make_event(1, 5, "mail.sender.test", "mta", "smtp.command", {{"line", "RCPT TO:<bob@example.org>"}}),
          make_event(2, 10, "mx1.example.org", "mta", "smtp.reply",
                     {{"code", 451}, {"enhanced", "4.7.1"}, {"text", "greylisted <try later>"},
                      {"lines", {"451 4.7.1 greylisted <try later>"}}}),
          make_event(3, 12, "mx1.example.org", "mta", "smtp.reply",
                     {{"code", 250}, {"enhanced", nullptr}, {"text", "mx1.example.org"},
                      {"lines", {"250-mx1.example.org", "250 PIPELINING"}}}),
          make_event(4, 20, "mail.sender.test", "dns", "dns.query", {{"name", "example.org"}, {"type", "MX"}}),
          make_event(5, 30, "sim", "sim", "sim.end", {{"scenario", "greylist"}, {"seed", 1}})};
}

sim::report::scenario_report greylist_report() {
  return {"greylist", "Greylisting & retries", "The first attempt is <deferred>; the retry gets through.",
          {"PASS delivered bob@example.org", "FAIL deferred bob@example.org: 1 time, want 2"},
          "1 passed, 1 failed"};
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("the summary line is exactly N passed, N failed") {
  CHECK(sim::report::summary_line(3, 0) == "3 passed, 0 failed");
  CHECK(sim::report::summary_line(std::vector<std::string>{"PASS a", "FAIL b", "PASS c", "note"}) ==
        "2 passed, 1 failed");
  CHECK(sim::report::summary_line(std::vector<std::string>{}) == "0 passed, 0 failed");
}

TEST_CASE("the report folder gets the timeline, the trace and the page") {
  scratch_dir dir("report_dir_files");
  auto events = greylist_run();
  auto report = greylist_report();
  auto files = sim::report::write_report_dir(dir.path / "out", report, events);
  CHECK(files.timeline == dir.path / "out" / "greylist.timeline.txt");
  CHECK(files.trace == dir.path / "out" / "greylist.trace.jsonl");
  CHECK(files.html == dir.path / "out" / "greylist.html");

  auto timeline = sim::report::read_file(files.timeline);
  REQUIRE(timeline);
  std::string want =
      "+00:00:00      sim                    sim   scenario greylist starts (seed 1)\n"
      "+00:00:00.005  mail.sender.test       mta   >>> RCPT TO:<bob@example.org>\n"
      "+00:00:00.010  mx1.example.org        mta   <<< 451 4.7.1 greylisted <try later>\n"
      "+00:00:00.012  mx1.example.org        mta   <<< 250-mx1.example.org | 250 PIPELINING\n"
      "+00:00:00.030  sim                    sim   scenario greylist ends\n"
      "PASS delivered bob@example.org\n"
      "FAIL deferred bob@example.org: 1 time, want 2\n"
      "1 passed, 1 failed\n";
  CHECK(*timeline == want);
  CHECK(sim::report::read_file(files.trace) == sim::report::trace_text(events));
  CHECK(sim::report::read_file(files.html) == sim::report::report_html(report, events));
}

TEST_CASE("the page shows title, description, timeline and expectations, escaped") {
  auto got = sim::report::report_html(greylist_report(), greylist_run());
  CHECK(got.starts_with("<!DOCTYPE html>\n"));
  CHECK(got.find("<h1>Greylisting &amp; retries</h1>") != std::string::npos);
  CHECK(got.find("The first attempt is &lt;deferred&gt;; the retry gets through.") != std::string::npos);
  CHECK(got.find("<li class=\"pass\"><span class=\"badge\">PASS</span>delivered bob@example.org</li>") !=
        std::string::npos);
  CHECK(got.find("<li class=\"fail\"><span class=\"badge\">FAIL</span>deferred bob@example.org: 1 time, want 2</li>") !=
        std::string::npos);
  CHECK(got.find("<p class=\"summary\">1 passed, 1 failed</p>") != std::string::npos);
  // One row per meaningful event: dns.query has none.
  CHECK(count(got, " title=\"") == 5);
  CHECK(count(got, "<tr") == count(got, "</tr>"));
  CHECK(got.find("dns.query") == std::string::npos);
}

TEST_CASE("SMTP lines are styled by direction and reply class") {
  auto got = sim::report::report_html(greylist_report(), greylist_run());
  CHECK(got.find("<tr class=\"wire command\" title=\"smtp.command\">") != std::string::npos);
  CHECK(got.find("<tr class=\"wire reply tempfail\" title=\"smtp.reply\">") != std::string::npos);
  CHECK(got.find("&lt;&lt;&lt; 451 4.7.1 greylisted &lt;try later&gt;</td>") != std::string::npos);
  // A multiline reply keeps one wire line under the other.
  CHECK(got.find("&lt;&lt;&lt; 250-mx1.example.org<br>    250 PIPELINING</td>") != std::string::npos);
}

TEST_CASE("the page is self-contained") {
  auto got = sim::report::report_html(greylist_report(), greylist_run());
  for (const char* outside : {"http://", "https://", "<script", "<link", "<img", "src=", "@import", "url("}) {
    INFO(outside);
    CHECK(got.find(outside) == std::string::npos);
  }
  CHECK(got.find("<style>") != std::string::npos);
  CHECK(got.find("<meta charset=\"utf-8\">") != std::string::npos);
}

TEST_CASE("an unwritable report folder is an error that names the path") {
  scratch_dir dir("report_dir_blocked");
  sim::report::write_file(dir.path / "blocker", "a file where the folder should be");
  CHECK_THROWS_AS(sim::report::write_report_dir(dir.path / "blocker", greylist_report(), greylist_run()),
                  sim::report::file_error);
  try {
    sim::report::write_report_dir(dir.path / "blocker", greylist_report(), greylist_run());
  } catch (const sim::report::file_error& e) {
    CHECK(std::string(e.what()).find("blocker") != std::string::npos);
  }
}
