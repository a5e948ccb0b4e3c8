// Every starter scenario in scenarios/ passes, and the same scenario and
// seed give a byte-identical trace (overview.md, "Determinism").  Where a
// scenario does not depend on its seed it passes with other seeds too: the
// starter scenarios are all written so (equal-preference-shuffle expects
// both MX hosts to be tried first at least once, whatever the seed).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "sim/core/trace_recorder.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/runner.hpp"

namespace {

std::vector<std::filesystem::path> starter_scenarios() {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(MAILSIM_SOURCE_DIR "/scenarios"))
    if (entry.path().extension() == ".json") out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

// A run with its events recorded.
struct recorded {
  sim::scenario::run_result result;
  std::vector<sim::event> events;
};

recorded run(const sim::scenario::scenario& s, const sim::scenario::run_options& options = {}) {
  sim::recording_trace tr;
  auto result = sim::scenario::run_scenario(s, options, tr);
  return {std::move(result), tr.events()};
}

std::string trace_text(const recorded& r) {
  std::string out;
  for (const auto& e : r.events) out += sim::trace::to_line(e) + "\n";
  return out;
}

void require_passed(const recorded& run) {
  const auto& r = run.result;
  for (const auto& e : r.expectations) {
    INFO(e.line());
    CHECK(e.passed);
  }
}

}  // namespace

TEST_CASE("scenarios: there are starter scenarios to run") { CHECK(starter_scenarios().size() >= 20); }

TEST_CASE("scenarios: each passes and runs twice to a byte-identical trace") {
  for (const auto& path : starter_scenarios()) {
    INFO(path.filename().string());
    auto s = sim::scenario::load(path);
    auto first = run(s);
    auto second = run(s);
    require_passed(first);
    CHECK(first.events.front()["event"] == "sim.start");
    CHECK(first.events.back()["event"] == "sim.end");
    CHECK(trace_text(first) == trace_text(second));
  }
}

TEST_CASE("scenarios: each passes with other seeds too") {
  for (const auto& path : starter_scenarios()) {
    auto s = sim::scenario::load(path);
    for (std::uint64_t seed : {s.seed + 1, s.seed + 1000}) {
      INFO(path.filename().string() << " with seed " << seed);
      sim::scenario::run_options options;
      options.seed = seed;
      auto got = run(s, options);
      CHECK(got.result.seed == seed);
      CHECK(got.events.front()["seed"] == seed);
      require_passed(got);
    }
  }
}

TEST_CASE("scenarios: a run that keeps its mailboxes keeps every delivery, also one a POP3 fetch deleted afterwards") {
  auto s = sim::scenario::load(MAILSIM_SOURCE_DIR "/scenarios/tour.json");
  sim::scenario::run_options options;
  options.keep_mailboxes = true;  // as --report and --maildir ask
  sim::recording_trace tr;
  auto r = sim::scenario::run_scenario(s, options, tr);
  REQUIRE(r.deliveries.size() == 1);
  CHECK(r.deliveries[0].mailbox == "bob@example.org");
  CHECK(r.deliveries[0].raw.find("Subject: Lunch on Friday?") != std::string::npos);
  for (const auto& box : r.mailboxes)
    if (box.address == "bob@example.org") CHECK(box.messages.empty());  // bob fetched and deleted it
  CHECK(sim::scenario::run_scenario(s).deliveries.empty());  // nothing kept that nobody reads
  // bob's MUA runs on a machine named after him, not an anonymous one
  const auto& events = tr.events();
  auto fetch = std::find_if(events.begin(), events.end(), [](const sim::event& e) { return e["event"] == "mua.fetch"; });
  REQUIRE(fetch != events.end());
  CHECK((*fetch)["host"] == "bob-mua.example.org");
}
