// sim/report/html.cpp - reading the trace into the report's models and putting the page together.
#include "sim/report/html.hpp"

#include <algorithm>
#include <istream>

#include <fmt/format.h>

#include "sim/core/time.hpp"
#include "sim/report/analytics_section.hpp"
#include "sim/report/escape.hpp"
#include "sim/report/glossary.hpp"
#include "sim/report/message_view.hpp"
#include "sim/report/page_assets.hpp"
#include "sim/report/sections.hpp"
#include "sim/report/sequence_fold.hpp"
#include "sim/report/sequence_svg.hpp"
#include "sim/report/svg.hpp"
#include "sim/report/topology.hpp"

namespace sim::report {
namespace {

constexpr double page_width = 1160;

struct section {
  std::string id, title, body;
};

// "MSA · MX 10 · LDA": what a host is, short enough for a lifeline's head.
std::string short_roles(const host_summary& h) {
  std::string out;
  for (const auto& r : h.roles) {
    std::string word;
    switch (r.kind) {
      case role_kind::client: word = "MUA"; break;
      case role_kind::submission: word = "MSA"; break;
      case role_kind::mx:
      case role_kind::backup_mx: word = r.text.substr(0, r.text.find(" for ")); break;
      case role_kind::relay: word = "relay"; break;
      case role_kind::smarthost: word = "smarthost"; break;
      case role_kind::via_smarthost: word = "via smarthost"; break;
      case role_kind::lda: word = "LDA"; break;
      case role_kind::policy:
      case role_kind::dnsbl: break;
    }
    if (!word.empty() && out.find(word) == std::string::npos) out += (out.empty() ? "" : " \xC2\xB7 ") + word;
  }
  return out.empty() ? "MTA" : out;
}

std::string map_section(const report_input& in, const world_model& world, const report_limits& limits) {
  map_layout map = layout_map(in.scenario, world, limits.max_map_hosts, page_width);
  std::string out =
      "<p class=\"caption\">Each box is a host: its name, what it does in this scenario, its addresses. Arrows are the "
      "connections that happened and what they carried; a dashed red arrow ending in \xE2\x9C\x95 was refused or never "
      "answered; \xE2\x9A\xA0 marks a fault the scenario injected, and when it held.</p>\n";
  out += "<div class=\"mapbox\">" + map_svg(map) + "</div>\n";
  out += "<p class=\"legend\"><span class=\"l-cmd\">mail handed over (SMTP)</span><span class=\"l-fetch\">fetched by a "
         "reader (POP3)</span><span class=\"l-perm\">refused or unanswered</span></p>\n";
  if (map.hidden_hosts)
    out += fmt::format("<p class=\"cut\">{} hosts are not drawn (the map keeps the {} most connected); {} of their "
                       "routes are left out.</p>\n", map.hidden_hosts, limits.max_map_hosts - 1, map.hidden_routes);
  if (world.faults_dropped())
    out += fmt::format("<p class=\"cut\">{} more faults are not listed.</p>\n", world.faults_dropped());
  return out;
}

std::string sequence_notes(const fold_result& folded, const lane_choice& lanes, const sequence_model& seq) {
  std::string out;
  if (folded.sessions || folded.dns_groups)
    out += fmt::format("<p class=\"cut\">To keep the diagram legible, {} session{} and {} group{} of DNS lookups are "
                       "folded to one arrow (\xE2\x96\xB8): click one to unfold it.</p>\n",
                       folded.sessions, folded.sessions == 1 ? "" : "s", folded.dns_groups, folded.dns_groups == 1 ? "" : "s");
  if (!lanes.others.empty())
    out += fmt::format("<p class=\"cut\">{} hosts share the lifeline \xE2\x80\x9Cother hosts\xE2\x80\x9D: only the {} "
                       "busiest have their own.</p>\n", lanes.others.size(), lanes.hosts.size());
  if (seq.dropped_events())
    out += fmt::format("<p class=\"cut\">The diagram stops at {}: {} later events are not drawn (the narrated timeline "
                       "and the trace have them).</p>\n", xml_escape(format_offset(at_millis(seq.dropped_from()))),
                       seq.dropped_events());
  return out;
}


constexpr const char* sequence_caption =
    "<p class=\"caption\">Time runs down; each column is a host's lifeline, the last one is DNS. Solid arrows are what a "
    "client sends, dashed arrows the answers: green accepts (2xx, 3xx), amber asks to try again later (4xx), red "
    "refuses for good (5xx); purple is DNS. Pills on a lifeline are what that host decides: queued, deferred, filed. "
    "Each session sits in a frame: click its title bar to fold it to one arrow, click the arrow to unfold it. "
    "\u00d7N marks a line repeated N times, drawn once.</p>\n"
    "<p class=\"legend\"><span class=\"l-cmd\">command</span><span class=\"l-ok\">2xx/3xx reply</span>"
    "<span class=\"l-temp\">4xx reply</span><span class=\"l-perm\">5xx reply, refused</span>"
    "<span class=\"l-dns\">DNS</span></p>\n"
    "<p id=\"seq-tools\" hidden><button type=\"button\" data-open=\"1\">unfold every session</button>"
    "<button type=\"button\" data-open=\"0\">fold every session</button></p>\n";

// The message list, then one article per message while the section's share of the page lasts.
std::string messages_body(const report_input& in, const message_model& messages, const report_limits& limits) {
  std::size_t views = std::min(messages.messages().size(), limits.max_messages);
  std::string out = "<p class=\"caption\">Every message the run followed: where it went, what each host did with it, "
                    "and the copy that was filed, its header explained line by line.</p>\n";
  out += message_list_html(messages, views, limits.max_listed_messages);
  filed_index copies(in.delivered);
  message_context ctx{in.delivered, copies, messages, limits};
  std::size_t budget = limits.max_page_bytes / 3;
  for (std::size_t i = 0; i < views; ++i) {
    std::string article = message_article(messages.messages()[i], ctx);
    if (out.size() + article.size() > budget) {
      out += fmt::format("<p class=\"cut\">The views of the last {} messages are left out to keep the page under its "
                         "size limit.</p>\n", views - i);
      break;
    }
    out += article;
  }
  return out;
}

// Sections over the size cap give way, the largest first, to a line saying so.
void enforce_cap(std::vector<section>& sections, std::size_t cap) {
  auto total = [&] {
    std::size_t n = 64 * 1024;  // head, style, script, header: well under this
    for (const auto& s : sections) n += s.body.size() + 200;
    return n;
  };
  while (total() > cap) {
    auto big = std::max_element(sections.begin(), sections.end(),
                                [](const section& a, const section& b) { return a.body.size() < b.body.size(); });
    if (big->body.size() < 1024) break;
    big->body = fmt::format("<p class=\"cut\">This section is left out: with it the page would be larger than its limit "
                            "of {} bytes.</p>\n", cap);
  }
}

std::string page(const report_input& in, std::vector<section>& sections, std::size_t cap, std::size_t unreadable) {
  enforce_cap(sections, cap);
  const scenario_summary& s = in.scenario;
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"" + xml_escape(page_policy(), true) + "\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>{} \u2014 mailsim</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n",
                     xml_escape(one_line(s.title)), page_style());
  out += fmt::format("<header class=\"top\">\n<h1>{}</h1>\n<p class=\"id\">scenario <code>{}</code> \u00b7 seed {} \u00b7 "
                     "starts {} \u00b7 {}</p>\n", xml_escape(one_line(s.title)), xml_escape(s.id), s.seed,
                     xml_escape(s.start), xml_escape(in.summary));
  if (!s.description.empty()) out += "<p class=\"description\">" + link_terms(s.description) + "</p>\n";
  out += "<nav class=\"toc\">";
  for (const auto& sec : sections) out += fmt::format("<a href=\"#{}\">{}</a>", sec.id, xml_escape(sec.title));
  out += "</nav>\n</header>\n";
  std::size_t failed = std::count_if(in.expectations.begin(), in.expectations.end(),
                                     [](const expectation_line& e) { return !e.pass; });
  if (failed)
    out += fmt::format("<p class=\"alert\"><b>{} expectation{} failed.</b> <a href=\"#expectations\">See which and why</a>.</p>\n",
                       failed, failed == 1 ? "" : "s");
  if (unreadable)
    out += fmt::format("<p class=\"alert\">{} lines of the trace could not be read and are left out.</p>\n", unreadable);
  for (const auto& sec : sections)
    out += fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n{}</section>\n", sec.id, xml_escape(sec.title), sec.body);
  out += fmt::format("<footer>Written by mailsim from the trace of this run; every event is in <code>{}.trace.jsonl</code> "
                     "(JSON Lines) and every narrated line in <code>{}.timeline.txt</code>.</footer>\n</main>\n",
                     xml_escape(s.id), xml_escape(s.id));
  return out + "<script>" + page_script() + "</script>\n</body>\n</html>\n";
}

}  // namespace

struct report_builder::models {
  explicit models(const report_limits& l) : limits(l), seq(l), messages(l) {}
  report_limits limits;
  sequence_model seq;
  message_model messages;
  world_model world;
};

report_builder::report_builder(const report_limits& limits) : m_(std::make_unique<models>(limits)) {}
report_builder::~report_builder() = default;

void report_builder::add(const json_event& e) {
  if (!e.is_object()) {
    m_->world.unreadable_line();
    return;
  }
  m_->seq.add(e);
  m_->messages.add(e);
  m_->world.add(e);
}

void report_builder::add_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  if (line.empty()) return;
  json_event e = json_event::parse(line, nullptr, false);
  if (e.is_discarded() || !e.is_object()) {
    m_->world.unreadable_line();
    return;
  }
  add(e);
}

std::string report_builder::html(const report_input& in) {
  const report_limits& limits = m_->limits;
  m_->seq.finish();
  fold_result folded = fold_blocks(m_->seq.blocks(), limits.open_rows);
  std::vector<std::string> hosts;
  sequence_view view;
  view.width = page_width;
  for (const auto& h : in.scenario.hosts) {
    hosts.push_back(h.name);
    view.roles[h.name] = short_roles(h);
  }
  for (const auto& h : m_->world.hosts_seen())
    if (!view.roles.count(h)) view.roles[h] = "anonymous client";
  lane_choice lanes = choose_lanes(m_->seq.lanes(), m_->seq.lane_activity(), hosts, limits.max_lifelines);

  std::vector<section> sections;
  sections.push_back({"glance", "At a glance", glance_html(in, m_->world.totals(), m_->messages)});
  if (!in.campaigns.empty())
    sections.push_back({"analytics", "Delivery analytics", analytics_html(in.campaigns, m_->world.totals().end, page_width)});
  sections.push_back({"map", "The map: where the mail went", map_section(in, m_->world, limits)});
  sections.push_back({"sequence", "The sequence: who said what, and when",
                      sequence_caption + sequence_html(m_->seq.blocks(), lanes, view) +
                          sequence_notes(folded, lanes, m_->seq)});
  sections.push_back({"messages", "Each message\u2019s story", messages_body(in, m_->messages, limits)});
  sections.push_back({"expectations", "Expectations", expectations_html(in.expectations, in.summary, limits.max_expectations)});
  sections.push_back({"timeline", "The narrated timeline", timeline_html(in.timeline, limits.max_timeline_lines)});
  sections.push_back({"glossary", "Glossary", glossary_html()});
  return page(in, sections, limits.max_page_bytes, m_->world.totals().unreadable_lines);
}

std::string report_html(const report_input& input, std::istream& trace_jsonl, const report_limits& limits) {
  report_builder builder(limits);
  std::string line;
  while (std::getline(trace_jsonl, line)) builder.add_line(line);
  return builder.html(input);
}

}  // namespace sim::report
