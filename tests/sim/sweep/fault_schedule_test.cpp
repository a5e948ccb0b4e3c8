// tests/sim/sweep/fault_schedule_test.cpp - schedules: drawn from the seed, bounded, loadable.
#include <catch2/catch.hpp>

#include <filesystem>

#include "sim/sweep/fault_schedule.hpp"
#include "sim/sweep/sweep_run.hpp"

using namespace sim::sweep;
using namespace std::chrono_literals;

namespace {
std::string starter(const char* name) { return std::string(MAILSIM_SOURCE_DIR) + "/scenarios/" + name; }
}  // namespace

TEST_CASE("the same seed draws the same schedule, another seed another") {
  auto s = load_sweep_scenario(starter("backup-mx.json"));
  auto a = schedule_timeline(draw_schedule(s.base, 7, fault_density::random));
  auto b = schedule_timeline(draw_schedule(s.base, 7, fault_density::random));
  CHECK(a == b);
  bool differs = false;
  for (std::uint64_t seed = 8; seed < 20 && !differs; ++seed)
    differs = schedule_timeline(draw_schedule(s.base, seed, fault_density::random)) != a;
  CHECK(differs);
}

TEST_CASE("none draws nothing, random 1 to 4 units, heavy 4 to 12, each one bounded") {
  auto s = load_sweep_scenario(starter("tour.json"));
  CHECK(draw_schedule(s.base, 3, fault_density::none).empty());
  std::size_t most_random = 0, least_heavy = 100;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    auto r = draw_schedule(s.base, seed, fault_density::random);
    auto h = draw_schedule(s.base, seed, fault_density::heavy);
    REQUIRE(!r.empty());
    most_random = std::max(most_random, r.size());
    least_heavy = std::min(least_heavy, h.size());
    for (const auto* f : {&r, &h})
      for (const auto& u : *f) {
        CHECK(u.start < u.stop);
        CHECK(u.stop - u.start <= 6h);
        bool crash = u.begin.contains("crash");
        CHECK(u.end.contains(crash ? "restart" : "heal"));
      }
  }
  CHECK(most_random == 4);
  CHECK(least_heavy == 4);
}

TEST_CASE("every starter scenario loads with the schedules of many seeds appended") {
  for (const auto& entry : std::filesystem::directory_iterator(std::string(MAILSIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".json") continue;
    auto s = load_sweep_scenario(entry.path().string());
    for (std::uint64_t seed = 1; seed <= 30; ++seed)
      for (auto d : {fault_density::random, fault_density::heavy}) {
        INFO(entry.path().filename().string() << " seed " << seed);
        auto schedule = draw_schedule(s.base, seed, d);
        auto world = scenario_with(s, schedule, std::nullopt);
        CHECK(world.timeline.size() == s.base.timeline.size() + 2 * schedule.size());
        CHECK(world.expect.empty());
      }
  }
}

TEST_CASE("a schedule's timeline is in time order and pastes back as entries") {
  auto s = load_sweep_scenario(starter("backup-mx.json"));
  auto t = schedule_timeline(draw_schedule(s.base, 11, fault_density::heavy));
  std::optional<sim::duration> last;
  for (const auto& e : t) {
    auto at = sim::parse_duration(e["at"].get<std::string>());
    REQUIRE(at);
    if (last) CHECK(*last <= *at);
    last = at;
  }
}

TEST_CASE("densities read back from their names") {
  CHECK(parse_density("heavy") == fault_density::heavy);
  CHECK(parse_density("random") == fault_density::random);
  CHECK(parse_density("none") == fault_density::none);
  CHECK(!parse_density("Random"));
}
