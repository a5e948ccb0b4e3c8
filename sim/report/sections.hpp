// sim/report/sections.hpp - the report's text sections: at a glance, messages, expectations, narrated timeline.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sim/report/message_model.hpp"
#include "sim/report/report_input.hpp"
#include "sim/report/world_model.hpp"

namespace sim::report {

// One sentence and a few numbers: what happened to the mail, how long it took.
std::string glance_html(const report_input& input, const run_totals& totals, const message_model& messages);

// One row per message followed (outcome, subject linked to its view, envelope).
std::string message_list_html(const message_model& messages, std::size_t with_views, std::size_t max_rows);

// PASS/FAIL, the label in bold, the reason after it.
std::string expectations_html(const std::vector<expectation_line>& lines, const std::string& summary,
                              std::size_t max_lines);

// The narrated lines as a table (time, host, agent, what happened), glossary
// terms linked; over `max_lines`, the first ones and the last ones.
std::string timeline_html(const std::vector<std::string>& lines, std::size_t max_lines);

}  // namespace sim::report
