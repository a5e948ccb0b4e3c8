// sim/report/message_view.cpp - one message's article: outcome, route, hops, DSNs, the copy delivered.
#include "sim/report/message_view.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/core/time.hpp"
#include "sim/report/dsn_view.hpp"
#include "sim/report/dsn_words.hpp"
#include "sim/report/escape.hpp"
#include "sim/report/glossary.hpp"
#include "sim/report/svg.hpp"
#include "sim/report/tones.hpp"

namespace sim::report {
namespace {

std::string when(std::int64_t t) { return xml_escape(format_offset(at_millis(t))); }

std::string code(const std::string& text) { return "<code>" + xml_escape(one_line(text)) + "</code>"; }

std::string envelope(const message_record& m) {
  std::string to;
  std::size_t shown = std::min<std::size_t>(m.to.size(), 8);
  for (std::size_t i = 0; i < shown; ++i) to += (to.empty() ? "" : ", ") + code("<" + m.to[i] + ">");
  if (m.recipients > shown) to += fmt::format(" and {} more", m.recipients - shown);
  return fmt::format("<p class=\"env\">from {} to {}</p>", code("<" + m.from + ">"), to.empty() ? "nobody" : to);
}

// alice-laptop → mail.sender.test → mx1.example.org → bob@example.org
std::string route_chips(const message_record& m) {
  std::string out = "<ol class=\"route\">";
  const char* arrow = "<li class=\"arr\" aria-hidden=\"true\">\xE2\x86\x92</li>";
  bool first = true;
  auto chip = [&](const std::string& cls, const std::string& html) {
    out += (first ? "" : arrow) + std::string("<li class=\"") + cls + "\">" + html + "</li>";
    first = false;
  };
  if (!m.composed_on.empty()) chip("mua", xml_escape(m.composed_on) + " <small>MUA</small>");
  for (const auto& level : route_levels(m)) {
    std::string hosts;
    for (const auto& h : level) hosts += (hosts.empty() ? "" : "<br>") + xml_escape(h);
    chip(level.size() > 1 ? "via many" : "via", hosts);
  }
  if (!m.filings.empty()) {
    std::string more = m.filed > 1 ? fmt::format(" <small>+{} more</small>", m.filed - 1) : "";
    chip("box", xml_escape(m.filings.front().mailbox) + more);
  } else if (m.bounced) {
    chip("gone", "bounced");
  }
  return out + "</ol>";
}

// What sets `last` apart from `first`, whole words: "attempt 1 for <r01@x>"
// and "attempt 1 for <r74@x>" give "<r74@x>".
std::string distinct_part(const std::string& first, const std::string& last) {
  std::size_t p = 0;
  while (p < first.size() && p < last.size() && first[p] == last[p]) ++p;
  while (p > 0 && last[p - 1] != ' ') --p;
  std::size_t q = 0;
  while (q < first.size() - p && q < last.size() - p && first[first.size() - 1 - q] == last[last.size() - 1 - q]) ++q;
  while (q > 0 && last[last.size() - q] != ' ') --q;
  return last.substr(p, last.size() - p - q);
}

struct hop_row {
  std::int64_t t;
  std::string host, words, cls;
};

std::vector<hop_row> hop_rows(const message_record& m, const message_model& model) {
  std::vector<hop_row> rows;
  for (const auto& s : m.steps) {
    std::string words = s.what;
    std::string last = s.last_what == s.what ? "" : distinct_part(s.what, s.last_what);
    if (s.repeat > 1) words += fmt::format("  \xC3\x97{}{}", s.repeat, last.empty() ? "" : " (the last: " + last + ")");
    rows.push_back({s.t, s.host, words, tone_class(s.look)});
  }
  for (const auto& f : model.fetches()) {  // fetched by the mailbox's reader afterwards
    for (const auto& filed : m.filings) {
      if (filed.mailbox != f.user || f.t < filed.t) continue;
      rows.push_back({f.t, f.client, fmt::format("{}'s MUA fetches the mailbox over POP3 ({} message{})", f.user,
                                                  f.count, f.count == 1 ? "" : "s"), tone_class(tone::deliver)});
      break;
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const hop_row& a, const hop_row& b) { return a.t < b.t; });
  return rows;
}

std::string hops_table(const message_record& m, const message_model& model) {
  std::string out = "<table class=\"hops\"><thead><tr><th>time</th><th>where</th><th>what happened</th></tr></thead><tbody>";
  std::int64_t start = m.composed_at >= 0 ? m.composed_at : m.first_t;
  for (const auto& r : hop_rows(m, model)) {
    std::string since = r.t > start ? fmt::format(" <small>(+{})</small>", xml_escape(svg::human_duration(r.t - start))) : "";
    out += fmt::format("<tr class=\"{}\"><td class=\"t\">{}{}</td><td>{}</td><td>{}</td></tr>", r.cls, when(r.t), since,
                       xml_escape(r.host), link_terms(r.words));
  }
  if (m.steps_dropped)
    out += fmt::format("<tr><td></td><td></td><td class=\"cut\">\xE2\x80\xA6 {} more steps not listed</td></tr>", m.steps_dropped);
  return out + "</tbody></table>";
}

std::string dsn_section(const dsn_link& d, const message_context& ctx) {
  std::string anchor = message_anchor(ctx.model, d.message_id);
  std::string what = d.action == "delayed" ? "a delay notice" : is_success_action(d.action) ? "a success notice" : "a bounce";
  std::string out = fmt::format(
      "<section class=\"dsn\"><h4>It caused {} (<a class=\"g\" href=\"#g-dsn\">DSN</a>) from {} to {} at {}{}</h4>", what,
      xml_escape(d.host), code("<" + d.to + ">"), when(d.t),
      anchor.empty() ? "" : " \xC2\xB7 <a href=\"#" + anchor + "\">its journey</a>");
  const auto& copies = ctx.copies.copies(d.message_id);
  if (copies.empty()) {
    out += "<p class=\"cut\">The DSN's delivered copy is not part of this report (it was not filed, or the run kept "
           "no copy of it).</p>";
  } else {
    out += dsn_html(ctx.delivered[copies.front()].raw, ctx.limits.max_message_bytes);
  }
  return out + "</section>";
}

std::string filed_at(const message_record& m, const filed_message& copy) {
  if (copy.at) return when(*copy.at);
  for (const auto& f : m.filings)
    if (f.host == copy.host && f.mailbox == copy.mailbox) return when(f.t);
  return "an unknown time";
}

std::string delivered_copy(const message_record& m, const message_context& ctx) {
  const auto& copies = ctx.copies.copies(m.message_id);
  if (copies.empty()) {
    if (m.filings.empty()) return {};
    return fmt::format("<p class=\"cut\">The LDA filed it in {} at {}, but that copy is not part of this report (the "
                       "run kept no copy of it).</p>",
                       code(m.filings.front().mailbox), when(m.filings.front().t));
  }
  const filed_message& copy = ctx.delivered[copies.front()];
  std::string folder = copy.folder.empty() ? "" : ", folder " + code(copy.folder);
  std::string out = fmt::format("<h4>As filed in {} on {}{} at {}</h4>", code(copy.mailbox), xml_escape(copy.host),
                                folder, filed_at(m, copy));
  if (copies.size() > 1) {
    std::string others;
    for (std::size_t i = 1; i < copies.size() && i < 8; ++i) others += (i > 1 ? ", " : "") + code(ctx.delivered[copies[i]].mailbox);
    if (copies.size() > 8) others += fmt::format(" and {} more", copies.size() - 8);
    out += "<p class=\"lead\">The same message was also filed in " + others + "; one copy is shown.</p>";
  }
  out += "<p class=\"lead\">Each header field beside what it says. Newest on top: the "
         "<a class=\"g\" href=\"#g-received\">Received</a> lines read from the bottom up are the route.</p>";
  bool own_dsn_body = m.is_dsn && ctx.model.find(m.dsn_about) == nullptr;
  out += annotated_copy(copy, ctx.limits.max_message_bytes, !m.is_dsn);
  if (own_dsn_body) out += dsn_html(copy.raw, ctx.limits.max_message_bytes);
  return out;
}

}  // namespace

std::pair<std::string, std::string> outcome_badge(const message_record& m) {
  if (m.is_dsn) return {m.dsn_action == "delayed" ? "delay DSN" : is_success_action(m.dsn_action) ? "success DSN" : "DSN", "dsn"};
  if (m.refused_at_submission) return {"refused", "bad"};
  if (m.filed && m.bounced) return {"partly bounced", "warn"};
  if (m.filed) return {"delivered", "good"};
  if (m.bounced) return {"bounced", "bad"};
  if (m.deferred) return {"still queued", "warn"};
  return {"in transit", "warn"};
}

std::string message_anchor(const message_model& model, const std::string& message_id) {
  const message_record* m = model.find(message_id);
  if (!m) return {};
  return fmt::format("msg-{}", m - model.messages().data() + 1);
}

std::string message_article(const message_record& m, const message_context& ctx) {
  auto [word, cls] = outcome_badge(m);
  std::string subject = m.subject.empty() ? (m.is_dsn ? "delivery status notification" : "(no subject)")
                                          : "\xE2\x80\x9C" + m.subject + "\xE2\x80\x9D";
  std::string out = fmt::format("<article class=\"msg\" id=\"{}\"><h3><span class=\"badge {}\">{}</span> {}</h3>",
                                message_anchor(ctx.model, m.message_id), cls, xml_escape(word), xml_escape(one_line(subject)));
  out += fmt::format("<p class=\"ids\">{}{}</p>", m.scenario_id.empty() ? "" : "message <code>" + xml_escape(m.scenario_id) + "</code> \xC2\xB7 ",
                     code(m.message_id));
  if (m.is_dsn) {
    std::string about = message_anchor(ctx.model, m.dsn_about);
    out += "<p class=\"lead\">A DSN about " + (about.empty() ? code(m.dsn_about) : "<a href=\"#" + about + "\">" + code(m.dsn_about) + "</a>") +
           (about.empty() ? "" : ", shown there in full") + ".</p>";
  }
  out += envelope(m) + route_chips(m) + hops_table(m, ctx.model);
  for (const auto& d : m.dsns) out += dsn_section(d, ctx);
  out += delivered_copy(m, ctx);
  return out + "</article>\n";
}

}  // namespace sim::report
