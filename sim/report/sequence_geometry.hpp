// sim/report/sequence_geometry.hpp - where the sequence diagram's lifelines and rows go.
//
// Internal to the sequence diagram's drawing (sequence_svg.cpp and
// sequence_blocks.cpp); not part of the report's interface.
#pragma once

#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/report/sequence_model.hpp"

namespace sim::report::seq {

inline constexpr double gutter = 96;        // the time column
inline constexpr double arrow_h = 22;       // a command or reply
inline constexpr double dns_h = 18;         // a DNS question or answer
inline constexpr double mark_h = 20;        // a mark on a lifeline
inline constexpr double band_h = 26;        // "... 5m later ..."
inline constexpr double header_h = 20;      // an unfolded block's title bar
inline constexpr double folded_h = 26;      // a folded block's one arrow
inline constexpr double label_px = 11;      // arrow labels (monospace)
inline constexpr double small_px = 10.5;    // DNS labels, marks
inline constexpr double time_px = 10;       // the time gutter

struct lane_pos {
  std::string name;
  std::string label;  // shown in the head
  std::string role;   // under it
  std::string kind;   // "host", "dns", "others"
  double x = 0;
};

struct geometry {
  double width = 0;
  double lane_w = 0;
  double stub = 0;  // an LDA's short lifeline beside its host's (LMTP)
  std::vector<lane_pos> lanes;
  std::unordered_map<std::string, std::size_t> index;
  std::size_t others = std::numeric_limits<std::size_t>::max();

  // x of a lane (a host on the shared lifeline maps to it); NaN when unknown.
  double x(const std::string& lane) const {
    auto it = index.find(lane);
    if (it != index.end()) return lanes[it->second].x;
    if (others < lanes.size()) return lanes[others].x;
    return std::numeric_limits<double>::quiet_NaN();
  }
};

// The time shown in the gutter: only when it differs from the previous one.
struct cursor {
  std::string last_time;
};

double row_height(const seq_row& r);
// Appends the row's SVG at y; returns false when a lane is unknown (nothing drawn).
bool draw_row(std::string& out, const geometry& g, const seq_row& r, double y, cursor& c);
void draw_lifelines(std::string& out, const geometry& g, double height);
void draw_band(std::string& out, const geometry& g, double y, std::int64_t idle_ms);
// <svg ...> opening tag for a strip `height` high.
std::string svg_open(const geometry& g, double height, const char* css_class);

}  // namespace sim::report::seq
