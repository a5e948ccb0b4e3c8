// sim/report/html.cpp - rendering the HTML report page.
#include "sim/report/html.hpp"

#include <fmt/format.h>

#include "sim/core/time.hpp"
#include "sim/report/escape.hpp"
#include "sim/report/narrate.hpp"

namespace sim::report {
namespace {

constexpr const char* style = R"(
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; padding: 0 1em; color: #222; }
h1 { margin-bottom: 0.2em; }
.id, .legend, footer { color: #666; font-size: 0.9em; }
.description { white-space: pre-wrap; font-size: 1.05em; }
.summary { font-weight: bold; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { text-align: left; padding: 0.2em 0.6em; border-bottom: 1px solid #eee; vertical-align: top; }
th { background: #f4f4f4; }
td.time { white-space: nowrap; font-family: monospace; color: #555; }
td.host { white-space: nowrap; }
td.agent { font-variant: small-caps; color: #555; }
tr.wire td.what { font-family: monospace; white-space: pre-wrap; }
tr.command td.what { color: #1a4f8b; }
tr.reply td.what { color: #333; }
tr.ok td.what { color: #1d6b2a; }
tr.tempfail td.what { color: #9a6200; }
tr.permfail td.what { color: #b3261e; }
tr.good { background: #eef8ee; }
tr.warn { background: #fdf6e3; }
tr.bad { background: #fdecea; }
tr.sim td { color: #666; font-style: italic; }
ul.expect { list-style: none; padding: 0; }
ul.expect li { margin: 0.3em 0; }
.badge { display: inline-block; min-width: 3em; text-align: center; font-weight: bold; border-radius: 3px;
         padding: 0 0.3em; margin-right: 0.5em; color: #fff; font-family: monospace; }
.pass .badge { background: #2e7d32; }
.fail .badge { background: #c62828; }
)";

std::string field(const event& e, const char* key) {
  auto it = e.find(key);
  return it != e.end() && it->is_string() ? it->get<std::string>() : "";
}

// The row's CSS classes: SMTP/POP3 wire lines, reply class (RFC 5321 4.2.1:
// 2xx/3xx positive, 4xx transient, 5xx permanent) and good/bad outcomes.
std::string row_class(const event& e) {
  std::string name = field(e, "event");
  if (name == "smtp.command" || name == "pop3.command" || name == "smtp.data") return "wire command";
  if (name == "pop3.reply") return "wire reply";
  if (name == "smtp.reply") {
    int code = e.value("code", 0);
    return code >= 500 ? "wire reply permfail" : code >= 400 ? "wire reply tempfail" : "wire reply ok";
  }
  if (name == "queue.delivered" || name == "lda.deliver") return "good";
  if (name == "queue.defer" || name == "queue.warn" || name == "net.connect.timeout") return "warn";
  if (name == "queue.bounce" || name == "lda.reject" || name == "bounce.create" || name == "net.connect.refused" ||
      name == "net.reset" || name == "host.crash")
    return "bad";
  if (name.starts_with("sim.")) return "sim";
  return "";
}

// A multiline SMTP reply is shown as it was on the wire, one line under the other.
std::string what_cell(const event& e, const std::string& words) {
  auto lines = e.find("lines");
  if (field(e, "event") != "smtp.reply" || lines == e.end() || !lines->is_array() || lines->size() < 2)
    return xml_escape(words);
  std::string out = "&lt;&lt;&lt; ";
  for (std::size_t i = 0; i < lines->size(); ++i) {
    const auto& l = (*lines)[i];
    // Four spaces line the continuation lines up under the first, after "<<< ".
    out += (i ? "<br>    " : "") + xml_escape(one_line(l.is_string() ? l.get<std::string>() : l.dump()));
  }
  return out;
}

std::string timeline_table(const std::vector<event>& events) {
  std::string rows;
  for (const auto& e : events) {
    auto words = describe(e, false);
    if (!words) continue;
    std::string time = format_offset(at_millis(e.value("t", std::int64_t{0})));
    std::string classes = row_class(e);
    rows += fmt::format(
        "<tr{} title=\"{}\"><td class=\"time\">{}</td><td class=\"host\">{}</td>"
        "<td class=\"agent\">{}</td><td class=\"what\">{}</td></tr>\n",
        classes.empty() ? "" : " class=\"" + classes + "\"", xml_escape(field(e, "event"), true), time, xml_escape(one_line(field(e, "host"))),
        xml_escape(one_line(field(e, "agent"))), what_cell(e, *words));
  }
  return "<table class=\"timeline\">\n<thead><tr><th>time</th><th>host</th><th>agent</th><th>what happened</th>"
         "</tr></thead>\n<tbody>\n" + rows + "</tbody>\n</table>\n";
}

std::string expectation_list(const std::vector<std::string>& lines) {
  std::string out = "<ul class=\"expect\">\n";
  for (const auto& line : lines) {
    bool pass = line.starts_with("PASS"), fail = line.starts_with("FAIL");
    std::string rest = pass || fail ? line.substr(4) : line;
    if (rest.starts_with(' ')) rest.erase(0, 1);
    out += fmt::format("<li class=\"{}\"><span class=\"badge\">{}</span>{}</li>\n", pass ? "pass" : "fail",
                       pass ? "PASS" : "FAIL", xml_escape(rest));
  }
  if (lines.empty()) out += "<li>This scenario states no expectations.</li>\n";
  return out + "</ul>\n";
}

}  // namespace

std::string report_html(const scenario_report& r, const std::vector<event>& events) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>{} - mailsim</title>\n<style>{}</style>\n</head>\n<body>\n", xml_escape(r.title), style);
  out += fmt::format("<header>\n<h1>{}</h1>\n<p class=\"id\">scenario <code>{}</code> &middot; {}</p>\n",
                     xml_escape(r.title), xml_escape(r.scenario), xml_escape(r.summary));
  if (!r.description.empty()) out += fmt::format("<p class=\"description\">{}</p>\n", xml_escape(r.description));
  out += "</header>\n<section>\n<h2>Timeline</h2>\n";
  out += "<p class=\"legend\">Time is simulated time since the scenario started. "
         "<code>&gt;&gt;&gt;</code> is a line a client sent, <code>&lt;&lt;&lt;</code> a server's reply: "
         "green 2xx/3xx replies accept, amber 4xx ask to try again later, red 5xx refuse for good. "
         "Hover over a row to see its trace event name.</p>\n";
  out += timeline_table(events);
  out += "</section>\n<section>\n<h2>Expectations</h2>\n" + expectation_list(r.expectations);
  out += fmt::format("<p class=\"summary\">{}</p>\n</section>\n", xml_escape(r.summary));
  out += fmt::format("<footer>Written by mailsim. Every event of this run is in <code>{}.trace.jsonl</code> "
                     "(JSON Lines).</footer>\n</body>\n</html>\n", xml_escape(r.scenario));
  return out;
}

}  // namespace sim::report
