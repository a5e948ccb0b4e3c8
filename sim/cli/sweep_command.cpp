// sim/cli/sweep_command.cpp - `mailsim sweep SCENARIO.json [options]` and `mailsim sweep --merge FILE...`.
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/sweep_jobs.hpp"
#include "sim/core/stopwatch.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/sweep/crash_points.hpp"
#include "sim/sweep/summary.hpp"
#include "sim/sweep/sweep_seed.hpp"

namespace sim::cli {
namespace {

const char* const sweep_help =
    "usage: mailsim sweep SCENARIO.json [options]\n"
    "       mailsim sweep --merge FILE.jsonl...\n"
    "\n"
    "Runs the scenario once per seed, each time with a fault schedule drawn from\n"
    "the seed on top of its own timeline, and checks invariants that must hold\n"
    "whatever the faults (no message lost, none delivered twice outside RFC 5321\n"
    "section 6.1's window, no bounce bounced, queues empty at the end, same seed\n"
    "same trace).  The scenario's own expectations are not checked.  A failing\n"
    "seed prints the command that replays it, the events that show the failure\n"
    "and the smallest fault schedule that still fails, as timeline entries.\n"
    "Ends with `N seeds, N failed`.\n"
    "\n"
    "  --seeds A..B       the seeds to run (default 1..100); a single N is N..N\n"
    "  --faults KIND      none, random (default) or heavy (denser, longer faults)\n"
    "  --until DURATION   stop each run then (default: run until idle, at most 30d)\n"
    "  --jobs N           run seeds in N parallel processes (default 1)\n"
    "  --shard K/N        run only the K-th of N equal shares of the seeds (K from 1)\n"
    "  --out FILE.jsonl   write one JSON record per seed\n"
    "  --check-every N    run every N-th seed twice and compare the traces (default 100; 0 = never)\n"
    "  --no-shrink        do not shrink the schedules of failing seeds\n"
    "  --merge            the arguments are --out files of shards: print their totals\n"
    "  --crash-points     instead: one run per durable step of the scenario (its seed,\n"
    "                     or the first of --seeds), crashing that host 1ms before it\n"
    "                     and 1ms after it, restarting a minute later; ends with\n"
    "                     `N crash points tried (N skipped), N failed`.  --jobs,\n"
    "                     --shard (of the crash runs) and --out work as for seeds\n"
    "\n"
    "exit status: 0 every seed held, 1 a seed failed, 2 bad usage or a scenario\n"
    "that cannot be loaded, 3 an internal error.\n";

const std::vector<option_spec> sweep_options{{"seeds", true},       {"faults", true}, {"until", true},
                                       {"jobs", true},        {"shard", true},  {"out", true},
                                       {"check-every", true}, {"no-shrink", false}, {"merge", false}, {"crash-points", false},
                                       {"help", false}};

std::uint64_t number(const std::string& text, const std::string& option) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 18)
    throw usage_error(option + " takes non-negative integers, not '" + text + "'");
  return std::stoull(text);
}

std::vector<std::uint64_t> parse_seeds(const std::string& text) {
  auto dots = text.find("..");
  std::uint64_t first = number(dots == std::string::npos ? text : text.substr(0, dots), "--seeds");
  std::uint64_t last = dots == std::string::npos ? first : number(text.substr(dots + 2), "--seeds");
  if (last < first) throw usage_error("--seeds A..B needs A <= B, not '" + text + "'");
  if (last - first >= 10'000'000) throw usage_error("--seeds: at most 10000000 seeds in one sweep (shard larger ones)");
  std::vector<std::uint64_t> seeds;
  for (std::uint64_t s = first; s <= last; ++s) seeds.push_back(s);
  return seeds;
}

// --shard K/N: the seeds at positions K-1, K-1+N, ... (K from 1 to N).
std::vector<std::uint64_t> shard_of(const std::vector<std::uint64_t>& seeds, const std::string& text) {
  auto slash = text.find('/');
  if (slash == std::string::npos) throw usage_error("--shard takes K/N, like 2/8, not '" + text + "'");
  std::uint64_t k = number(text.substr(0, slash), "--shard");
  std::uint64_t n = number(text.substr(slash + 1), "--shard");
  if (n == 0 || k == 0 || k > n) throw usage_error("--shard K/N needs 1 <= K <= N, not '" + text + "'");
  std::vector<std::uint64_t> out;
  for (std::size_t i = k - 1; i < seeds.size(); i += n) out.push_back(seeds[i]);
  return out;
}

int merge(const args& a) {
  if (a.positional().empty()) throw usage_error("--merge expects one or more FILE.jsonl");
  sweep::sweep_summary total;
  for (const auto& path : a.positional()) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << "mailsim sweep: cannot read " << path << "\n";
      return exit_usage;
    }
    try {
      total.add_lines(in, path);
    } catch (const std::runtime_error& e) {
      std::cerr << "mailsim sweep: " << e.what() << "\n";
      return exit_usage;
    }
  }
  for (const auto& replay : total.failures()) std::cout << "failed: " << replay << "\n";
  std::cout << total.totals_line() << "\n";
  if (total.crash_runs() > 0) std::cout << total.crash_points_line() << "\n";
  if (total.seeds() > 0 || total.crash_runs() == 0) std::cout << total.summary_line() << "\n";
  return total.failed() ? exit_failed : exit_ok;
}

// Runs work(i) for each i of `items`, in `jobs` processes when asked; the
// outcomes come back in the order of `items`.
std::vector<sweep::seed_outcome> run_all(const std::vector<std::uint64_t>& items, unsigned jobs,
                                         const std::function<sweep::seed_outcome(std::uint64_t)>& work) {
  if (jobs > 1 && items.size() > 1)
    return run_seed_jobs(items, std::min<unsigned>(jobs, static_cast<unsigned>(items.size())), work);
  std::vector<sweep::seed_outcome> out;
  for (auto i : items) out.push_back(work(i));
  return out;
}

// Prints the failures' reports, writes the records and adds them up.
sweep::sweep_summary report(const std::vector<sweep::seed_outcome>& outcomes, std::optional<std::ofstream>& out,
                            const args& a) {
  sweep::sweep_summary total;
  for (const auto& o : outcomes) {
    std::cout << o.report;
    total.add(o.record);
    if (out) *out << o.record.dump() << '\n';
  }
  if (out && !out->flush()) throw std::runtime_error("cannot write " + *a.value("out"));
  return total;
}

// --crash-points: the crash runs take the place of the seeds (--shard
// shares them out, --jobs runs them in parallel, --out records them).
int crash_points(const args& a, const sweep::sweep_scenario& s, std::uint64_t seed, unsigned jobs,
                 const std::optional<sim::duration>& until, std::optional<std::ofstream>& out) {
  set_activity(fmt::format("crash points of {} with seed {}", s.base.id, seed));
  auto runs = sweep::crash_runs(sweep::find_crash_points(s, seed, until));
  std::vector<std::uint64_t> items;
  for (std::uint64_t i = 0; i < runs.size(); ++i) items.push_back(i);
  if (auto shard = a.value("shard")) items = shard_of(items, *shard);
  auto outcomes = run_all(items, jobs, [&](std::uint64_t i) {
    set_activity(fmt::format("crash point {} of {} with seed {}", i, s.base.id, seed));
    return sweep::crash_point_outcome(s, seed, runs[i], until);
  });
  auto total = report(outcomes, out, a);
  std::cout << total.crash_points_line() << "\n";
  return total.failed() ? exit_failed : exit_ok;
}

sweep::seed_options read_seed_options(const args& a) {
  sweep::seed_options o;
  if (auto f = a.value("faults")) {
    auto d = sweep::parse_density(*f);
    if (!d) throw usage_error("--faults takes none, random or heavy, not '" + *f + "'");
    o.settings.density = *d;
  }
  if (auto until = a.value("until")) {
    o.settings.until = parse_duration(*until);
    if (!o.settings.until) throw usage_error("--until takes a duration like 30s, 5m or 1h30m, not '" + *until + "'");
  }
  o.shrink = !a.flag("no-shrink");
  return o;
}

}  // namespace

int sweep_command(const std::vector<std::string>& argv) {
  args a(argv, sweep_options);
  if (a.flag("help")) {
    std::cout << sweep_help;
    return exit_ok;
  }
  if (a.flag("merge")) return merge(a);
  if (a.positional().size() != 1) throw usage_error("expects exactly one scenario file (or --merge FILE...)");
  auto seeds = parse_seeds(a.value("seeds").value_or("1..100"));
  std::uint64_t first_seed = seeds.front();
  if (auto shard = a.value("shard"); shard && !a.flag("crash-points")) seeds = shard_of(seeds, *shard);
  unsigned jobs = static_cast<unsigned>(std::min<std::uint64_t>(number(a.value("jobs").value_or("1"), "--jobs"), 256));
  if (jobs == 0) throw usage_error("--jobs takes at least 1");
  std::uint64_t every = number(a.value("check-every").value_or("100"), "--check-every");
  sweep::seed_options base = read_seed_options(a);
  std::optional<std::ofstream> out;
  if (auto path = a.value("out")) {
    out.emplace(*path, std::ios::binary);
    if (!*out) throw usage_error("cannot write " + *path);
  }
  set_activity("loading " + a.positional()[0]);
  sweep::sweep_scenario s;
  try {
    s = sweep::load_sweep_scenario(a.positional()[0]);
  } catch (const scenario::load_error& e) {
    std::cerr << e.what() << "\n";
    return exit_usage;
  }
  if (a.flag("crash-points"))
    return crash_points(a, s, a.value("seeds") ? first_seed : s.base.seed, jobs, base.settings.until, out);
  // Which seeds run twice depends on the seed, not on the shard: shards of
  // one sweep check the same seeds as the whole sweep would.
  auto work = [&](std::uint64_t seed) {
    sweep::seed_options o = base;
    o.check_determinism = every != 0 && seed % every == 1 % every;
    set_activity(fmt::format("sweeping {} seed {}", s.base.id, seed));
    return sweep::sweep_seed(s, seed, o);
  };
  sim::stopwatch clock;
  auto outcomes = run_all(seeds, jobs, work);
  double seconds = clock.seconds();
  auto total = report(outcomes, out, a);
  std::cout << fmt::format("{}: {} faults, {:.1f} seeds/s\n", s.base.id, sweep::density_name(base.settings.density),
                           seconds > 0 ? static_cast<double>(seeds.size()) / seconds : 0.0);
  std::cout << total.totals_line() << "\n" << total.summary_line() << "\n";
  return total.failed() ? exit_failed : exit_ok;
}

}  // namespace sim::cli
