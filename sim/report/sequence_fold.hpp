// sim/report/sequence_fold.hpp - deciding what the sequence diagram folds, and choosing its lifelines.
//
// Pure decisions over the model, so they can be tested without drawing:
// which sessions and DNS groups are shown as one arrow so that the diagram
// stays legible, and which hosts get a lifeline when there are too many.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "sim/report/sequence_model.hpp"

namespace sim::report {

// Rows a block takes on the page: its rows and a header when it can fold;
// one when folded.
std::size_t shown_rows(const seq_block& b);

struct fold_result {
  std::size_t sessions = 0;    // sessions folded to one arrow
  std::size_t dns_groups = 0;  // DNS groups folded
  std::size_t rows_before = 0, rows_after = 0;
};

// Folds blocks until the rows shown fit `open_rows`: first the repeats (a
// block with the same hosts and shape as one shown earlier: the same lookups
// at the next retry), then LMTP sessions, DNS groups and the other sessions,
// largest first.  Blocks of other rows never fold.
fold_result fold_blocks(std::vector<seq_block>& blocks, std::size_t open_rows);

struct lane_choice {
  std::vector<std::string> hosts;  // one lifeline each, left to right
  std::vector<std::string> others;  // hosts sharing the "other hosts" lifeline (none when all fit)
};

// Lifelines: the hosts in the order they first act, then the scenario's
// hosts that never acted; with more than `max_lifelines`, the most active
// keep theirs (in the same order) and the rest share one.
lane_choice choose_lanes(const std::vector<std::string>& acting, const std::map<std::string, std::size_t>& activity,
                         const std::vector<std::string>& scenario_hosts, std::size_t max_lifelines);

}  // namespace sim::report
