// sim/scenario/expect_monitor.hpp - the trace-based expectations, checked
// as the events happen.
//
// `deferred`, `rejected`, `trace` and `sequence` read the trace.  Rather
// than keeping the trace, a run feeds every event to a monitor (a sink),
// whose matchers keep only what their verdicts need: counts, the hosts
// seen, the first rejections, the position in a sequence, the SMTP phase
// of each open session when a `rejected` needs it.  Mail-based kinds and
// queue_empty read the outcome instead (expect.hpp).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "sim/core/trace.hpp"
#include "sim/scenario/expect_parts.hpp"
#include "sim/scenario/expect_pattern.hpp"
#include "sim/scenario/model.hpp"

namespace sim::scenario {

class expect_monitor {
 public:
  // Watches for the trace-based ones among `expectations` (which must
  // outlive the monitor).
  explicit expect_monitor(const std::vector<expectation>& expectations);
  ~expect_monitor();
  expect_monitor(const expect_monitor&) = delete;
  expect_monitor& operator=(const expect_monitor&) = delete;

  // Whether this kind is checked against the trace.
  static bool reads_trace(const expectation& e);
  // No trace-based expectation: nothing to watch.
  bool empty() const { return matchers_.empty(); }

  // Every event of the run, in order.
  void observe(const sim::event_view& e);
  // The verdict of the trace-based expectation at `index` in the file's
  // expect array (nullopt for other kinds).
  std::optional<detail::verdict> verdict(std::size_t index) const;

  class matcher;

 private:
  std::vector<std::pair<std::size_t, std::unique_ptr<matcher>>> matchers_;  // expect index -> matcher
  std::unique_ptr<reply_phase_tracker> phases_;  // when a `rejected` needs them
  std::uint64_t observed_ = 0;
};

}  // namespace sim::scenario
