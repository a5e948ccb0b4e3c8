// sim/cli/run_command.cpp - `mailsim run SCENARIO.json [options]`.
#include <fstream>
#include <iostream>
#include <optional>
#include <variant>

#include "sim/campaign/stats_view.hpp"
#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/run_report.hpp"
#include "sim/cli/scenario_io.hpp"
#include "sim/core/trace_jsonl.hpp"
#include "sim/message/maildir.hpp"
#include "sim/report/follow.hpp"
#include "sim/report/narrate.hpp"
#include "sim/report/outcomes.hpp"
#include "sim/report/report_dir.hpp"
#include "sim/report/summary.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/runner.hpp"
#include "sim/sweep/sweep_run.hpp"

namespace sim::cli {
namespace {

const char* const run_help =
    "usage: mailsim run SCENARIO.json [options]\n"
    "\n"
    "Plays one scenario in simulated time: prints the narrated timeline, what\n"
    "became of each message, one line per expectation (PASS/FAIL and why) and a\n"
    "summary `N passed, N failed`.\n"
    "\n"
    "  --seed N          override the scenario's seed\n"
    "  --until DURATION  override its stop time (\"2h\", \"5d\"; at most 30d)\n"
    "  --trace FILE      write the JSON Lines trace (trace format 1)\n"
    "  --report DIR      write DIR/<scenario>.timeline.txt, .trace.jsonl and .html\n"
    "  --maildir DIR     write every mailbox as a Maildir++: DIR/<host>/<address>/{cur,new,tmp}, Junk in .Junk/\n"
    "  --stats FILE      write the campaigns' delivery analytics as JSON\n"
    "  --quiet           print only the expectation lines and the summary\n"
    "  --verbose         print every trace event\n"
    "  --follow ID       narrate only the journey of one message: the scenario's\n"
    "                    message id, or a Message-ID (<1.tour@sender.test>)\n"
    "  --faults KIND     replay one seed of a sweep: none, random or heavy faults drawn\n"
    "                    from the seed on top of the timeline (printed first); the\n"
    "                    sweep's invariants are checked instead of the expectations\n"
    "                    and the run goes until idle unless --until is given\n"
    "\n"
    "A scenario with a campaign prints, instead of the narrated timeline, a\n"
    "table of each campaign's delivery analytics (--verbose prints both).\n"
    "\n"
    "exit status: 0 every expectation held, 1 one failed, 2 bad usage or a\n"
    "scenario that cannot be loaded, 3 an internal error.\n";

const std::vector<option_spec> run_options{{"seed", true},   {"until", true},  {"trace", true}, {"report", true},
                                       {"maildir", true}, {"quiet", false}, {"verbose", false}, {"follow", true},
                                       {"stats", true},   {"faults", true}, {"help", false}};

// The files written as the run goes: --trace (JSON Lines) and --report
// (trace and timeline; the page at the end).
struct streamed_outputs {
  std::optional<std::ofstream> trace_file;
  std::optional<sim::jsonl_sink> trace_lines;
  std::optional<report::report_writer> report;

  streamed_outputs(const args& a, sim::trace& tr, const scenario::scenario& s) {
    if (auto path = a.value("trace")) {
      trace_file.emplace(*path, std::ios::binary);
      if (!*trace_file) throw std::runtime_error("cannot write " + *path);
      trace_lines.emplace(tr, *trace_file);
    }
    if (auto dir = a.value("report")) report.emplace(tr, *dir, s.id);
  }
};

void write_outputs(const args& a, const scenario::scenario& s, const scenario::run_result& r,
                   const std::vector<std::string>& lines, streamed_outputs& streamed) {
  if (auto path = a.value("trace")) {
    set_activity("writing the trace to " + *path);
    streamed.trace_lines.reset();
    streamed.trace_file->flush();
    if (!*streamed.trace_file) throw std::runtime_error("cannot write " + *path);
  }
  if (auto dir = a.value("report")) {
    set_activity("writing the report to " + *dir);
    streamed.report->finish(run_report_input(s, r.seed, lines, report_deliveries(r.deliveries), r.campaigns));
  }
  if (auto path = a.value("stats")) {
    set_activity("writing the campaign analytics to " + *path);
    auto doc = nlohmann::ordered_json{{"scenario", s.id}, {"seed", r.seed}};
    doc.update(campaign::to_json(r.campaigns));
    std::ofstream out(*path, std::ios::binary);
    out << doc.dump(2) << '\n';
    if (!out.flush()) throw std::runtime_error("cannot write " + *path);
  }
  if (auto dir = a.value("maildir")) {
    set_activity("writing Maildirs to " + *dir);
    write_maildirs(*dir, r.mailboxes);
  }
}

// What the terminal shows as the run goes: the narration (of one message's
// journey with --follow), and what became of each message at the end.
struct terminal_view {
  report::narrate_options look;
  std::optional<report::message_follower> follow;
  report::outcome_summary outcomes;

  // The follower and the summary read events as JSON: only the few they need are converted.
  void operator()(const sim::event_view& e) {
    bool wanted = report::outcome_summary::wants(e.name());
    std::optional<sim::event> json;
    if (follow || wanted) json = e.to_json();
    if (follow && !follow->follows(*json)) return;
    if (wanted) outcomes.add(*json);
    if (auto line = report::narrate_line(e, look)) std::cout << *line << '\n';
  }
};

// --follow ID: a scenario's message id must name one of its sends; a
// Message-ID ("<...@...>") is taken as it is.
void check_follow(const scenario::scenario& s, const std::string& id) {
  if (id.empty()) throw usage_error("--follow takes a message id or a Message-ID");
  if (id.find('@') != std::string::npos) return;
  std::string ids;
  for (const auto& entry : s.timeline)
    if (const auto* send = std::get_if<scenario::send_action>(&entry.what); send && send->id) {
      if (*send->id == id) return;
      ids += (ids.empty() ? "" : ", ") + *send->id;
    }
  throw usage_error("--follow: the scenario has no message with id '" + id + "'" +
                    (ids.empty() ? " (its messages have no ids: give a Message-ID)" : " (its ids: " + ids + ")"));
}

// --faults: the scenario as a sweep runs this seed (sim/sweep/sweep_run.hpp),
// its schedule printed as timeline entries.
std::optional<scenario::scenario> faulted_scenario(const std::string& path, const std::string& density,
                                                   std::optional<std::uint64_t>& seed,
                                                   const std::optional<sim::duration>& until, bool quiet) {
  auto d = sweep::parse_density(density);
  if (!d) throw usage_error("--faults takes none, random or heavy, not '" + density + "'");
  sweep::sweep_scenario s;
  try {
    s = sweep::load_sweep_scenario(path);
  } catch (const scenario::load_error& e) {
    std::cerr << e.what() << "\n";
    return std::nullopt;
  }
  if (!seed) seed = s.base.seed;
  auto schedule = sweep::draw_schedule(s.base, *seed, *d);
  if (!quiet) {
    std::cout << "fault schedule for seed " << *seed << " (" << schedule.size() << " faults):\n";
    for (const auto& entry : sweep::schedule_timeline(schedule)) std::cout << "  " << entry.dump() << ",\n";
  }
  return sweep::scenario_with(s, schedule, until);
}

// The sweep's verdict lines; true when every invariant held.
bool print_verdict(const sweep::run_verdict& v) {
  for (const auto& x : v.violations) std::cout << "FAIL invariant " << x.invariant << ": " << x.detail << "\n";
  std::cout << "invariants: " << v.violations.size() << " failed, " << v.deliveries << " deliveries, "
            << v.duplicates_in_window << " duplicates in the RFC 5321 section 6.1 window\n";
  return v.ok();
}

}  // namespace

int run_command(const std::vector<std::string>& argv) {
  args a(argv, run_options);
  if (a.flag("help")) {
    std::cout << run_help;
    return exit_ok;
  }
  if (a.positional().size() != 1) throw usage_error("expects exactly one scenario file");
  scenario::run_options opts;
  if (auto seed = a.value("seed")) opts.seed = parse_seed(*seed);
  if (auto until = a.value("until")) {
    opts.until = parse_duration(*until);
    if (!opts.until) throw usage_error("--until takes a duration like 30s, 5m or 1h30m, not '" + *until + "'");
  }
  set_activity("loading " + a.positional()[0]);
  bool quiet = a.flag("quiet");
  auto faults = a.value("faults");
  auto s = faults ? faulted_scenario(a.positional()[0], *faults, opts.seed, opts.until, quiet)
                  : load_or_report(a.positional()[0]);
  if (!s) return exit_usage;
  if (auto refusal = external_refusal(*s, a.positional()[0], "run")) {
    std::cerr << *refusal << "\n";
    return exit_usage;
  }
  std::optional<sweep::invariant_checker> checker;
  if (faults) checker.emplace(*s, !opts.until);
  auto follow = a.value("follow");
  if (follow) check_follow(*s, *follow);
  terminal_view view;
  view.look = {a.flag("verbose"), stdout_is_terminal()};
  if (follow) view.follow.emplace(*follow);
  // A campaign's thousands of lines give way to its analytics table.
  bool campaign_table = !s->campaigns().empty();
  bool narrate = !quiet && (!campaign_table || a.flag("verbose") || follow);
  if (!quiet) std::cout << s->title << (follow ? " (following " + *follow + ")" : std::string()) << "\n";
  if (narrate || checker)
    opts.on_event = [&view, &checker, narrate](const sim::event_view& e) {
      if (checker) checker->observe(e);
      if (narrate) view(e);
    };
  opts.keep_mailboxes = a.value("maildir").has_value() || a.value("report").has_value();
  sim::trace tr;
  streamed_outputs streamed(a, tr, *s);
  set_activity("running scenario " + s->id);
  auto result = scenario::run_scenario(*s, opts, tr);
  if (follow && !quiet && !view.follow->seen()) std::cout << "no message " << *follow << " was seen in this run\n";
  for (const auto& l : view.outcomes.lines()) std::cout << l << '\n';
  if (campaign_table && !quiet)
    for (const auto& l : campaign::table(result.campaigns)) std::cout << l << '\n';
  std::vector<std::string> lines;
  for (const auto& r : result.expectations) lines.push_back(r.line());
  for (const auto& l : lines) std::cout << l << '\n';
  std::cout << report::summary_line(lines) << '\n';
  std::cout.flush();
  bool held = !checker || print_verdict(checker->finish());
  std::cout.flush();
  write_outputs(a, *s, result, lines, streamed);
  return result.passed() && held ? exit_ok : exit_failed;
}

}  // namespace sim::cli
