// sim/report/analytics_svg.cpp - stacked outcome bars, the time-to-delivery curve, the periods strip.
#include "sim/report/analytics_svg.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "sim/core/time.hpp"
#include "sim/report/escape.hpp"
#include "sim/report/svg.hpp"

namespace sim::report {
namespace {

constexpr double font_px = 12;

std::string percent(std::uint64_t n, std::uint64_t of) {
  if (of == 0) return "0%";
  double p = 100.0 * static_cast<double>(n) / static_cast<double>(of);
  return p > 0 && p < 1 ? "<1%" : fmt::format("{:.0f}%", p);
}

// A label fitted to `room` pixels and escaped.
std::string fitted(std::string_view text, double room, bool bold = false) {
  return xml_escape(svg::fit(one_line(text), room, font_px, false, bold));
}

std::string bar_row(const campaign::delivery_row& row, std::string_view name, double y, double width, bool total) {
  constexpr double label_w = 180, count_w = 96, h = 16;
  double x = label_w, room = width - label_w - count_w;
  std::string out = fmt::format("<g class=\"bar{}\"><text class=\"bl\" x=\"0\" y=\"{}\">{}</text>", total ? " total" : "",
                                svg::num(y + 12), fitted(name, label_w - 10, total));
  for (const auto& p : outcome_parts(row)) {
    if (p.count == 0 || row.sent == 0) continue;
    double w = room * static_cast<double>(p.count) / static_cast<double>(row.sent);
    out += fmt::format("<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}: {} {} of {} ({})</title>"
                       "</rect>", p.css, svg::num(x), svg::num(y), svg::num(std::max(w, 0.6)), svg::num(h),
                       xml_escape(one_line(name)), p.count, p.words, row.sent, percent(p.count, row.sent));
    std::string n = std::to_string(p.count);
    if (svg::text_width(n, 10.5, false) + 6 <= w)
      out += fmt::format("<text class=\"bn {}\" x=\"{}\" y=\"{}\">{}</text>", p.css, svg::num(x + w / 2), svg::num(y + 12), n);
    x += w;
  }
  return out + fmt::format("<text class=\"bs\" x=\"{}\" y=\"{}\">{} sent</text></g>", svg::num(width - count_w + 8),
                           svg::num(y + 12), row.sent);
}

// Ticks for a logarithmic time axis, in ms: 1-2-5 steps, then the units of time.
constexpr std::int64_t log_ticks[] = {1,          2,          5,          10,          20,          50,
                                      100,        200,        500,        1'000,       2'000,       5'000,
                                      10'000,     30'000,     60'000,     120'000,     300'000,     600'000,
                                      1'800'000,  3'600'000,  7'200'000,  21'600'000,  43'200'000,  86'400'000,
                                      172'800'000, 604'800'000, 2'592'000'000};

// Ticks for a linear time axis: the first step that gives at most eight.
std::int64_t linear_step(std::int64_t end) {
  constexpr std::int64_t steps[] = {1'000, 10'000, 60'000, 300'000, 600'000, 1'800'000, 3'600'000, 7'200'000,
                                    21'600'000, 43'200'000, 86'400'000, 172'800'000, 604'800'000};
  for (auto s : steps)
    if (end / s <= 8) return s;
  return end / 8 + 1;
}

}  // namespace

std::vector<bar_part> outcome_parts(const campaign::delivery_row& r) {
  return {{"s-inbox", "reached the inbox at once", r.inbox - r.deferred_inbox},
          {"s-junk", "were filed as junk", r.junk - r.deferred_junk},
          {"s-late", "were deferred, then delivered", r.deferred_inbox + r.deferred_junk},
          {"s-hard", "bounced hard (5.x.x)", r.bounced_hard},
          {"s-soft", "bounced soft (4.x.x, expired in the queue)", r.bounced_soft},
          {"s-queued", "were still queued at the end", r.queued},
          {"s-rejected", "were refused at submission", r.rejected}};
}

std::string outcome_bars_svg(const campaign::campaign_result& c, double width) {
  constexpr double row_h = 24;
  std::size_t rows = c.domains.size() + 1;
  double height = static_cast<double>(rows) * row_h + 4;
  std::string out = fmt::format("<svg class=\"bars\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" "
                                "height=\"{}\" role=\"img\" aria-label=\"what became of the recipients, per domain\">",
                                svg::num(width), svg::num(height), svg::num(width), svg::num(height));
  double y = 2;
  for (const auto& d : c.domains) {
    out += bar_row(d, d.domain, y, width, false);
    y += row_h;
  }
  out += fmt::format("<line class=\"sep\" x1=\"0\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>", svg::num(width), svg::num(y - 4), svg::num(y - 4));
  out += bar_row(c.total, "all domains", y, width, true);
  return out + "</svg>";
}

std::string outcome_legend_html() {
  std::string out = "<p class=\"legend bars\">";
  campaign::delivery_row none;
  for (const auto& p : outcome_parts(none)) out += fmt::format("<span class=\"{}\">{}</span>", p.css, p.words);
  return out + "</p>\n";
}

std::string delivery_curve_svg(const campaign::latency& l, double width) {
  if (l.count == 0 || l.quantiles.size() < 2) return "";
  constexpr double left = 46, right = 26, top = 10, plot_h = 150, bottom = 30;
  double plot_w = width - left - right, height = top + plot_h + bottom;
  std::int64_t low = std::max<std::int64_t>(l.quantiles.front(), 1), high = std::max<std::int64_t>(l.max, 1);
  std::int64_t lo = log_ticks[0], hi = log_ticks[std::size(log_ticks) - 1];
  for (auto t : log_ticks)
    if (t <= low) lo = t;
  for (auto it = std::rbegin(log_ticks); it != std::rend(log_ticks); ++it)
    if (*it >= high) hi = *it;
  if (hi <= lo) hi = lo * 10;
  double span = std::log(static_cast<double>(hi)) - std::log(static_cast<double>(lo));
  auto x_of = [&](std::int64_t ms) {
    double v = static_cast<double>(std::clamp(ms, lo, hi));
    return left + (std::log(v) - std::log(static_cast<double>(lo))) / span * plot_w;
  };
  auto y_of = [&](double share) { return top + plot_h * (1 - share); };
  std::string out = fmt::format("<svg class=\"curve\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" "
                                "height=\"{}\" role=\"img\" aria-label=\"share delivered against time to delivery\">",
                                svg::num(width), svg::num(height), svg::num(width), svg::num(height));
  for (double s : {0.0, 0.5, 0.9, 1.0})
    out += fmt::format("<line class=\"grid\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/><text class=\"ax\" x=\"{}\" y=\"{}\" "
                       "text-anchor=\"end\">{:.0f}%</text>", svg::num(left), svg::num(left + plot_w), svg::num(y_of(s)),
                       svg::num(y_of(s)), svg::num(left - 5), svg::num(y_of(s) + 4), s * 100);
  double labelled = -100;  // a tick's label only where there is room for it
  for (auto t : log_ticks) {
    if (t < lo || t > hi) continue;
    double x = x_of(t);
    out += fmt::format("<line class=\"grid\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>", svg::num(x), svg::num(top),
                       svg::num(top + plot_h));
    if (x - labelled < 44) continue;
    labelled = x;
    out += fmt::format("<text class=\"ax\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", svg::num(x),
                       svg::num(top + plot_h + 14), svg::human_duration(t));
  }
  // A step curve: the share reaches q/20 at the q-th quantile.
  std::string path = fmt::format("M{},{}", svg::num(x_of(l.quantiles.front())), svg::num(y_of(0)));
  std::size_t n = l.quantiles.size() - 1;
  for (std::size_t i = 1; i <= n; ++i) {
    double share = static_cast<double>(i) / static_cast<double>(n);
    path += fmt::format(" H{} V{}", svg::num(x_of(l.quantiles[i])), svg::num(y_of(share)));
  }
  out += "<path class=\"cdf\" d=\"" + path + "\"/>";
  struct mark { const char* name; double share; std::int64_t ms; };
  for (const mark& m : {mark{"p50", 0.5, l.p50}, mark{"p90", 0.9, l.p90}, mark{"p99", 0.99, l.p99}})
    out += fmt::format("<circle class=\"pm\" cx=\"{}\" cy=\"{}\" r=\"3.5\"><title>{}: {}</title></circle>", svg::num(x_of(m.ms)),
                       svg::num(y_of(m.share)), m.name, svg::human_duration(m.ms));
  out += fmt::format("<text class=\"ax\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">time from writing to filing "
                     "(logarithmic)</text>", svg::num(left + plot_w / 2), svg::num(height - 2));
  return out + "</svg>";
}

std::vector<period_row> listing_rows(const std::vector<campaign::listing>& listings) {
  std::vector<period_row> rows;
  for (const auto& l : listings) {
    std::string name = l.ip + " on " + l.zone;
    auto it = std::find_if(rows.begin(), rows.end(), [&](const period_row& r) { return r.label == name; });
    if (it == rows.end()) it = rows.insert(rows.end(), period_row{name, {}});
    it->spans.push_back({l.from, l.to, "p-listed", "listed on " + l.zone});
  }
  return rows;
}

std::vector<period_row> reputation_rows(const std::vector<campaign::reputation_period>& periods) {
  std::vector<period_row> rows;
  for (const auto& p : periods) {
    std::string name = p.key + " at " + p.host;
    auto it = std::find_if(rows.begin(), rows.end(), [&](const period_row& r) { return r.label == name; });
    if (it == rows.end()) it = rows.insert(rows.end(), period_row{name, {}});
    it->spans.push_back({p.from, p.to, "p-" + p.state, p.host + " puts the sending " + p.subject + " at " + p.state});
  }
  return rows;
}

std::string periods_svg(const std::vector<period_row>& rows, std::int64_t run_end, double width) {
  if (rows.empty()) return "";
  constexpr double label_w = 210, right = 24, row_h = 26, top = 4, axis_h = 22;
  std::int64_t end = std::max<std::int64_t>(run_end, 1);
  for (const auto& r : rows)
    for (const auto& p : r.spans) end = std::max(end, p.to.value_or(p.from));
  double plot_w = width - label_w - right, height = top + static_cast<double>(rows.size()) * row_h + axis_h;
  auto x_of = [&](std::int64_t ms) { return label_w + plot_w * static_cast<double>(std::clamp<std::int64_t>(ms, 0, end)) / static_cast<double>(end); };
  std::string out = fmt::format("<svg class=\"periods\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" "
                                "height=\"{}\" role=\"img\" aria-label=\"periods on the run's time axis\">",
                                svg::num(width), svg::num(height), svg::num(width), svg::num(height));
  double axis_y = top + static_cast<double>(rows.size()) * row_h;
  std::int64_t step = linear_step(end);
  for (std::int64_t t = 0; t <= end; t += step)
    out += fmt::format("<line class=\"grid\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/><text class=\"ax\" x=\"{0}\" y=\"{3}\" "
                       "text-anchor=\"middle\">{4}</text>", svg::num(x_of(t)), svg::num(top), svg::num(axis_y + 3),
                       svg::num(axis_y + 16), t == 0 ? std::string("0") : fmt::format("+{}", svg::human_duration(t)));
  double y = top;
  for (const auto& r : rows) {
    out += fmt::format("<g class=\"prow\"><text class=\"bl\" x=\"0\" y=\"{}\">{}</text><line class=\"track\" x1=\"{}\" "
                       "x2=\"{}\" y1=\"{}\" y2=\"{}\"/>", svg::num(y + 16), fitted(r.label, label_w - 10),
                       svg::num(label_w), svg::num(label_w + plot_w), svg::num(y + 12), svg::num(y + 12));
    for (const auto& p : r.spans) {
      double x0 = x_of(p.from), x1 = x_of(p.to.value_or(end)), w = std::max(x1 - x0, 2.0);
      std::string until = p.to ? fmt::format("to {} ({})", format_offset(at_millis(*p.to)), svg::human_duration(*p.to - p.from))
                               : std::string("to the end of the run");
      out += fmt::format("<rect class=\"{}{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" rx=\"2\"><title>{}: from {} {}</title>"
                         "</rect>", xml_escape(p.css, true), p.to ? "" : " open", svg::num(x0), svg::num(y + 4), svg::num(w),
                         xml_escape(one_line(p.words)), format_offset(at_millis(p.from)), until);
      if (std::string words = svg::fit(one_line(p.words), w - 8, 10.5, false); !words.empty() && w > 40)
        out += fmt::format("<text class=\"pw\" x=\"{}\" y=\"{}\">{}</text>", svg::num(x0 + 4), svg::num(y + 16), xml_escape(words));
    }
    out += "</g>";
    y += row_h;
  }
  return out + "</svg>";
}

}  // namespace sim::report
