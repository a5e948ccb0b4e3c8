// sim/report/sequence_fold.cpp - folding blocks to fit, choosing lifelines.
#include "sim/report/sequence_fold.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace sim::report {

std::size_t shown_rows(const seq_block& b) {
  if (b.kind == block_kind::rows) return b.rows.size();
  return b.folded ? 1 : b.rows.size() + 1;
}

namespace {

// A block's shape: its hosts, the kinds of its rows in order and which
// repeat.  The same lookups at the next retry, the same dialogue again with
// the same host, have the same shape.
std::string shape(const seq_block& b) {
  std::string out = fmt::format("{}|{}|{}|{}|", static_cast<int>(b.kind), b.protocol, b.client, b.server);
  for (const auto& r : b.rows)
    out += fmt::format("{}{}{}{};", r.mark ? 'm' : 'a', static_cast<int>(r.look), r.repeat > 1 ? '+' : '1', r.paired ? 'p' : '-');
  return out;
}

}  // namespace

fold_result fold_blocks(std::vector<seq_block>& blocks, std::size_t open_rows) {
  fold_result out;
  for (const auto& b : blocks) out.rows_before += shown_rows(b);
  std::size_t total = out.rows_before;
  auto fold = [&](std::size_t i) {
    if (blocks[i].folded || blocks[i].kind == block_kind::rows || total <= open_rows) return;
    std::size_t before = shown_rows(blocks[i]);
    blocks[i].folded = true;
    total -= before - shown_rows(blocks[i]);
    ++(blocks[i].kind == block_kind::dns ? out.dns_groups : out.sessions);
  };
  // First the repeats of a block shown earlier, the last ones first.
  std::set<std::string> seen;
  std::vector<std::size_t> repeats;
  for (std::size_t i = 0; i < blocks.size(); ++i)
    if (blocks[i].kind != block_kind::rows && !seen.insert(shape(blocks[i])).second) repeats.push_back(i);
  for (auto it = repeats.rbegin(); it != repeats.rend(); ++it) fold(*it);
  // Then the plumbing (LMTP to the LDA), the DNS groups, the other sessions: largest first.
  auto by_size = [&](auto wanted) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < blocks.size(); ++i)
      if (wanted(blocks[i])) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      if (blocks[a].rows.size() != blocks[b].rows.size()) return blocks[a].rows.size() > blocks[b].rows.size();
      return a > b;
    });
    for (std::size_t i : order) fold(i);
  };
  by_size([](const seq_block& b) { return b.kind == block_kind::session && b.protocol == "LMTP"; });
  by_size([](const seq_block& b) { return b.kind == block_kind::dns; });
  by_size([](const seq_block& b) { return b.kind == block_kind::session; });
  out.rows_after = total;
  return out;
}

lane_choice choose_lanes(const std::vector<std::string>& acting, const std::map<std::string, std::size_t>& activity,
                         const std::vector<std::string>& scenario_hosts, std::size_t max_lifelines) {
  std::vector<std::string> all = acting;
  std::set<std::string> seen(acting.begin(), acting.end());
  for (const auto& h : scenario_hosts)
    if (seen.insert(h).second) all.push_back(h);
  lane_choice out;
  if (all.size() <= max_lifelines || max_lifelines < 2) {
    out.hosts = std::move(all);
    return out;
  }
  auto count = [&](const std::string& h) {
    auto it = activity.find(h);
    return it == activity.end() ? std::size_t{0} : it->second;
  };
  std::vector<std::string> ranked = all;
  std::stable_sort(ranked.begin(), ranked.end(),
                   [&](const std::string& a, const std::string& b) { return count(a) > count(b); });
  std::set<std::string> keep(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(max_lifelines - 1));
  for (const auto& h : all) (keep.count(h) ? out.hosts : out.others).push_back(h);
  return out;
}

}  // namespace sim::report
