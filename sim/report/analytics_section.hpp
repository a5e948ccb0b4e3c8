// sim/report/analytics_section.hpp - the report's "Delivery analytics".
//
// Per campaign: a plain-words lead-in, the table by receiving domain (the
// figures of `mailsim run --stats`, from the same campaign::campaign_result
// the run computed as its trace streamed by: nothing is recounted here), a
// stacked bar per domain, the time-to-delivery percentiles and curve, the top
// bounce reasons by enhanced status code, and the periods strip (the sending
// IP's DNSBL listings against the run's time axis).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/campaign/analytics.hpp"
#include "sim/report/analytics_svg.hpp"

namespace sim::report {

// A column of the table: a metric of campaign::metric() (stats_view.hpp),
// shown when the analytics hold it, so that a metric added there (opens,
// complaints) appears once it is named here.
struct analytics_column {
  std::string_view metric;  // "bounced_hard"
  const char* head;         // "hard bounces"
  const char* tip;          // what it counts, the header's tooltip
};
const std::vector<analytics_column>& analytics_columns();

// The rows of the periods strip for one campaign: the DNSBL listings of the
// run (one row per zone and IP).  Other kinds of period rows go here too.
std::vector<period_row> campaign_period_rows(const campaign::campaign_result& c);

// "Of 300 recipients, 111 (37%) reached the inbox ...": text, not yet escaped.
std::string analytics_lead(const campaign::campaign_result& c);

// The section's body: one article per campaign; a line saying so without any.
// `run_end` (ms) is the end of the run's time axis.
std::string analytics_html(const std::vector<campaign::campaign_result>& campaigns, std::int64_t run_end, double width);

}  // namespace sim::report
