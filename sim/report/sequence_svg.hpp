// sim/report/sequence_svg.hpp - drawing the sequence diagram (SVG, laid out here).
//
// One lifeline per host plus DNS, time running down, a time gutter on the
// left.  Each block is its own SVG so that a session or a DNS group can fold
// into one arrow with a plain <details> element (no script needed); stacked,
// the SVGs' lifelines join into one drawing.  Idle stretches of 30 s or more
// become "... 1h55m later ..." bands.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sim/report/sequence_fold.hpp"
#include "sim/report/sequence_model.hpp"

namespace sim::report {

struct sequence_view {
  double width = 1160;                        // px, the SVGs' width (they shrink with the page)
  std::map<std::string, std::string> roles;  // host -> what it is, under its name ("MX 10 · LDA")
};

// A stretch this long with nothing happening is folded into a band.
inline constexpr std::int64_t idle_band_ms = 30000;

// The whole diagram as HTML (the head, then the blocks in order).
std::string sequence_html(const std::vector<seq_block>& blocks, const lane_choice& lanes, const sequence_view& view);

// One row as SVG at height `y` of a drawing `width` wide whose lanes are
// `lanes` (host names, then dns_lane): for tests of fitting and escaping.
std::string sequence_row_svg(const seq_row& row, const std::vector<std::string>& lanes, double width);

}  // namespace sim::report
