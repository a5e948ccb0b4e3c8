// sim/campaign/engagement.cpp - the readers' decisions.
#include "sim/campaign/engagement.hpp"

#include "sim/core/ascii.hpp"

namespace sim::campaign {
namespace {

// A uniform number in [0, 1) with 53 bits: compared with a share, true with
// that probability (0 never, 1 always).
double unit(const engagement_draw& below) {
  constexpr std::uint64_t span = std::uint64_t{1} << 53;
  return static_cast<double>(below(span)) / static_cast<double>(span);
}

}  // namespace

double domain_shares::of(std::string_view domain) const {
  for (const auto& [name, share] : domains)
    if (ascii::iequals(name, domain)) return share;
  return fallback;
}

std::optional<delay_range> parse_delay_range(std::string_view text, std::string& error) {
  auto dots = text.find("..");
  std::string_view low = text.substr(0, dots);
  std::string_view high = dots == std::string_view::npos ? low : text.substr(dots + 2);
  auto lo = parse_duration(low), hi = parse_duration(high);
  if (!lo || !hi) {
    error = "expected a duration (\"1h\") or a range of two (\"10m..4h\")";
    return std::nullopt;
  }
  if (*lo > *hi) {
    error = "the range's low end is above its high end";
    return std::nullopt;
  }
  return delay_range{*lo, *hi};
}

reader_decision decide(const engagement_spec& e, std::string_view domain, const engagement_draw& below) {
  // Always three draws, in this order.
  double open_draw = unit(below);
  double complain_draw = unit(below);
  auto span = static_cast<std::uint64_t>((e.after_high - e.after_low).count()) + 1;
  sim::duration after = e.after_low + sim::duration{static_cast<std::int64_t>(below(span))};
  reader_decision d;
  d.opens = open_draw < e.opens.of(domain);
  d.complains = d.opens && complain_draw < e.complaints.of(domain);
  d.after = after;
  return d;
}

}  // namespace sim::campaign
