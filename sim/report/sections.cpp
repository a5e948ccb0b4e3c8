// sim/report/sections.cpp - at a glance, the message list, expectations, the narrated timeline.
#include "sim/report/sections.hpp"

#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "sim/report/escape.hpp"
#include "sim/report/glossary.hpp"
#include "sim/report/message_view.hpp"
#include "sim/report/svg.hpp"

namespace sim::report {
namespace {

std::string plural(std::size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string number_tile(std::size_t n, const std::string& what) {
  return fmt::format("<li{}><b>{}</b>{}</li>", n ? "" : " class=\"zero\"", n, link_terms(what));
}

// "+00:00:01.036  mx1.example.org  mta  words..." -> its four columns; false when it is not such a line.
bool split_line(const std::string& line, std::string (&cols)[4]) {
  std::size_t at = 0;
  for (int i = 0; i < 3; ++i) {
    at = line.find_first_not_of(' ', at);
    if (at == std::string::npos) return false;
    std::size_t end = line.find(' ', at);
    if (end == std::string::npos) return false;
    cols[i] = line.substr(at, end - at);
    at = end;
  }
  at = line.find_first_not_of(' ', at);
  cols[3] = at == std::string::npos ? "" : line.substr(at);
  return cols[0].starts_with("+");
}

// The words without the session tag the narration puts first ("[s2] >>> DATA").
std::string_view untagged(std::string_view words) {
  if (!words.starts_with("[")) return words;
  auto end = words.find("] ");
  return end == std::string_view::npos || words.find(' ') < end ? words : words.substr(end + 2);
}

const char* line_class(std::string_view words) {
  words = untagged(words);
  if (words.starts_with(">>> ")) return "wire cmd";
  if (words.starts_with("<<< 4")) return "wire temp";
  if (words.starts_with("<<< 5") || words.starts_with("<<< -ERR")) return "wire perm";
  if (words.starts_with("<<< ")) return "wire ok";
  auto has = [&](const char* w) { return words.find(w) != std::string_view::npos; };
  if (has("gave up") || has("bounce") || has("refused") || has("reset") || has("crashed") || has("timed out"))
    return "bad";
  if (has("deferred") || has("delay warning") || has("fault begins")) return "warn";
  if (has("filed into") || words.starts_with("delivered") || has("fetched")) return "good";
  return "";
}

std::string timeline_row(const std::string& line) {
  std::string cols[4];
  if (!split_line(line, cols))
    return "<tr><td colspan=\"4\" class=\"what\">" + xml_escape(one_line(line)) + "</td></tr>\n";
  const char* cls = line_class(cols[3]);
  bool wire = std::string_view(cls).starts_with("wire");
  return fmt::format("<tr{}><td class=\"time\">{}</td><td>{}</td><td class=\"agent\">{}</td><td class=\"what\">{}</td></tr>\n",
                     *cls ? std::string(" class=\"") + cls + "\"" : "", xml_escape(cols[0]), xml_escape(cols[1]),
                     xml_escape(cols[2]), wire ? xml_escape(one_line(cols[3])) : link_terms(one_line(cols[3])));
}

}  // namespace

std::string glance_html(const report_input& input, const run_totals& t, const message_model& messages) {
  std::string words = plural(t.composed, "message was", "messages were") + " written";
  if (t.filed) {
    words += "; " + plural(t.filed, "copy was filed in a mailbox", "copies were filed in mailboxes");
    if (t.first_compose >= 0 && t.last_filed >= t.first_compose) {
      std::string d = svg::human_duration(t.last_filed - t.first_compose);
      words += t.composed == 1 && t.filed == 1 ? " " + d + " later" : ", the last " + d + " after the first message was written";
    }
  }
  if (t.submitted_refused) words += "; " + plural(t.submitted_refused, "submission was", "submissions were") + " refused";
  if (t.deferrals) words += "; " + plural(t.deferrals, "delivery was", "deliveries were") + " deferred and retried";
  if (t.bounced_rcpts) words += "; " + plural(t.bounced_rcpts, "recipient", "recipients") + " bounced";
  if (t.dsns) words += " (" + plural(t.dsns, "DSN", "DSNs") + " sent back)";
  if (!t.bounced_rcpts && !t.dsns) words += "; no bounce";
  std::size_t passed = 0;
  for (const auto& e : input.expectations) passed += e.pass ? 1 : 0;
  std::string out = "<p class=\"glance\">" + link_terms(words + ".") + fmt::format(
      " The run covers {} of simulated time; {} of {} expectations held.</p>\n", svg::human_duration(t.end), passed,
      input.expectations.size());
  out += "<ul class=\"numbers\">";
  out += number_tile(t.composed, "written by an MUA");
  out += number_tile(t.queued, "times queued by an MTA");
  out += number_tile(t.filed, "copies filed by an LDA");
  out += number_tile(t.deferrals, "deferrals, retried");
  out += number_tile(t.bounced_rcpts, "recipients bounced");
  out += number_tile(t.dsns, "DSNs");
  out += number_tile(t.sessions, "connections");
  out += number_tile(t.dns_queries, fmt::format("DNS questions, {} failed", t.dns_failures));
  out += "</ul>\n";
  if (messages.untracked())
    out += fmt::format("<p class=\"cut\">{} more messages are counted above but not followed one by one.</p>\n",
                       messages.untracked());
  return out;
}

std::string message_list_html(const message_model& messages, std::size_t with_views, std::size_t max_rows) {
  const auto& all = messages.messages();
  if (all.empty()) return "<p>No message went through a queue or a mailbox in this run.</p>\n";
  std::string out = "<table class=\"list\"><thead><tr><th>outcome</th><th>message</th><th>from</th><th>to</th>"
                    "<th>route</th></tr></thead><tbody>\n";
  std::size_t rows = std::min(all.size(), max_rows);
  for (std::size_t i = 0; i < rows; ++i) {
    const auto& m = all[i];
    auto [word, cls] = outcome_badge(m);
    std::string title = m.subject.empty() ? (m.is_dsn ? "delivery status notification" : m.message_id) : m.subject;
    std::string name = i < with_views ? fmt::format("<a href=\"#msg-{}\">{}</a>", i + 1, xml_escape(one_line(title)))
                                      : xml_escape(one_line(title));
    std::string to = m.to.empty() ? "" : m.to.front();
    if (m.recipients > 1) to += fmt::format(" +{}", m.recipients - 1);
    std::string route;
    for (const auto& level : route_levels(m)) {
      std::string hosts;
      for (const auto& h : level) hosts += (hosts.empty() ? "" : ", ") + h;
      route += (route.empty() ? "" : " \xE2\x86\x92 ") + (level.size() > 1 ? "{" + hosts + "}" : hosts);
    }
    out += fmt::format("<tr><td><span class=\"badge {}\">{}</span></td><td>{}</td><td><code>{}</code></td>"
                       "<td><code>{}</code></td><td>{}</td></tr>\n",
                       cls, xml_escape(word), name, xml_escape(one_line(m.from.empty() ? "<>" : m.from)),
                       xml_escape(one_line(to)), xml_escape(one_line(route)));
  }
  out += "</tbody></table>\n";
  if (all.size() > with_views)
    out += fmt::format("<p class=\"cut\">The first {} messages have a full view below; the others are listed only.</p>\n",
                       with_views);
  if (all.size() > rows) out += fmt::format("<p class=\"cut\">{} more messages are not listed.</p>\n", all.size() - rows);
  return out;
}

std::string expectations_html(const std::vector<expectation_line>& lines, const std::string& summary,
                              std::size_t max_lines) {
  std::string out = "<ul class=\"expect\">\n";
  std::size_t shown = 0;
  for (const auto& e : lines) {
    if (shown++ >= max_lines) break;
    std::string rest = e.line;
    if (rest.starts_with("PASS") || rest.starts_with("FAIL")) rest.erase(0, 4);
    if (rest.starts_with(' ')) rest.erase(0, 1);
    auto colon = rest.find(": ");
    std::string label = colon == std::string::npos ? rest : rest.substr(0, colon);
    std::string reason = colon == std::string::npos ? "" : rest.substr(colon + 2);
    out += fmt::format("<li class=\"{}\"><span class=\"badge\">{}</span><b>{}</b>{}</li>\n", e.pass ? "pass" : "fail",
                       e.pass ? "PASS" : "FAIL", xml_escape(one_line(label)),
                       reason.empty() ? "" : ": <span class=\"reason\">" + xml_escape(one_line(reason)) + "</span>");
  }
  if (lines.empty()) out += "<li>This scenario states no expectations.</li>\n";
  out += "</ul>\n";
  if (lines.size() > max_lines)
    out += fmt::format("<p class=\"cut\">{} more expectation lines are not shown.</p>\n", lines.size() - max_lines);
  return out + "<p><b>" + xml_escape(summary) + "</b></p>\n";
}

std::string timeline_html(const std::vector<std::string>& lines, std::size_t max_lines) {
  std::string out = "<p id=\"tl-filter\" hidden><label>Show only the lines containing <input type=\"search\" "
                    "placeholder=\"a host, an address, a code\"></label></p>\n"
                    "<table class=\"timeline\"><colgroup><col class=\"time\"><col class=\"host\"><col class=\"agent\">"
                    "<col></colgroup><thead><tr><th>time</th><th>host</th><th>agent</th><th>what happened</th></tr>"
                    "</thead><tbody>\n";
  std::size_t head = lines.size() <= max_lines ? lines.size() : max_lines * 3 / 4;
  std::size_t tail_from = lines.size() <= max_lines ? lines.size() : lines.size() - (max_lines - head);
  for (std::size_t i = 0; i < head; ++i) out += timeline_row(lines[i]);
  if (tail_from > head)
    out += fmt::format("<tr><td colspan=\"4\" class=\"cut\">\xE2\x80\xA6 {} lines not shown here (the .timeline.txt "
                       "file has them all) \xE2\x80\xA6</td></tr>\n", tail_from - head);
  for (std::size_t i = tail_from; i < lines.size(); ++i) out += timeline_row(lines[i]);
  return out + "</tbody></table>\n";
}

}  // namespace sim::report
