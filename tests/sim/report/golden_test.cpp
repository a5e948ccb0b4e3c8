// Tests for sim/report/golden: approved traces, compared byte for byte.
#include <catch2/catch.hpp>

#include "sim/report/files.hpp"
#include "sim/report/golden.hpp"
#include "sim/report/timeline.hpp"
#include "support.hpp"

using report_test::make_event;
using report_test::scratch_dir;
using sim::report::compare_golden;
using sim::report::compare_trace_text;
using sim::report::golden_status;

namespace {

std::vector<sim::event> small_run() {
  return {make_event(0, 0, "sim", "sim", "sim.start", {{"scenario", "tour"}, {"seed", 1}}),
          make_event(1, 100, "mx", "mta", "smtp.reply", {{"code", 250}}),
          make_event(2, 200, "sim", "sim", "sim.end", {{"scenario", "tour"}, {"seed", 1}})};
}

}  // namespace

TEST_CASE("identical texts are the same") {
  auto text = sim::report::trace_text(small_run());
  auto got = compare_trace_text(text, text);
  CHECK(got.status == golden_status::same);
  CHECK(got.detail.empty());
}

TEST_CASE("the first differing line is named with both versions") {
  auto want = small_run();
  auto run = small_run();
  run[1]["code"] = 451;
  run[2]["t"] = 999;  // a later difference is not the one shown
  auto got = compare_trace_text(sim::report::trace_text(want), sim::report::trace_text(run));
  CHECK(got.status == golden_status::differs);
  CHECK(got.detail ==
        "line 2 differs at column 72: golden {\"seq\":1,\"t\":100,\"host\":\"mx\",\"agent\":\"mta\",\"event\":"
        "\"smtp.reply\",\"code\":250} | run {\"seq\":1,\"t\":100,\"host\":\"mx\",\"agent\":\"mta\",\"event\":"
        "\"smtp.reply\",\"code\":451}");
}

TEST_CASE("long differing lines are shortened around the difference") {
  std::string padding(200, 'a');
  std::string golden = "{\"text\":\"" + padding + "X" + padding + "\"}\n";
  std::string run = "{\"text\":\"" + padding + "Y" + padding + "\"}\n";
  auto got = compare_trace_text(golden, run);
  CHECK(got.status == golden_status::differs);
  CHECK(got.detail.starts_with("line 1 differs at column 210: golden ..."));
  CHECK(got.detail.find("X") != std::string::npos);
  CHECK(got.detail.find("Y") != std::string::npos);
  CHECK(got.detail.size() < 220);
}

TEST_CASE("extra events on either side are counted") {
  auto all = sim::report::trace_text(small_run());
  auto first = sim::report::trace_text({small_run()[0]});
  auto longer = compare_trace_text(all, first);
  CHECK(longer.status == golden_status::differs);
  CHECK(longer.detail.starts_with("golden has 2 more events (line 2: {\"seq\":1,"));
  auto shorter = compare_trace_text(first, all);
  CHECK(shorter.detail.starts_with("run has 2 more events (line 2: "));
  auto one = compare_trace_text(sim::report::trace_text({small_run()[0], small_run()[1]}), all);
  CHECK(one.detail.starts_with("run has 1 more event (line 3: "));
  CHECK(compare_trace_text("", first).detail.starts_with("run has 1 more event (line 1: "));
}

TEST_CASE("line ends count: CRLF and a missing final newline differ") {
  auto text = sim::report::trace_text(small_run());
  std::string crlf;
  for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  auto got = compare_trace_text(crlf, text);
  CHECK(got.status == golden_status::differs);
  CHECK(got.detail == "line 1 differs: the golden line ends with CR (CRLF line ends; check git's autocrlf)");
  auto cut = compare_trace_text(text.substr(0, text.size() - 1), text);
  CHECK(cut.status == golden_status::differs);
  CHECK(cut.detail == "the golden file does not end with a newline");
}

TEST_CASE("a scenario without a golden file is missing, not failed silently") {
  scratch_dir dir("golden_missing");
  auto got = compare_golden(dir.path, "tour", small_run());
  CHECK(got.status == golden_status::missing);
  CHECK(got.detail.find("tour.trace.jsonl") != std::string::npos);
  CHECK(got.detail.find("--update-golden") != std::string::npos);
}

TEST_CASE("update_golden writes the trace and the timeline, byte-stable") {
  scratch_dir dir("golden_update");
  auto events = small_run();
  std::vector<std::string> tail{"PASS delivered bob@example.org", "1 passed, 0 failed"};
  sim::report::update_golden(dir.path / "golden", "tour", events, tail);
  auto trace1 = sim::report::read_file(dir.path / "golden" / "tour.trace.jsonl");
  auto timeline1 = sim::report::read_file(dir.path / "golden" / "tour.timeline.txt");
  REQUIRE(trace1);
  REQUIRE(timeline1);
  CHECK(*trace1 == sim::report::trace_text(events));
  CHECK(*timeline1 == sim::report::timeline_text(events, tail));
  CHECK(timeline1->ends_with("PASS delivered bob@example.org\n1 passed, 0 failed\n"));
  CHECK(timeline1->find('\x1b') == std::string::npos);
  CHECK(timeline1->find('\r') == std::string::npos);

  sim::report::update_golden(dir.path / "golden", "tour", events, tail);
  CHECK(sim::report::read_file(dir.path / "golden" / "tour.trace.jsonl") == trace1);
  CHECK(sim::report::read_file(dir.path / "golden" / "tour.timeline.txt") == timeline1);
  CHECK_FALSE(std::filesystem::exists(dir.path / "golden" / "tour.trace.jsonl.tmp"));

  CHECK(compare_golden(dir.path / "golden", "tour", events).status == golden_status::same);
  events[1]["code"] = 550;
  auto got = compare_golden(dir.path / "golden", "tour", events);
  CHECK(got.status == golden_status::differs);
  CHECK(got.detail.starts_with("line 2 differs"));
}

TEST_CASE("trace_text is sim::trace::to_line per event, one per line") {
  auto events = small_run();
  CHECK(sim::report::trace_text(events) == sim::trace::to_line(events[0]) + "\n" + sim::trace::to_line(events[1]) +
                                               "\n" + sim::trace::to_line(events[2]) + "\n");
  CHECK(sim::report::trace_text({}).empty());
}
