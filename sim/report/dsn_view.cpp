// sim/report/dsn_view.cpp - rendering RFC 3464 delivery status notifications.
#include "sim/report/dsn_view.hpp"

#include <fmt/format.h>

#include "sim/message/dsn.hpp"
#include "sim/message/mime.hpp"
#include "sim/report/escape.hpp"
#include "sim/report/glossary.hpp"

namespace sim::report {
namespace {

constexpr std::size_t max_human_bytes = 4096;

// RFC 3463 section 3: subjects, and the details a learner meets most.
struct detail {
  const char* code;
  const char* words;
};
constexpr detail details[] = {
    {"1.1", "bad destination mailbox address (no such user)"},
    {"1.2", "bad destination system address"},
    {"1.10", "the domain accepts no mail (null MX, RFC 7505)"},
    {"2.2", "mailbox full"},
    {"3.4", "message too big for the system"},
    {"4.1", "no answer from host"},
    {"4.2", "bad connection"},
    {"4.3", "directory server failure (DNS)"},
    {"4.4", "unable to route"},
    {"4.6", "routing loop detected"},
    {"4.7", "delivery time expired"},
    {"5.3", "too many recipients"},
    {"7.1", "delivery not authorized, message refused"},
    {"7.23", "SPF validation failed"},
    {"7.24", "SPF validation error"},
    {"0.0", "other or undefined status"},
};
constexpr const char* subjects[] = {"other or undefined",
                                    "addressing",
                                    "mailbox",
                                    "mail system",
                                    "network and routing",
                                    "mail delivery protocol",
                                    "message content or media",
                                    "security or policy"};

std::string cut(std::string_view text, std::size_t max_bytes, std::size_t& left_out) {
  left_out = 0;
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  left_out = text.size() - end;
  return std::string(text.substr(0, end));
}

// The first text/plain part of a multipart/report: what the MTA wrote for people.
std::string human_part(std::string_view raw) {
  auto tree = message::parse_mime(raw);
  for (const auto& child : tree.children) {
    if (message::content_type_of(child.entity).mime_type() == "text/plain") return message::decode_body(child.entity);
  }
  return {};
}

void row(std::string& out, const char* name, const std::string& value, const std::string& note = {}) {
  if (value.empty()) return;
  out += fmt::format("<tr><th>{}</th><td><code>{}</code>{}</td></tr>", name, xml_escape(one_line(value)),
                     note.empty() ? "" : " <span class=\"why\">" + xml_escape(note) + "</span>");
}

}  // namespace

std::string status_meaning(std::string_view status) {
  if (status.size() < 5 || status[1] != '.') return {};
  const char* klass = status[0] == '2' ? "success" : status[0] == '4' ? "temporary failure, retried"
                    : status[0] == '5' ? "permanent failure" : nullptr;
  if (!klass) return {};
  std::string_view rest = status.substr(2);
  for (const auto& d : details)
    if (rest == d.code) return fmt::format("{}: {}", klass, d.words);
  auto dot = rest.find('.');
  unsigned subject = dot == 1 && rest[0] >= '0' && rest[0] <= '7' ? static_cast<unsigned>(rest[0] - '0') : 0;
  return fmt::format("{}: {}", klass, subjects[subject]);
}

std::string capped_pre(std::string_view text, std::size_t max_bytes, const char* css_class) {
  std::size_t left_out = 0;
  std::string shown = cut(text, max_bytes, left_out);
  std::string out = fmt::format("<pre class=\"{}\">{}</pre>", css_class, xml_escape(shown));
  if (left_out) out += fmt::format("<p class=\"cut\">\xE2\x80\xA6 {} more bytes not shown here.</p>", left_out);
  return out;
}

std::string dsn_html(std::string_view raw, std::size_t max_bytes) {
  std::string out;
  auto report = message::parse_dsn(raw);
  if (report) {
    std::string human = human_part(raw);
    if (!human.empty())
      out += "<p class=\"lead\">What the MTA wrote for people:</p>" + capped_pre(human, max_human_bytes, "dsn-text");
    out += "<p class=\"lead\">The machine-readable <a class=\"g\" href=\"#g-dsn\">delivery status</a>:</p>"
           "<table class=\"fields\">";
    row(out, "Reporting-MTA", report->reporting_mta);
    row(out, "Arrival-Date", report->arrival_date);
    row(out, "Original-Envelope-Id", report->original_envelope_id);
    for (const auto& r : report->recipients) {
      out += "<tr class=\"sep\"><td colspan=\"2\"></td></tr>";
      row(out, "Final-Recipient", r.final_recipient);
      row(out, "Original-Recipient", r.original_recipient);
      row(out, "Action", r.action);
      row(out, "Status", r.status, status_meaning(r.status));
      row(out, "Remote-MTA", r.remote_mta);
      row(out, "Diagnostic-Code", r.diagnostic_code);
      row(out, "Last-Attempt-Date", r.last_attempt_date);
      row(out, "Will-Retry-Until", r.will_retry_until);
    }
    out += "</table>";
    if (!report->returned_type.empty())
      out += fmt::format("<p class=\"lead\">It returns the original as <code>{}</code>{}.</p>",
                         xml_escape(report->returned_type),
                         report->returned_type == "text/rfc822-headers" ? " (its header only)" : " (the whole message)");
  }
  out += "<details class=\"raw\"><summary>the DSN as delivered, byte for byte</summary>" +
         capped_pre(raw, max_bytes, "raw") + "</details>";
  return out;
}

}  // namespace sim::report
