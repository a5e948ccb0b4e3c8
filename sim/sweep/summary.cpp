// sim/sweep/summary.cpp - totals over seed records.
#include "sim/sweep/summary.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace sim::sweep {

void sweep_summary::add(const nlohmann::ordered_json& r) {
  bool crash = r.contains("crash_point");
  if (crash && r.value("skipped", false)) {
    ++crash_skipped_;
    return;
  }
  ++(crash ? crash_tried_ : seeds_);
  deliveries_ += r.value("deliveries", std::uint64_t{0});
  duplicates_ += r.value("duplicates_in_window", std::uint64_t{0});
  if (r.value("determinism_checked", false)) ++determinism_;
  if (!r.value("ok", true)) {
    ++(crash ? crash_failed_ : failed_);
    failures_.push_back(r.value("replay", std::string()));
  }
}

void sweep_summary::add_lines(std::istream& in, const std::string& name) {
  std::string line;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    auto r = nlohmann::ordered_json::parse(line, nullptr, false);
    if (r.is_discarded() || !r.is_object() || !r.contains("seed") || !r["ok"].is_boolean())
      throw std::runtime_error(fmt::format("{}:{}: not a sweep record (a JSON object with seed and ok)", name, n));
    add(r);
  }
}

std::string sweep_summary::totals_line() const {
  return fmt::format("{} deliveries, {} duplicates in the RFC 5321 section 6.1 window, determinism checked on {} seeds",
                     deliveries_, duplicates_, determinism_);
}

std::string sweep_summary::summary_line() const { return fmt::format("{} seeds, {} failed", seeds_, failed_); }

std::string sweep_summary::crash_points_line() const {
  return fmt::format("{} crash points tried ({} skipped), {} failed", crash_tried_, crash_skipped_, crash_failed_);
}

}  // namespace sim::sweep
