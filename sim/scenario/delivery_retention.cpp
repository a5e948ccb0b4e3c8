// sim/scenario/delivery_retention.cpp - live mode's bound on the record of
// deliveries.
#include "sim/scenario/delivery_retention.hpp"

#include <algorithm>

namespace sim::scenario {

namespace {

std::string folder_key(const delivery& d) { return d.host + '\n' + d.mailbox + '\n' + d.folder; }

// Compaction waits for this much slack beyond twice the bound, so that a
// small bound does not compact at every delivery.
constexpr std::size_t compaction_slack = 64;

}  // namespace

void delivery_retention::added(std::vector<delivery>& list) {
  if (list.empty()) return;
  std::size_t& count = counts_[folder_key(list.back())];
  if (count < per_folder_) {
    ++count;
    ++kept_;
  }
  if (list.size() > 2 * kept_ + compaction_slack) compact(list);
}

// Walks from the newest: an entry is kept while its folder has had fewer
// than per_folder_ newer ones.
void delivery_retention::compact(std::vector<delivery>& list) {
  std::unordered_map<std::string, std::size_t> newer;
  std::vector<bool> keep(list.size());
  for (std::size_t i = list.size(); i-- > 0;) keep[i] = ++newer[folder_key(list[i])] <= per_folder_;
  std::size_t out = 0;
  for (std::size_t i = 0; i < list.size(); ++i)
    if (keep[i]) {
      if (out != i) list[out] = std::move(list[i]);
      ++out;
    }
  list.resize(out);
}

}  // namespace sim::scenario
