// sim/sweep/crash_points.cpp - one run per durable step and side.
#include "sim/sweep/crash_points.hpp"

#include <fmt/format.h>

#include <set>

#include "sim/scenario/loader.hpp"

namespace sim::sweep {
namespace {

using namespace std::chrono_literals;

bool durable_step(std::string_view name) {
  return name == "queue.enqueue" || name == "queue.delivered" || name == "queue.bounce" || name == "queue.remove" ||
         name == "lda.deliver";
}

fault_unit crash_around(const std::string& host, sim::duration at) {
  auto entry = [](sim::duration t, const char* key, const std::string& h) {
    return scenario::json{{"at", format_duration(t)}, {key, h}};
  };
  return fault_unit{entry(at, "crash", host), entry(at + 1min, "restart", host), at, at + 1min};
}

}  // namespace

std::vector<crash_point> find_crash_points(const sweep_scenario& s, std::uint64_t seed,
                                           const std::optional<sim::duration>& until) {
  std::set<std::string> mtas;
  for (const auto& h : s.base.hosts)
    if (h.is_mta()) mtas.insert(h.name);
  std::vector<crash_point> out;
  std::set<std::pair<std::string, std::int64_t>> seen;
  judge_run(scenario_with(s, {}, until), seed, !until, false, [&](const sim::event_view& e) {
    if (!durable_step(e.name()) || !mtas.count(std::string(e.host()))) return;
    if (!seen.insert({std::string(e.host()), e.t()}).second) return;
    out.push_back({std::string(e.host()), sim::duration{e.t()}, std::string(e.name())});
  });
  return out;
}

crash_point_result sweep_crash_points(const sweep_scenario& s, std::uint64_t seed,
                                      const std::optional<sim::duration>& until) {
  crash_point_result r;
  for (const auto& p : find_crash_points(s, seed, until)) {
    for (int side : {-1, 1}) {
      if (p.at.count() + side < 0) continue;
      fault_schedule schedule{crash_around(p.host, p.at + sim::duration{side})};
      std::optional<scenario::scenario> world;
      try {
        world = scenario_with(s, schedule, until);
      } catch (const scenario::load_error&) {
        ++r.skipped;  // the scenario's own crash has the host down then
        continue;
      }
      ++r.tried;
      run_verdict v = judge_run(*world, seed, !until, false).verdict;
      if (v.ok()) continue;
      ++r.failed;
      r.report += fmt::format("FAIL {} crash point: {} crashes 1ms {} {} at {}: {}: {}\n", s.base.id, p.host,
                              side < 0 ? "before" : "after", p.step, format_duration(p.at), v.violations[0].invariant,
                              v.violations[0].detail);
      for (const auto& entry : schedule_timeline(schedule)) r.report += "    " + entry.dump() + ",\n";
    }
  }
  return r;
}

}  // namespace sim::sweep
