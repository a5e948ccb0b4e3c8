// sim/sweep/summary.hpp - totals over seed records: a sweep's last lines, and --merge.
//
// A record with a `crash_point` (crash_points.hpp) counts as a crash run,
// not a seed: tried or skipped, held or failed.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sim::sweep {

class sweep_summary {
 public:
  void add(const nlohmann::ordered_json& record);
  // Reads JSON Lines records; throws std::runtime_error naming `name` and
  // the line for a line that is not a seed record.
  void add_lines(std::istream& in, const std::string& name);
  std::uint64_t seeds() const { return seeds_; }
  std::uint64_t crash_runs() const { return crash_tried_ + crash_skipped_; }
  std::uint64_t failed() const { return failed_ + crash_failed_; }
  // The replay commands of the failed seeds, in the order they came.
  const std::vector<std::string>& failures() const { return failures_; }
  // "N deliveries, N duplicates in the RFC 5321 section 6.1 window, determinism checked on N seeds"
  std::string totals_line() const;
  // "N seeds, N failed"
  std::string summary_line() const;
  // "N crash points tried (N skipped), N failed"
  std::string crash_points_line() const;

 private:
  std::uint64_t seeds_ = 0, failed_ = 0, deliveries_ = 0, duplicates_ = 0, determinism_ = 0;
  std::uint64_t crash_tried_ = 0, crash_skipped_ = 0, crash_failed_ = 0;
  std::vector<std::string> failures_;
};

}  // namespace sim::sweep
