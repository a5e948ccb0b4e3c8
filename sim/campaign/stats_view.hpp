// sim/campaign/stats_view.hpp - campaign analytics as others read them:
// named metrics (the `stats` expectation), a JSON document (`mailsim run
// --stats FILE.json`) and a compact table (the terminal).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/campaign/analytics.hpp"

namespace sim::campaign {

// Counts (sent, delivered, inbox, junk, deferred, deferrals, queued,
// bounced, bounced_hard, bounced_soft, rejected, retries, trap_hits, opens,
// complaints), ratios of sent (delivered_ratio, inbox_ratio, junk_ratio,
// deferred_ratio, queued_ratio, bounced_ratio, bounced_hard_ratio,
// bounced_soft_ratio, rejected_ratio; 0 when nothing was sent), ratios of
// delivered (open_ratio, complaint_ratio; 0 when nothing was delivered) and
// times in milliseconds (time_to_delivery_p50_ms, _p90_ms, _p99_ms, _max_ms).
const std::vector<std::string_view>& metric_names();
std::optional<double> metric(const delivery_row& row, std::string_view name);

// {"campaigns": [{"id", "total": ROW, "domains": [ROW...], "listings":
// [{"zone", "ip", "from_ms", "to_ms" (null: still listed)}]}]}; a ROW has the
// counts, "time_to_delivery_ms": {"count", "p50", "p90", "p99", "max"} and
// "bounce_reasons": [{"status", "count", "sample"}].
nlohmann::ordered_json to_json(const std::vector<campaign_result>& results);
// One block per campaign: a heading line, one line per domain and the
// total (with opens and complaints when the campaign has readers), then its
// top bounce reasons (at most `reasons`).
std::vector<std::string> table(const std::vector<campaign_result>& results, std::size_t reasons = 3);

}  // namespace sim::campaign
