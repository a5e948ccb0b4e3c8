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
// --maildir: every mailbox as a Maildir++ (INBOX, and Junk as ".Junk/").
void write_maildirs(const std::filesystem::path& dir, const std::vector<scenario::world::mailbox_view>& boxes);
// Every message as it was filed, with its time (what the LDAs delivered,
// whatever a later fetch deleted).
std::vector<report::filed_message> report_deliveries(const std::vector<scenario::delivery>& deliveries);

// The report's inputs for a finished run.  The trace and the narrated
// timeline were written as the run went (report::report_writer, attached to
// the run's trace), so they are not among them; finish() the writer with these.
// `campaigns`: the run's campaign analytics (the page's "Delivery analytics").
report::report_input run_report_input(const scenario::scenario& s, std::uint64_t seed,
                                      const std::vector<std::string>& expectation_lines,
                                      std::vector<report::filed_message> delivered,
                                      std::vector<campaign::campaign_result> campaigns);

}  // namespace sim::cli
