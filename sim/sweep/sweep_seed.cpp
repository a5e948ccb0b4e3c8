// sim/sweep/sweep_seed.cpp - draw, run, judge, and for a failure replay and shrink.
#include "sim/sweep/sweep_seed.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "sim/sweep/shrink.hpp"

namespace sim::sweep {
namespace {

constexpr std::size_t max_events_shown = 8;

// The seed again, printing the events that show the first violation.
std::string evidence(const scenario::scenario& world, std::uint64_t seed, bool idle, const violation& v) {
  std::set<std::uint64_t> wanted(v.seqs.begin(), v.seqs.end());
  while (wanted.size() > max_events_shown) wanted.erase(std::next(wanted.begin(), max_events_shown / 2));
  std::string out;
  judge_run(world, seed, idle, false, [&](const sim::event_view& e) {
    if (wanted.count(e.seq())) out += "  event: " + sim::trace::to_line(e) + "\n";
  });
  return out;
}

bool fails_with(const sweep_scenario& s, std::uint64_t seed, const seed_settings& st, const fault_schedule& f,
                const std::string& invariant) {
  auto v = judge_run(scenario_with(s, f, st.until), seed, !st.until, false).verdict;
  return std::any_of(v.violations.begin(), v.violations.end(),
                     [&](const violation& x) { return x.invariant == invariant; });
}

std::string failure_report(const sweep_scenario& s, std::uint64_t seed, const seed_options& o,
                           const scenario::scenario& world, const fault_schedule& schedule, const run_verdict& v,
                           nlohmann::ordered_json& record) {
  const violation& first = v.violations.front();
  std::string out = fmt::format("FAIL {} seed {} ({} faults): {}: {}\n", s.base.id, seed, schedule.size(),
                                first.invariant, first.detail);
  for (std::size_t i = 1; i < v.violations.size(); ++i)
    out += fmt::format("  also {}: {}\n", v.violations[i].invariant, v.violations[i].detail);
  out += "  replay: " + replay_command(s, seed, o.settings) + "\n";
  out += evidence(world, seed, !o.settings.until, first);
  record["replay"] = replay_command(s, seed, o.settings);
  if (!o.shrink || first.invariant == "determinism") return out;
  std::size_t runs = 0;
  auto smallest = shrink_schedule(
      schedule, [&](const fault_schedule& f) { return fails_with(s, seed, o.settings, f, first.invariant); }, &runs);
  auto timeline = schedule_timeline(smallest);
  record["shrunk"] = timeline;
  out += fmt::format("  shrunk to {} fault{} ({} runs); as timeline entries:\n", smallest.size(),
                     smallest.size() == 1 ? "" : "s", runs);
  for (const auto& entry : timeline) out += "    " + entry.dump() + ",\n";
  return out;
}

}  // namespace

seed_outcome sweep_seed(const sweep_scenario& s, std::uint64_t seed, const seed_options& o) {
  fault_schedule schedule = draw_schedule(s.base, seed, o.settings.density);
  scenario::scenario world = scenario_with(s, schedule, o.settings.until);
  bool idle = !o.settings.until;
  judged_run run = judge_run(world, seed, idle, o.check_determinism);
  if (o.check_determinism) {
    judged_run again = judge_run(world, seed, idle, true);
    if (again.trace_hash != run.trace_hash)
      run.verdict.violations.push_back(
          {"determinism", fmt::format("two runs of seed {} gave different traces", seed), {}});
  }
  seed_outcome out;
  auto& r = out.record;
  r["scenario"] = s.base.id;
  r["file"] = s.path;
  r["seed"] = seed;
  r["faults"] = density_name(o.settings.density);
  r["schedule"] = schedule.size();
  r["ok"] = run.verdict.ok();
  r["violations"] = nlohmann::ordered_json::array();
  for (const auto& v : run.verdict.violations)
    r["violations"].push_back({{"invariant", v.invariant}, {"detail", v.detail}});
  r["deliveries"] = run.verdict.deliveries;
  r["duplicates_in_window"] = run.verdict.duplicates_in_window;
  r["events"] = run.verdict.events;
  r["determinism_checked"] = o.check_determinism;
  if (!run.verdict.ok()) out.report = failure_report(s, seed, o, world, schedule, run.verdict, r);
  return out;
}

}  // namespace sim::sweep
