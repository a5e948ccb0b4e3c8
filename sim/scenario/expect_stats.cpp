// sim/scenario/expect_stats.cpp - the `stats` kind: a campaign metric
// (sim/campaign/stats_view.hpp) within bounds.
#include <cmath>

#include <fmt/format.h>

#include "sim/campaign/stats_view.hpp"
#include "sim/scenario/expect_parts.hpp"

namespace sim::scenario::detail {
namespace {

// Counts print as integers, ratios with up to four decimals.
std::string number(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{:.4g}", v);
}

}  // namespace

verdict check(const expect_stats& e, const outcome& o) {
  const campaign::campaign_result* c = nullptr;
  for (const auto& r : o.campaigns)
    if (!e.campaign || r.id == *e.campaign) c = c ? c : &r;
  if (!c) return {false, "no analytics were kept for that campaign"};
  const campaign::delivery_row* row = &c->total;
  if (e.domain) {
    row = nullptr;
    for (const auto& d : c->domains)
      if (d.domain == *e.domain) row = &d;
    if (!row) return {false, fmt::format("campaign {} sent nothing to {}", c->id, *e.domain)};
  }
  double got = *campaign::metric(*row, e.metric);
  std::string want;
  bool ok = true;
  // Ratios are compared with a tolerance of one part in a billion, so that
  // 0.95 written in a scenario equals 19 of 20.
  constexpr double eps = 1e-9;
  if (e.equals) ok = std::fabs(got - *e.equals) <= eps, want = "exactly " + number(*e.equals);
  if (e.min && e.max) want = fmt::format("between {} and {}", number(*e.min), number(*e.max));
  else if (e.min) want = "at least " + number(*e.min);
  else if (e.max) want = "at most " + number(*e.max);
  if (e.min) ok = ok && got >= *e.min - eps;
  if (e.max) ok = ok && got <= *e.max + eps;
  return {ok, fmt::format("{} is {} (want {}; {} sent)", e.metric, number(got), want, row->sent)};
}

}  // namespace sim::scenario::detail
