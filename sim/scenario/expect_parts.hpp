// sim/scenario/expect_parts.hpp - one checker per expectation kind that
// reads the outcome, used by expect.cpp: mail-based kinds in
// expect_mail.cpp and expect_bounce.cpp, queue_empty in expect_trace.cpp
// (the trace-based kinds are matchers: expect_monitor.hpp).
#pragma once

#include <string>

#include "sim/scenario/model.hpp"
#include "sim/scenario/outcome.hpp"

namespace sim::scenario::detail {

struct verdict {
  bool passed = false;
  std::string reason;
};

verdict check(const expect_delivered& e, const outcome& o);
verdict check(const expect_not_delivered& e, const outcome& o);
verdict check(const expect_bounced& e, const outcome& o);
verdict check(const expect_no_bounce& e, const outcome& o);
verdict check(const expect_fetched& e, const outcome& o);
verdict check(const expect_queue_empty& e, const outcome& o);
verdict check(const expect_stats& e, const outcome& o);  // expect_stats.cpp
// deferred, rejected, trace and sequence: expect_monitor.hpp.

std::string plural(std::size_t n, std::string_view word);  // "1 delivery", "2 deliveries"
// Message-IDs compare without their angle brackets and surrounding space,
// whichever form the runner recorded; an empty one matches nothing.
bool same_message_id(std::string_view a, std::string_view b);

}  // namespace sim::scenario::detail
