// sim/report/analytics_section.cpp - the delivery analytics of each campaign: words, table, pictures, reasons.
#include "sim/report/analytics_section.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/campaign/stats_view.hpp"
#include "sim/report/dsn_view.hpp"
#include "sim/report/escape.hpp"
#include "sim/report/glossary.hpp"
#include "sim/report/svg.hpp"

namespace sim::report {
namespace {

constexpr std::size_t shown_reasons = 5;

// 1234567 -> "1,234,567".
std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// "612 (61%)", "none".
std::string share_of(std::uint64_t n, std::uint64_t of) {
  if (n == 0) return "none";
  double p = of ? 100.0 * static_cast<double>(n) / static_cast<double>(of) : 0;
  return fmt::format("{} ({})", grouped(n), p > 0 && p < 1 ? std::string("<1%") : fmt::format("{:.0f}%", p));
}

struct time_column {
  std::string_view metric;
  const char* head;
};
constexpr time_column time_columns[] = {{"time_to_delivery_p50_ms", "p50"}, {"time_to_delivery_p90_ms", "p90"},
                                        {"time_to_delivery_p99_ms", "p99"}, {"time_to_delivery_max_ms", "max"}};

// The columns the analytics hold; opens and complaints only for a campaign
// with readers (as the terminal table).
std::vector<const analytics_column*> present_columns(const campaign::campaign_result& r) {
  std::vector<const analytics_column*> out;
  campaign::delivery_row probe;
  for (const auto& c : analytics_columns()) {
    bool reading = c.metric == "opens" || c.metric == "complaints";
    if (campaign::metric(probe, c.metric) && (r.engagement || !reading)) out.push_back(&c);
  }
  return out;
}

std::string table_row(const campaign::delivery_row& r, std::string_view name, bool total,
                      const std::vector<const analytics_column*>& cols) {
  std::string out = fmt::format("<tr{}><th scope=\"row\">{}</th>", total ? " class=\"total\"" : "",
                                total ? std::string("all domains") : "<code>" + xml_escape(one_line(name)) + "</code>");
  for (const auto* c : cols) {
    auto v = static_cast<std::uint64_t>(*campaign::metric(r, c->metric));
    out += fmt::format("<td data-metric=\"{}\" data-value=\"{}\"{}>{}</td>", c->metric, v, v ? "" : " class=\"zero\"",
                       grouped(v));
  }
  for (const auto& t : time_columns) {
    auto ms = static_cast<std::int64_t>(*campaign::metric(r, t.metric));
    out += r.time_to_delivery.count
               ? fmt::format("<td class=\"tm\" data-metric=\"{}\" data-value=\"{}\">{}</td>", t.metric, ms, svg::human_duration(ms))
               : "<td class=\"tm zero\">\xE2\x80\x93</td>";
  }
  return out + "</tr>\n";
}

std::string domain_table(const campaign::campaign_result& c) {
  auto cols = present_columns(c);
  std::string out = "<div class=\"wide\"><table class=\"stats\"><thead><tr><th scope=\"col\">receiving domain</th>";
  for (const auto* col : cols) out += fmt::format("<th scope=\"col\" title=\"{}\">{}</th>", xml_escape(col->tip, true), col->head);
  for (const auto& t : time_columns)
    out += fmt::format("<th scope=\"col\" class=\"tm\" title=\"time to delivery, {} (nearest rank)\">{}</th>", t.head, t.head);
  out += "</tr></thead><tbody>\n";
  for (const auto& d : c.domains) out += table_row(d, d.domain, false, cols);
  out += table_row(c.total, "", true, cols);
  return out + "</tbody></table></div>\n";
}

std::string latency_words(const campaign::latency& l) {
  if (l.count == 0) return "No recipient of this campaign had the mail filed, so there is no time to delivery.";
  if (l.count == 1) return fmt::format("The one delivery took {} from writing to filing.", svg::human_duration(l.max));
  return fmt::format("Time to delivery, from writing to filing, for the {} delivered: half within {}, 90% within {}, "
                     "99% within {}; the slowest took {}.", grouped(l.count), svg::human_duration(l.p50),
                     svg::human_duration(l.p90), svg::human_duration(l.p99), svg::human_duration(l.max));
}

std::string reasons_html(const campaign::delivery_row& t) {
  if (t.bounce_reasons.empty()) return "<p>No recipient bounced.</p>\n";
  std::string out = "<table class=\"list reasons\"><thead><tr><th>status</th><th>what it means</th><th>recipients</th>"
                    "<th>a sample of what the server said</th></tr></thead><tbody>\n";
  std::size_t n = std::min(t.bounce_reasons.size(), shown_reasons);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& b = t.bounce_reasons[i];
    out += fmt::format("<tr><td><code>{}</code></td><td>{}</td><td data-value=\"{}\">{}</td><td><code>{}</code></td></tr>\n",
                       b.status.empty() ? "(none)" : xml_escape(one_line(b.status)),
                       b.status.empty() ? "no enhanced status code" : xml_escape(status_meaning(b.status)), b.count,
                       grouped(b.count), xml_escape(one_line(b.sample)));
  }
  out += "</tbody></table>\n";
  if (t.bounce_reasons.size() > n)
    out += fmt::format("<p class=\"cut\">{} more status codes are not shown (the --stats file has them all).</p>\n",
                       t.bounce_reasons.size() - n);
  return out;
}

std::string periods_html(const campaign::campaign_result& c, std::int64_t run_end, double width) {
  auto rows = campaign_period_rows(c);
  if (rows.empty()) return "<p>No DNSBL listed a sending IP, and no receiver judged the sender worse than accept, during the run.</p>\n";
  std::string caption = "<p class=\"caption\">Each row is against the run's time axis (an open end: still so when the "
                        "run ended).";
  if (!c.listings.empty())
    caption += " A row \"IP on ZONE\" is a DNSBL listing, from when the list's operator added the address until it was "
               "delisted: while it lasts, every receiver that consults that list refuses the address.";
  if (!c.reputation.empty())
    caption += " A row \"IP or domain at HOST\" is that receiver's verdict on the sender (its reputation): junk (mail "
               "filed in Junk), throttle (a few messages a window, then 421) or block (550); no bar: accepted.";
  return caption + "</p>\n<div class=\"wide\">" + periods_svg(rows, run_end, width) + "</div>\n";
}

std::string campaign_article(const campaign::campaign_result& c, std::size_t index, std::int64_t run_end, double width) {
  std::string out = fmt::format("<article class=\"campaign\" id=\"campaign-{}\">\n<h3>Campaign <code>{}</code></h3>\n",
                                index + 1, xml_escape(one_line(c.id)));
  out += "<p class=\"lead\">" + link_terms(analytics_lead(c)) + "</p>\n";
  out += domain_table(c);
  out += "<h4>What became of the recipients, per receiving domain</h4>\n";
  out += "<div class=\"wide\">" + outcome_bars_svg(c, width) + "</div>\n" + outcome_legend_html();
  out += "<h4>Time to delivery</h4>\n<p>" + link_terms(latency_words(c.total.time_to_delivery)) + "</p>\n";
  if (auto curve = delivery_curve_svg(c.total.time_to_delivery, std::min(width, 640.0)); !curve.empty())
    out += "<div class=\"wide\">" + curve + "</div>\n<p class=\"caption\">The share of delivered recipients (up) that had "
           "their copy filed within a time (across); dots mark p50, p90 and p99.</p>\n";
  out += "<h4>Top bounce reasons, by enhanced status code</h4>\n" + reasons_html(c.total);
  out += "<h4>When the sender was listed or judged</h4>\n" + periods_html(c, run_end, width);
  return out + "</article>\n";
}

}  // namespace

const std::vector<analytics_column>& analytics_columns() {
  static const std::vector<analytics_column> list = {
      {"sent", "sent", "recipients the campaign's messages were written to"},
      {"inbox", "inbox", "filed in the inbox"},
      {"junk", "junk", "filed in the Junk folder (the content filter's placement)"},
      {"deferred", "deferred", "recipients with at least one temporary failure (4xx), delivered in the end or not"},
      {"queued", "still queued", "neither delivered nor bounced when the run ended"},
      {"bounced_hard", "hard bounces", "refused for good (5.x.x)"},
      {"bounced_soft", "soft bounces", "temporary failures (4.x.x) until the queue gave up"},
      {"rejected", "rejected", "refused at submission"},
      {"opens", "opens", "recipients whose reader opened the message"},
      {"complaints", "complaints", "recipients who marked the message as spam"},
      {"retries", "retries", "delivery attempts after a host's first one for a recipient"},
      {"trap_hits", "trap hits", "spam traps that took the mail"},
  };
  return list;
}

std::vector<period_row> campaign_period_rows(const campaign::campaign_result& c) {
  auto rows = listing_rows(c.listings);
  for (auto& r : reputation_rows(c.reputation)) rows.push_back(std::move(r));
  return rows;
}

std::string analytics_lead(const campaign::campaign_result& c) {
  const auto& t = c.total;
  if (t.sent == 0) return fmt::format("Campaign {} wrote to no recipient during the run.", c.id);
  std::string s = fmt::format("Of {} recipient{}, {} reached the inbox", grouped(t.sent), t.sent == 1 ? "" : "s",
                              share_of(t.inbox, t.sent));
  if (t.junk) s += fmt::format(" and {} the Junk folder", share_of(t.junk, t.sent));
  s += ".";
  if (t.deferred) {
    std::uint64_t late = t.deferred_inbox + t.deferred_junk;
    s += fmt::format(" {} {} deferred at least once (a deferral: the receiver said \"try again later\"); {} "
                     "delivered in the end.", grouped(t.deferred), t.deferred == 1 ? "was" : "were",
                     late == 0 ? std::string("none of them was") : late == t.deferred ? std::string("all were")
                                                                        : fmt::format("{} of them were", grouped(late)));
  }
  constexpr const char* hard = "a hard bounce (refused for good)";
  constexpr const char* soft = "a soft bounce (still failing when the queue gave up)";
  if (t.bounced() && t.bounced_soft == 0) s += fmt::format(" {} bounced, each as {}.", share_of(t.bounced(), t.sent), hard);
  else if (t.bounced() && t.bounced_hard == 0) s += fmt::format(" {} bounced, each as {}.", share_of(t.bounced(), t.sent), soft);
  else if (t.bounced())
    s += fmt::format(" {} bounced: {} as {}, {} as {}.", share_of(t.bounced(), t.sent), grouped(t.bounced_hard), hard,
                     grouped(t.bounced_soft), soft);
  if (t.rejected) s += fmt::format(" {} {} refused at submission.", share_of(t.rejected, t.sent), t.rejected == 1 ? "was" : "were");
  if (t.queued) s += fmt::format(" {} {} still queued when the run ended.", share_of(t.queued, t.sent), t.queued == 1 ? "was" : "were");
  if (t.trap_hits) s += fmt::format(" {} spam trap{} took the mail.", grouped(t.trap_hits), t.trap_hits == 1 ? "" : "s");
  // Engagement, once the analytics count it (metrics "opens" and "complaints").
  auto opens = campaign::metric(t, "opens"), complaints = campaign::metric(t, "complaints");
  if (c.engagement && opens && complaints)
    s += fmt::format(" Their readers opened {} and marked {} as spam.", share_of(static_cast<std::uint64_t>(*opens), t.sent),
                     share_of(static_cast<std::uint64_t>(*complaints), t.sent));
  for (const auto& l : c.listings)
    s += fmt::format(" {} was blacklisted on {} from {} {}.", l.ip, l.zone, svg::human_duration(l.from) + " into the run",
                     l.to ? fmt::format("for {}", svg::human_duration(*l.to - l.from)) : std::string("to the end of the run"));
  return s;
}

std::string analytics_html(const std::vector<campaign::campaign_result>& campaigns, std::int64_t run_end, double width) {
  if (campaigns.empty()) return "<p>This run sent no campaign.</p>\n";
  std::string out = "<p class=\"caption\">What became of each campaign's recipients, per receiving domain: the same "
                    "figures as <code>mailsim run --stats</code>, counted from the trace as the run went. A recipient "
                    "counts once, by its first outcome.</p>\n";
  for (std::size_t i = 0; i < campaigns.size(); ++i) out += campaign_article(campaigns[i], i, run_end, width);
  return out;
}

}  // namespace sim::report
