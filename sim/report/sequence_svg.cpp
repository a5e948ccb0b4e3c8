// sim/report/sequence_svg.cpp - drawing one row of the sequence diagram: arrows, marks, bands.
#include "sim/report/sequence_svg.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "sim/core/time.hpp"
#include "sim/report/escape.hpp"
#include "sim/report/sequence_geometry.hpp"
#include "sim/report/svg.hpp"
#include "sim/report/tones.hpp"

namespace sim::report::seq {
namespace {

using svg::num;

bool dashed(const seq_row& r) {
  return r.from == dns_lane || r.look == tone::ok || r.look == tone::info || r.look == tone::temp ||
         r.look == tone::perm || r.look == tone::close || r.look == tone::dns_fail;
}

bool failed_connect(const seq_row& r) {
  return r.key.starts_with("net.connect.refused") || r.key.starts_with("net.connect.timeout");
}

std::string shown_label(const seq_row& r) {
  if (r.repeat <= 1) return r.label;
  return r.label + "  \xC3\x97" + std::to_string(r.repeat);  // "×"
}

// The tooltip: the whole text, and for merged rows the last one too.
std::string tooltip(const seq_row& r, const std::string& shown) {
  std::string full = shown_label(r);
  if (!r.last_label.empty() && r.last_label != r.label) full += " (the last: " + r.last_label + ")";
  if (full == shown) return {};
  return "<title>" + xml_escape(full) + "</title>";
}

void draw_time(std::string& out, const seq_row& r, double baseline, cursor& c) {
  std::string at = format_offset(at_millis(r.t));
  if (at == c.last_time) return;
  c.last_time = at;
  out += fmt::format("<text class=\"tm\" x=\"6\" y=\"{}\">{}</text>", num(baseline), xml_escape(at));
}

void draw_head(std::string& out, double x, double y, double dir) {
  out += fmt::format("<path class=\"hd\" d=\"M{} {}l{} -4v8z\"/>", num(x), num(y), num(-7 * dir));
}

void draw_cross(std::string& out, double x, double y) {
  out += fmt::format("<path class=\"ln x\" d=\"M{} {}l8 8m0 -8l-8 8\"/>", num(x - 4), num(y - 4));
}

void draw_arrow(std::string& out, const geometry& g, const seq_row& r, double x1, double x2, double y, double h) {
  bool self = std::abs(x1 - x2) < 1;
  bool inward = r.look == tone::command || r.look == tone::data;  // a host's own LMTP to its LDA: the loop points inward
  if (self) {
    x2 = inward ? x1 + g.stub : x1;
    x1 = inward ? x1 : x1 + g.stub;
  }
  double font = r.from == dns_lane || r.to == dns_lane ? small_px : label_px;
  double line_y = y + h - 5;
  double dir = x2 > x1 ? 1 : -1;
  std::string cls = tone_class(r.look) + (r.look == tone::data ? " data" : "");
  out += fmt::format("<g class=\"a {}\">", cls);
  bool cross = failed_connect(r);
  double end = cross ? x2 - 6 * dir : x2 - 1 * dir;
  out += fmt::format("<line class=\"ln\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"{}/>", num(x1), num(line_y), num(end),
                     num(line_y), dashed(r) ? " stroke-dasharray=\"5 3\"" : "");
  if (cross) draw_cross(out, x2, line_y);
  else draw_head(out, x2, line_y, dir);

  std::string label = shown_label(r);
  double left = std::min(x1, x2), span = std::abs(x2 - x1);
  double tx = left + 6, room = g.width - 4 - tx;
  const char* anchor = "start";
  if (self) {
    tx = std::max(x1, x2) + 6;
    room = g.width - 4 - tx;
  } else if (svg::text_width(label, font, true) <= span - 16) {
    tx = left + span / 2;
    anchor = "middle";
  }
  std::string fitted = svg::fit(label, room, font, true);
  double baseline = self ? line_y + 3.5 : line_y - 4;
  out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\"{}>{}{}</text></g>", num(tx), num(baseline), anchor,
                     font == small_px ? " class=\"sm\"" : "", xml_escape(fitted), tooltip(r, fitted));
}

void draw_mark(std::string& out, const geometry& g, const seq_row& r, double cx, double y) {
  std::string label = shown_label(r);
  double max_w = std::min(g.width - gutter - 8, 640.0);
  double w = std::min(svg::text_width(label, small_px, false) + 16, max_w);
  std::string fitted = svg::fit(label, w - 14, small_px, false);
  double x0 = std::clamp(cx - w / 2, gutter + 2, g.width - w - 2);
  out += fmt::format(
      "<g class=\"m {}\"><rect class=\"bx\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"15\" rx=\"7.5\"/>"
      "<text x=\"{}\" y=\"{}\">{}{}</text></g>",
      tone_class(r.look), num(x0), num(y + 2.5), num(w), num(x0 + 7), num(y + 13.5), xml_escape(fitted),
      tooltip(r, fitted));
}

}  // namespace

double row_height(const seq_row& r) {
  if (r.mark) return mark_h;
  return r.from == dns_lane || r.to == dns_lane ? dns_h : arrow_h;
}

bool draw_row(std::string& out, const geometry& g, const seq_row& r, double y, cursor& c) {
  double h = row_height(r);
  double x1 = g.x(r.from);
  if (std::isnan(x1)) return false;
  if (r.mark) {
    draw_time(out, r, y + 13.5, c);
    draw_mark(out, g, r, x1, y);
    return true;
  }
  double x2 = g.x(r.to);
  if (std::isnan(x2)) return false;
  draw_time(out, r, y + h - 4, c);
  draw_arrow(out, g, r, x1, x2, y, h);
  return true;
}

void draw_lifelines(std::string& out, const geometry& g, double height) {
  for (const auto& l : g.lanes)
    out += fmt::format("<line class=\"ll {}\" x1=\"{}\" y1=\"0\" x2=\"{}\" y2=\"{}\"/>", l.kind, num(l.x), num(l.x),
                       num(height));
}

void draw_band(std::string& out, const geometry& g, double y, std::int64_t idle_ms) {
  out += fmt::format("<rect class=\"band\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", num(gutter - 4),
                     num(y + 4), num(g.width - gutter + 4), num(band_h - 8));
  for (const auto& l : g.lanes)
    out += fmt::format("<path class=\"brk\" d=\"M{} {}l8 -4M{} {}l8 -4\"/>", num(l.x - 4), num(y + 12), num(l.x - 4),
                       num(y + 17));
  std::string words = "\xE2\x80\xA6 " + svg::human_duration(idle_ms) + " later \xE2\x80\xA6";
  out += fmt::format("<text class=\"later\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                     num(gutter + (g.width - gutter) / 2), num(y + 17), xml_escape(words));
}

std::string svg_open(const geometry& g, double height, const char* css_class) {
  return fmt::format("<svg class=\"{}\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\">",
                     css_class, num(g.width), num(height), num(g.width), num(height));
}

}  // namespace sim::report::seq

namespace sim::report {

std::string sequence_row_svg(const seq_row& row, const std::vector<std::string>& lanes, double width) {
  seq::geometry g;
  g.width = width;
  g.lane_w = (width - seq::gutter) / static_cast<double>(std::max<std::size_t>(lanes.size(), 1));
  g.stub = std::min(36.0, g.lane_w * 0.25);
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    g.lanes.push_back({lanes[i], lanes[i], "", lanes[i] == dns_lane ? "dns" : "host",
                       seq::gutter + g.lane_w * (static_cast<double>(i) + 0.5)});
    g.index.emplace(lanes[i], i);
  }
  seq::cursor c;
  std::string out = seq::svg_open(g, seq::row_height(row), "sq");
  seq::draw_row(out, g, row, 0, c);
  return out + "</svg>";
}

}  // namespace sim::report
