// sim/report/analytics_svg.hpp - the pictures of the delivery analytics: a
// stacked bar per receiving domain, the cumulative time-to-delivery curve and
// a strip of labelled periods on the run's time axis.
//
// Inline SVG like the report's other drawings; every text from the world
// (domains, zones, addresses) is fitted and escaped here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/campaign/analytics.hpp"

namespace sim::report {

// One part of a stacked bar: a count, its CSS class ("s-inbox") and its words.
struct bar_part {
  const char* css;
  const char* words;  // "reached the inbox"
  std::uint64_t count = 0;
};

// What became of a row's recipients, in the bar's order: inbox at once, junk
// at once, deferred then delivered, bounced hard, bounced soft, still queued,
// rejected at submission.  The counts add up to `sent`.
std::vector<bar_part> outcome_parts(const campaign::delivery_row& row);

// One bar per domain and one for the whole campaign, each as wide as the
// page (shares of the row's recipients), its numbers in the tooltips.
std::string outcome_bars_svg(const campaign::campaign_result& c, double width);
// The legend of the bars' colours (HTML).
std::string outcome_legend_html();

// The share of delivered recipients (0 to 100%) against time to delivery on
// a logarithmic axis, p50/p90/p99 marked; "" without deliveries.
std::string delivery_curve_svg(const campaign::latency& l, double width);

// A period on the run's time axis: [from, to), or to the end of the run.
struct period {
  std::int64_t from = 0;           // ms
  std::optional<std::int64_t> to;  // none: still going when the run ended
  std::string css;                 // "p-listed"; "p-accept", "p-junk", "p-throttle", "p-block" ...
  std::string words;               // the tooltip: "listed on bl.example"
};

// A labelled row of periods ("192.0.2.25 on bl.example"): DNSBL listings
// today, and any other state that holds for a while (a receiver's verdict on
// the sending IP) with a row type of its own.
struct period_row {
  std::string label;
  std::vector<period> spans;
};

// The DNSBL listings of a run, one row per zone and IP, in order of first listing.
std::vector<period_row> listing_rows(const std::vector<campaign::listing>& listings);
// A receiver's verdicts on the sender (policy.reputation), one row per
// receiving host and judged IP or domain, in order of first change.
std::vector<period_row> reputation_rows(const std::vector<campaign::reputation_period>& periods);
// The rows against the run's time axis (0 to `run_end`, stretched to the
// last period's end); "" without rows.
std::string periods_svg(const std::vector<period_row>& rows, std::int64_t run_end, double width);

}  // namespace sim::report
