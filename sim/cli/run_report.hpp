// sim/cli/run_report.hpp - a scenario and its run, translated into the report's plain inputs.
//
// sim/report knows nothing of the scenario model; this is where a host's
// settings and the DNS records become the roles the map shows ("MX 10 for
// example.org", "MSA: submission on port 587"), and where a run's results
// become the report folder.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/core/trace.hpp"
#include "sim/report/report_input.hpp"
#include "sim/scenario/model.hpp"
#include "sim/scenario/outcome.hpp"
#include "sim/scenario/world.hpp"

namespace sim::cli {

// What each host does in the scenario, most important first.
std::vector<report::host_role> host_roles(const scenario::scenario& s, const scenario::host& h);
report::scenario_summary report_scenario(const scenario::scenario& s, std::uint64_t seed);
// "PASS ..." / "FAIL ..." lines as the report takes them.
std::vector<report::expectation_line> report_expectations(const std::vector<std::string>& lines);
// The mailboxes as a run left them (a POP3 fetch may have emptied some).
std::vector<report::filed_message> report_mailboxes(const std::vector<scenario::world::mailbox_view>& boxes);
// --maildir: every mailbox as a Maildir++ (INBOX, and Junk as ".Junk/").
void write_maildirs(const std::filesystem::path& dir, const std::vector<scenario::world::mailbox_view>& boxes);
// Every message as it was filed, with its time (what the LDAs delivered,
// whatever a later fetch deleted).
std::vector<report::filed_message> report_deliveries(const std::vector<scenario::delivery>& deliveries);

// Writes DIR/<scenario>.timeline.txt, .trace.jsonl and .html for a finished
// run; the events are handed to the report one JSON line at a time.
void write_run_report(const std::filesystem::path& dir, const scenario::scenario& s, std::uint64_t seed,
                      const std::vector<std::string>& expectation_lines, std::vector<report::filed_message> delivered,
                      const std::vector<sim::event>& events);

}  // namespace sim::cli
