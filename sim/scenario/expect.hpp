// sim/scenario/expect.hpp - checking a scenario's expectations against what
// a run left behind (scenario-format.md, `expect`).
#pragma once

#include <string>
#include <vector>

#include "sim/scenario/model.hpp"
#include "sim/scenario/outcome.hpp"

namespace sim::scenario {

struct expect_result {
  std::size_t index = 0;  // in the file's expect array
  std::string kind;       // "delivered", ...
  std::string label;      // "delivered bob@example.org"
  bool passed = false;
  std::string reason;     // one line: what was found

  // "PASS delivered bob@example.org: delivered on mx1.example.org at +00:05:00"
  std::string line() const;
  // The fields of the trace's expect.pass / expect.fail event.
  sim::event trace_fields() const;  // {"index", "kind", "reason"}
};

// What the expectation is about, for report lines ("bounced bob@example.org").
std::string label(const expectation& e);
expect_result evaluate(const expectation& e, const outcome& o);
std::vector<expect_result> evaluate_all(const std::vector<expectation>& expectations, const outcome& o);

}  // namespace sim::scenario
