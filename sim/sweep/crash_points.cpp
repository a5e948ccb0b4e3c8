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

const char* side_name(int side) { return side < 0 ? "before" : "after"; }

nlohmann::ordered_json base_record(const sweep_scenario& s, std::uint64_t seed, const crash_run& c) {
  nlohmann::ordered_json r;
  r["scenario"] = s.base.id;
  r["file"] = s.path;
  r["seed"] = seed;
  r["crash_point"] = {{"index", c.index},
                      {"host", c.point.host},
                      {"at", format_duration(c.point.at)},
                      {"step", c.point.step},
                      {"side", side_name(c.side)}};
  return r;
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

std::vector<crash_run> crash_runs(const std::vector<crash_point>& points) {
  std::vector<crash_run> out;
  for (const auto& p : points)
    for (int side : {-1, 1})
      if (p.at.count() + side >= 0) out.push_back({out.size(), p, side});
  return out;
}

seed_outcome crash_point_outcome(const sweep_scenario& s, std::uint64_t seed, const crash_run& c,
                                 const std::optional<sim::duration>& until) {
  seed_outcome out;
  auto& r = out.record = base_record(s, seed, c);
  fault_schedule schedule{crash_around(c.point.host, c.point.at + sim::duration{c.side})};
  std::optional<scenario::scenario> world;
  try {
    world = scenario_with(s, schedule, until);
  } catch (const scenario::load_error&) {
    r["ok"] = true;  // the scenario's own crash has the host down then
    r["skipped"] = true;
    return out;
  }
  run_verdict v = judge_run(*world, seed, !until, false).verdict;
  r["ok"] = v.ok();
  r["skipped"] = false;
  r["violations"] = nlohmann::ordered_json::array();
  for (const auto& x : v.violations) r["violations"].push_back({{"invariant", x.invariant}, {"detail", x.detail}});
  r["deliveries"] = v.deliveries;
  r["duplicates_in_window"] = v.duplicates_in_window;
  r["events"] = v.events;
  r["determinism_checked"] = false;
  if (v.ok()) return out;
  auto timeline = schedule_timeline(schedule);
  r["replay"] = fmt::format("mailsim sweep {} --crash-points --seeds {} (point {}: {} crashes 1ms {} {} at {})", s.path,
                            seed, c.index, c.point.host, side_name(c.side), c.point.step, format_duration(c.point.at));
  r["timeline"] = timeline;
  out.report = fmt::format("FAIL {} crash point {}: {} crashes 1ms {} {} at {}: {}: {}\n", s.base.id, c.index,
                           c.point.host, side_name(c.side), c.point.step, format_duration(c.point.at),
                           v.violations[0].invariant, v.violations[0].detail);
  for (const auto& entry : timeline) out.report += "    " + entry.dump() + ",\n";
  return out;
}

}  // namespace sim::sweep
