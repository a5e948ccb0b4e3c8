// sim/report/sequence_blocks.cpp - the sequence diagram's head, blocks and folded arrows.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "sim/report/escape.hpp"
#include "sim/report/sequence_geometry.hpp"
#include "sim/report/sequence_svg.hpp"
#include "sim/report/svg.hpp"
#include "sim/report/tones.hpp"

namespace sim::report {
namespace {

using svg::num;
using namespace seq;

constexpr double head_h = 50;
constexpr double note_h = 18;

geometry make_geometry(const lane_choice& lanes, const sequence_view& view) {
  geometry g;
  g.width = view.width;
  std::size_t n = lanes.hosts.size() + (lanes.others.empty() ? 0 : 1) + 1;
  g.lane_w = (g.width - gutter) / static_cast<double>(n);
  g.stub = std::min(36.0, g.lane_w * 0.25);
  auto x_at = [&](std::size_t i) { return gutter + g.lane_w * (static_cast<double>(i) + 0.5); };
  for (const auto& h : lanes.hosts) {
    auto role = view.roles.find(h);
    g.index.emplace(h, g.lanes.size());
    g.lanes.push_back({h, h, role == view.roles.end() ? "" : role->second, "host", x_at(g.lanes.size())});
  }
  if (!lanes.others.empty()) {
    g.others = g.lanes.size();
    g.lanes.push_back({"(others)", fmt::format("{} other hosts", lanes.others.size()), "one shared lifeline", "others",
                       x_at(g.lanes.size())});
    for (const auto& h : lanes.others) g.index.emplace(h, g.others);
  }
  g.index.emplace(dns_lane, g.lanes.size());
  g.lanes.push_back({dns_lane, "DNS", "the fake resolver", "dns", x_at(g.lanes.size())});
  return g;
}

std::string head_svg(const geometry& g) {
  std::string out = svg_open(g, head_h, "sq head");
  out += "<text class=\"tm\" x=\"6\" y=\"22\">time</text><text class=\"tm\" x=\"6\" y=\"35\">(simulated)</text>";
  for (const auto& l : g.lanes) {
    double w = g.lane_w - 8;
    out += fmt::format("<g class=\"lifeline {}\" data-host=\"{}\"><title>{}</title>", l.kind, xml_escape(l.name, true),
                       xml_escape(l.role.empty() ? l.label : l.label + " \xE2\x80\x94 " + l.role));
    out += fmt::format("<rect class=\"lh\" x=\"{}\" y=\"4\" width=\"{}\" height=\"40\" rx=\"4\"/>", num(l.x - w / 2), num(w));
    out += fmt::format("<text class=\"hn\" x=\"{}\" y=\"21\" text-anchor=\"middle\">{}</text>", num(l.x),
                       xml_escape(svg::fit(l.label, w - 8, 12, false)));
    out += fmt::format("<text class=\"hr\" x=\"{}\" y=\"36\" text-anchor=\"middle\">{}</text>", num(l.x),
                       xml_escape(svg::fit(l.role, w - 8, 10, false)));
    out += fmt::format("<line class=\"ll {}\" x1=\"{}\" y1=\"44\" x2=\"{}\" y2=\"{}\"/></g>", l.kind, num(l.x), num(l.x),
                       num(head_h));
  }
  return out + "</svg>";
}

// The session's columns, with a margin, for its frame.
std::pair<double, double> frame_span(const geometry& g, const seq_block& b) {
  double a = g.x(b.client), c = g.x(b.server);
  if (std::isnan(a)) a = c;
  if (std::isnan(c)) c = a;
  if (std::isnan(a)) return {gutter, g.width - 2};
  double left = std::min(a, c) - 16, right = std::max(a, c) + (std::abs(a - c) < 1 ? g.stub : 0) + 16;
  return {std::max(left, gutter - 2), std::min(right, g.width - 2)};
}

std::string title(const seq_block& b) {
  if (b.kind == block_kind::dns) return "DNS lookups by " + b.client;
  if (b.protocol == "LMTP") return fmt::format("LMTP session {} \xC2\xB7 {}'s MTA hands mail to its LDA", b.session, b.server);
  std::string port = b.port == 587 ? " \xC2\xB7 port 587 (submission)"
                   : b.port == 25  ? " \xC2\xB7 port 25 (MTA to MTA)"
                   : b.port        ? fmt::format(" \xC2\xB7 port {}", b.port)
                                   : "";
  return fmt::format("{} session {}{} \xC2\xB7 {} \xE2\x86\x92 {}", b.protocol, b.session, port, b.client, b.server);
}

std::string summary_words(const seq_block& b) {
  if (b.kind == block_kind::dns) {
    std::string names;
    std::size_t n = 0;
    for (const auto& r : b.rows) {
      if (r.to != dns_lane) continue;
      n += r.repeat;
      names += (names.empty() ? "" : ", ") + r.label;
    }
    return fmt::format("{} DNS lookup{}: {}", n, n == 1 ? "" : "s", names);
  }
  std::string refused = b.refusals == 0 ? ""
                      : b.refusals == 1 ? " \xC2\xB7 refused: " + b.refusal
                                        : fmt::format(" \xC2\xB7 {} refused, first: {}", b.refusals, b.refusal);
  if (b.protocol == "LMTP")
    return fmt::format("LMTP to the LDA: filed in {} mailbox{}{}", b.filed, b.filed == 1 ? "" : "es", refused);
  std::string port = b.port ? fmt::format(" :{}", b.port) : "";
  std::string head = fmt::format("{}{} \xC2\xB7 {} command{} \xE2\x86\x92 ", b.protocol, port, b.commands, b.commands == 1 ? "" : "s");
  if (!b.accepted.empty()) return head + b.accepted + refused;
  if (b.refusals) return head + b.refusal + (b.refusals > 1 ? fmt::format(" (and {} more refusals)", b.refusals - 1) : "");
  return head + fmt::format("{} replies", b.replies);
}

tone summary_tone(const seq_block& b) {
  if (b.kind == block_kind::dns) {
    for (const auto& r : b.rows)
      if (r.look == tone::dns_fail) return tone::dns_fail;
    return tone::dns;
  }
  if (!b.accepted.empty() || (b.protocol == "LMTP" && b.filed)) return tone::ok;
  if (b.refusals) return b.refusal_tone;
  return tone::command;
}

std::string folded_svg(const geometry& g, const seq_block& b) {
  std::string out = svg_open(g, folded_h, "sq");
  auto [left, right] = frame_span(g, b);
  out += fmt::format("<rect class=\"fr folded\" x=\"{}\" y=\"2\" width=\"{}\" height=\"{}\" rx=\"5\"/>", num(left),
                     num(right - left), num(folded_h - 4));
  draw_lifelines(out, g, folded_h);
  seq_row r;
  r.from = b.client;
  r.to = b.server;
  r.t = r.t_last = b.start;
  r.look = summary_tone(b);
  r.label = "\xE2\x96\xB8 " + summary_words(b);  // "▸"
  if (b.kind == block_kind::session && b.client == b.server && r.look == tone::ok) r.look = tone::command;  // toward the LDA
  cursor fresh;
  draw_row(out, g, r, 2, fresh);
  return out + "</svg>";
}

std::string title_bar(const geometry& g, const seq_block& b) {
  std::string out = svg_open(g, header_h, "sq");
  auto [left, right] = frame_span(g, b);
  out += fmt::format("<path class=\"fr\" d=\"M{} {}V8H{}V{}\"/>", num(left), num(header_h), num(right), num(header_h));
  draw_lifelines(out, g, header_h);
  double lda = g.x(b.server) + g.stub;
  if (b.protocol == "LMTP" && !std::isnan(lda))
    out += fmt::format("<line class=\"ll lda\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", num(lda),
                       num(header_h - 4), num(header_h));
  std::string words = "\xE2\x96\xBE " + title(b);  // "▾"
  double room = g.width - left - 12;
  out += fmt::format("<text class=\"bt\" x=\"{}\" y=\"16\">{}</text>", num(left + 6),
                     xml_escape(svg::fit(words, room, 10.5, false)));
  return out + "</svg>";
}

std::string body_svg(const geometry& g, const seq_block& b, cursor& c, bool framed) {
  double h = 2;
  for (std::size_t i = 0; i < b.rows.size(); ++i) {
    if (i > 0 && b.rows[i].t - b.rows[i - 1].t_last >= idle_band_ms) h += band_h;
    h += row_height(b.rows[i]);
  }
  if (b.dropped) h += note_h;
  h += framed ? 6 : 2;
  std::string out = svg_open(g, h, "sq");
  if (framed) {
    auto [left, right] = frame_span(g, b);
    out += fmt::format("<path class=\"fr\" d=\"M{} 0V{}H{}V0\"/>", num(left), num(h - 3), num(right));
  }
  draw_lifelines(out, g, h);
  double lda = g.x(b.server) + g.stub;
  if (b.protocol == "LMTP" && !std::isnan(lda))  // the LDA's own short lifeline, beside its host's
    out += fmt::format("<line class=\"ll lda\" x1=\"{}\" y1=\"0\" x2=\"{}\" y2=\"{}\"/>", num(lda), num(lda), num(h - 3));
  double y = 2;
  for (std::size_t i = 0; i < b.rows.size(); ++i) {
    if (i > 0 && b.rows[i].t - b.rows[i - 1].t_last >= idle_band_ms) {
      draw_band(out, g, y, b.rows[i].t - b.rows[i - 1].t_last);
      y += band_h;
    }
    draw_row(out, g, b.rows[i], y, c);
    y += row_height(b.rows[i]);
  }
  if (b.dropped)
    out += fmt::format("<text class=\"note\" x=\"{}\" y=\"{}\">\xE2\x80\xA6 {} more row{} of this block not drawn (bounds)</text>",
                       num(gutter + 8), num(y + 13), b.dropped, b.dropped == 1 ? "" : "s");
  return out + "</svg>";
}

std::string block_html(const geometry& g, const seq_block& b, cursor& c) {
  if (b.kind == block_kind::rows) return body_svg(g, b, c, false);
  std::string kind = b.kind == block_kind::dns ? "dns" : "session";
  std::string out = fmt::format("<details class=\"blk {}\"{}><summary><span class=\"folded\">{}</span>"
                                "<span class=\"unfolded\">{}</span></summary>",
                                kind, b.folded ? "" : " open", folded_svg(g, b), title_bar(g, b));
  out += body_svg(g, b, c, true) + "</details>";
  c.last_time.clear();  // a folded block hides its times: the next row shows its own
  return out;
}

}  // namespace

std::string sequence_html(const std::vector<seq_block>& blocks, const lane_choice& lanes, const sequence_view& view) {
  geometry g = make_geometry(lanes, view);
  std::string out = fmt::format("<div class=\"seq\" data-lifelines=\"{}\">\n<div class=\"seq-head\">{}</div>\n",
                                lanes.hosts.size(), head_svg(g));
  cursor c;
  std::int64_t prev_end = -1;
  for (const auto& b : blocks) {
    if (b.rows.empty() && b.kind != block_kind::session) continue;
    if (prev_end >= 0 && b.start - prev_end >= idle_band_ms) {
      std::string band = svg_open(g, band_h, "sq");
      draw_lifelines(band, g, band_h);
      draw_band(band, g, 0, b.start - prev_end);
      out += band + "</svg>\n";
    }
    prev_end = std::max(prev_end, b.end);
    out += block_html(g, b, c) + "\n";
  }
  return out + "</div>\n";
}

}  // namespace sim::report
