// sim/scenario/delivery_retention.hpp - live mode's bound on the record of
// deliveries (`serve --retain`).
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/scenario/outcome.hpp"

namespace sim::scenario {

// Keeps the newest `per_folder` recorded deliveries of each folder of each
// mailbox (host, address, folder), the bound the mailboxes themselves keep
// under `--retain`, so that a server that runs for days holds a bounded
// record for its report and its expectations.  Older entries go in one
// pass once the list is twice what it must keep (amortised O(1) a
// delivery); the order of those kept is unchanged.
class delivery_retention {
 public:
  explicit delivery_retention(std::size_t per_folder) : per_folder_(per_folder) {}

  // After each delivery appended to `list`.
  void added(std::vector<delivery>& list);

 private:
  void compact(std::vector<delivery>& list);

  std::size_t per_folder_;
  std::unordered_map<std::string, std::size_t> counts_;  // recorded per folder key, capped at per_folder_
  std::size_t kept_ = 0;                                 // the sum of counts_: what the list must keep
};

}  // namespace sim::scenario
