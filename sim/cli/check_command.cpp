// sim/cli/check_command.cpp - `mailsim check [PATH ...] [--golden DIR] [--update-golden] [--junit FILE]`.
#include <iostream>
#include <optional>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/run_report.hpp"
#include "sim/cli/scenario_io.hpp"
#include "sim/report/golden.hpp"
#include "sim/report/junit.hpp"
#include "sim/report/report_dir.hpp"
#include "sim/report/summary.hpp"
#include "sim/report/trace_writer.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/runner.hpp"

namespace sim::cli {
namespace {

const char* const check_help =
    "usage: mailsim check [PATH ...] [options]\n"
    "\n"
    "Runs every scenario under the given files or folders (default scenarios/),\n"
    "prints one line per scenario and a summary `N passed, N failed`.\n"
    "\n"
    "  --golden DIR      also compare each trace with DIR/<scenario>.trace.jsonl\n"
    "  --update-golden   rewrite those approved files (with --golden)\n"
    "  --junit FILE      write a JUnit XML report\n"
    "  --report DIR      write each scenario's report files: DIR/<scenario>.timeline.txt, .trace.jsonl, .html\n"
    "\n"
    "exit status: 0 all passed, 1 any failed, 2 bad usage.\n";

const std::vector<option_spec> check_options{{"golden", true}, {"update-golden", false}, {"junit", true}, {"report", true},
                                       {"help", false}};

// One scenario: run, check expectations, compare or update the golden trace.
report::junit_case check_one(const std::filesystem::path& file, const args& a) {
  report::junit_case c;
  c.file = file.string();
  c.name = file.stem().string();
  scenario::scenario s;
  try {
    s = scenario::load(file);
  } catch (const scenario::load_error& e) {
    c.outcome = report::junit_outcome::error;
    c.message = "cannot be loaded";
    c.details = {e.what()};
    return c;
  }
  if (auto refusal = external_refusal(s, file.string(), "check")) {
    c.outcome = report::junit_outcome::error;
    c.message = "has an external host";
    c.details = {*refusal};
    return c;
  }
  c.name = s.id;
  set_activity("running scenario " + s.id);
  // The trace is compared (or written) as the run goes, never held.
  sim::trace tr;
  std::optional<report::trace_writer> update;
  std::optional<report::golden_checker> compare;
  std::optional<report::report_writer> report_out;
  if (auto dir = a.value("report")) report_out.emplace(tr, *dir, s.id);
  if (auto dir = a.value("golden")) {
    if (a.flag("update-golden"))
      update.emplace(tr, report::golden_trace_path(*dir, s.id), report::golden_timeline_path(*dir, s.id));
    else
      compare.emplace(tr, *dir, s.id);
  }
  scenario::run_options options;
  options.keep_mailboxes = report_out.has_value();  // the report shows the copies filed
  auto r = scenario::run_scenario(s, options, tr);
  std::vector<std::string> lines;
  for (const auto& e : r.expectations) {
    lines.push_back(e.line());
    if (!e.passed) c.details.push_back(e.line());
  }
  if (report_out) {
    set_activity("writing the report of " + s.id + " to " + *a.value("report"));
    report_out->finish(run_report_input(s, r.seed, lines, report_deliveries(r.deliveries), r.campaigns));
  }
  if (update) {
    auto tail = lines;
    tail.push_back(report::summary_line(lines));
    update->commit(tail);
  }
  if (compare) {
    auto g = compare->result();
    if (g.status != report::golden_status::same) c.details.push_back("golden: " + g.detail);
  }
  if (!c.details.empty()) {
    c.outcome = report::junit_outcome::failed;
    c.message = r.failed() ? std::to_string(r.failed()) + " of " + std::to_string(r.expectations.size()) +
                                 " expectations failed"
                           : "the trace differs from the approved one";
  }
  return c;
}

}  // namespace

int check_command(const std::vector<std::string>& argv) {
  args a(argv, check_options);
  if (a.flag("help")) {
    std::cout << check_help;
    return exit_ok;
  }
  if (a.flag("update-golden") && !a.value("golden")) throw usage_error("--update-golden needs --golden DIR");
  auto files = scenario_files(a.positional());
  std::vector<report::junit_case> cases;
  std::size_t passed = 0, failed = 0;
  for (const auto& file : files) {
    auto c = check_one(file, a);
    bool ok = c.outcome == report::junit_outcome::passed;
    (ok ? passed : failed)++;
    std::cout << (ok ? "PASS " : c.outcome == report::junit_outcome::error ? "ERROR " : "FAIL ") << c.name;
    if (a.flag("update-golden") && ok) std::cout << " (golden updated)";
    std::cout << '\n';
    for (const auto& d : c.details) std::cout << "    " << d << '\n';
    cases.push_back(std::move(c));
  }
  std::cout << report::summary_line(passed, failed) << '\n';
  if (auto junit = a.value("junit")) report::write_junit(*junit, cases);
  return failed == 0 ? exit_ok : exit_failed;
}

}  // namespace sim::cli
