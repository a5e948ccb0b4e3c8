// sim/cli/check_command.cpp - `mailsim check [PATH ...] [--golden DIR] [--update-golden] [--junit FILE]`.
#include <iostream>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/run_report.hpp"
#include "sim/cli/scenario_io.hpp"
#include "sim/report/golden.hpp"
#include "sim/report/junit.hpp"
#include "sim/report/summary.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/runner.hpp"

namespace sim::cli {
namespace {

const char* const help_text =
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

const std::vector<option_spec> options{{"golden", true}, {"update-golden", false}, {"junit", true}, {"report", true},
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
  c.name = s.id;
  set_activity("running scenario " + s.id);
  auto r = scenario::run_scenario(s);
  std::vector<std::string> lines;
  for (const auto& e : r.expectations) {
    lines.push_back(e.line());
    if (!e.passed) c.details.push_back(e.line());
  }
  if (auto dir = a.value("report")) {
    set_activity("writing the report of " + s.id + " to " + *dir);
    write_run_report(*dir, s, r.seed, lines, report_mailboxes(r.mailboxes), r.events);
  }
  if (auto dir = a.value("golden")) {
    if (a.flag("update-golden")) {
      auto tail = lines;
      tail.push_back(report::summary_line(lines));
      report::update_golden(*dir, s.id, r.events, tail);
    } else {
      auto g = report::compare_golden(*dir, s.id, r.events);
      if (g.status != report::golden_status::same) c.details.push_back("golden: " + g.detail);
    }
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
  args a(argv, options);
  if (a.flag("help")) {
    std::cout << help_text;
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
