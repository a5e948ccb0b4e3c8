// sim/sweep/sweep_run.cpp - one seed of a sweep.
#include "sim/sweep/sweep_run.hpp"

#include <fstream>
#include <sstream>

#include "sim/core/hash.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/loader_parts.hpp"
#include "sim/scenario/runner.hpp"

namespace sim::sweep {

sweep_scenario load_sweep_scenario(const std::string& path) {
  sweep_scenario out;
  out.path = path;
  out.base = scenario::load(path);
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  out.document = scenario::detail::parse_document(text.str(), path);
  return out;
}

scenario::scenario scenario_with(const sweep_scenario& s, const fault_schedule& schedule,
                                 const std::optional<sim::duration>& until) {
  scenario::json doc = s.document;
  doc.erase("expect");
  doc.erase("until");
  if (until) doc["until"] = format_duration(*until);
  if (!schedule.empty()) {
    if (!doc.contains("timeline")) doc["timeline"] = scenario::json::array();
    for (auto& entry : schedule_timeline(schedule)) doc["timeline"].push_back(entry);
  }
  std::filesystem::path base_dir = std::filesystem::path(s.path).parent_path();
  return scenario::load_from_string(doc.dump(), s.path, base_dir.empty() ? "." : base_dir);
}

judged_run judge_run(const scenario::scenario& s, std::uint64_t seed, bool idle_run, bool hash,
                     const std::function<void(const sim::event_view&)>& also) {
  invariant_checker checker(s, idle_run);
  std::uint64_t h = 0xcbf29ce484222325ULL;
  scenario::run_options opts;
  opts.seed = seed;
  opts.on_event = [&](const sim::event_view& e) {
    checker.observe(e);
    if (hash) h = (h ^ fnv1a64(sim::trace::to_line(e))) * 0x100000001b3ULL;
    if (also) also(e);
  };
  scenario::run_scenario(s, opts);
  return {checker.finish(), h};
}

std::string replay_command(const sweep_scenario& s, std::uint64_t seed, const seed_settings& settings) {
  std::string cmd = "mailsim run " + s.path + " --seed " + std::to_string(seed) + " --faults " +
                    std::string(density_name(settings.density));
  if (settings.until) cmd += " --until " + format_duration(*settings.until);
  return cmd;
}

}  // namespace sim::sweep
