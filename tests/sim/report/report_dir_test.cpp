// Tests for sim/report/report_dir and summary: the files of `--report DIR`.
#include <catch2/catch.hpp>

#include <sstream>

#include "sim/report/files.hpp"
#include "sim/report/html.hpp"
#include "sim/report/report_dir.hpp"
#include "sim/report/summary.hpp"
#include "support.hpp"

using report_test::make_event;
using report_test::scratch_dir;

namespace {

std::string greylist_trace() {
  std::string out;
  for (const auto& e :
       {make_event(0, 0, "sim", "sim", "sim.start", {{"scenario", "greylist"}, {"seed", 1}}),
        make_event(1, 5, "mail.sender.test", "mta", "smtp.command", {{"line", "RCPT TO:<bob@example.org>"}}),
        make_event(2, 10, "mx1.example.org", "mta", "smtp.reply",
                   {{"code", 451}, {"enhanced", "4.7.1"}, {"text", "greylisted <try later>"},
                    {"lines", {"451 4.7.1 greylisted <try later>"}}}),
        make_event(3, 30, "sim", "sim", "sim.end", {{"scenario", "greylist"}, {"seed", 1}})})
    out += e.dump() + "\n";
  return out;
}

sim::report::report_input greylist_input() {
  sim::report::report_input in;
  in.scenario.id = "greylist";
  in.scenario.title = "Greylisting & retries";
  in.scenario.description = "The first attempt is <deferred>; the retry gets through.";
  in.expectations = {{"PASS delivered bob@example.org", true}, {"FAIL deferred bob@example.org: 1 time, want 2", false}};
  in.summary = "1 passed, 1 failed";
  in.timeline = {"+00:00:00      sim                    sim   scenario greylist starts (seed 1)",
                 "+00:00:00.010  mx1.example.org        mta   <<< 451 4.7.1 greylisted <try later>"};
  return in;
}

}  // namespace

TEST_CASE("the summary line is exactly N passed, N failed") {
  CHECK(sim::report::summary_line(3, 0) == "3 passed, 0 failed");
  CHECK(sim::report::summary_line(std::vector<std::string>{"PASS a", "FAIL b", "PASS c", "note"}) ==
        "2 passed, 1 failed");
  CHECK(sim::report::summary_line(std::vector<std::string>{}) == "0 passed, 0 failed");
}

TEST_CASE("the report folder gets the timeline, the trace as read, and the page") {
  scratch_dir dir("report_dir_files");
  std::istringstream trace(greylist_trace());
  auto files = sim::report::write_report_dir(dir.path / "out", greylist_input(), trace);
  CHECK(files.timeline == dir.path / "out" / "greylist.timeline.txt");
  CHECK(files.trace == dir.path / "out" / "greylist.trace.jsonl");
  CHECK(files.html == dir.path / "out" / "greylist.html");

  auto timeline = sim::report::read_file(files.timeline);
  REQUIRE(timeline);
  CHECK(*timeline ==
        "+00:00:00      sim                    sim   scenario greylist starts (seed 1)\n"
        "+00:00:00.010  mx1.example.org        mta   <<< 451 4.7.1 greylisted <try later>\n"
        "PASS delivered bob@example.org\n"
        "FAIL deferred bob@example.org: 1 time, want 2\n"
        "1 passed, 1 failed\n");
  CHECK(sim::report::read_file(files.trace) == greylist_trace());
  std::istringstream again(greylist_trace());
  CHECK(sim::report::read_file(files.html) == sim::report::report_html(greylist_input(), again));
}

TEST_CASE("the page shows title, description, expectations and timeline, escaped") {
  std::istringstream trace(greylist_trace());
  auto got = sim::report::report_html(greylist_input(), trace);
  CHECK(got.find("<h1>Greylisting &amp; retries</h1>") != std::string::npos);
  CHECK(got.find("The first attempt is &lt;deferred&gt;; the retry gets through.") != std::string::npos);
  CHECK(got.find("<li class=\"pass\"><span class=\"badge\">PASS</span><b>delivered bob@example.org</b></li>") !=
        std::string::npos);
  CHECK(got.find("<li class=\"fail\"><span class=\"badge\">FAIL</span><b>deferred bob@example.org</b>: "
                 "<span class=\"reason\">1 time, want 2</span></li>") != std::string::npos);
  CHECK(got.find("<p><b>1 passed, 1 failed</b></p>") != std::string::npos);
  CHECK(got.find("<tr class=\"wire temp\"><td class=\"time\">+00:00:00.010</td><td>mx1.example.org</td>"
                 "<td class=\"agent\">mta</td><td class=\"what\">&lt;&lt;&lt; 451 4.7.1 greylisted &lt;try later&gt;</td></tr>") !=
        std::string::npos);
  CHECK(got.find("451 4.7.1 greylisted &lt;try later&gt;") != std::string::npos);  // in the diagram too
}

TEST_CASE("an unwritable report folder is an error that names the path") {
  scratch_dir dir("report_dir_blocked");
  sim::report::write_file(dir.path / "blocker", "a file where the folder should be");
  std::istringstream trace(greylist_trace());
  CHECK_THROWS_AS(sim::report::write_report_dir(dir.path / "blocker", greylist_input(), trace), sim::report::file_error);
  try {
    std::istringstream again(greylist_trace());
    sim::report::write_report_dir(dir.path / "blocker", greylist_input(), again);
  } catch (const sim::report::file_error& e) {
    CHECK(std::string(e.what()).find("blocker") != std::string::npos);
  }
}
