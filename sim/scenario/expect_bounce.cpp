// sim/scenario/expect_bounce.cpp - expectations read from delivery status
// notifications (RFC 3464) and from what MUAs fetched: bounced,
// delay_warned, success_reported, no_bounce, fetched.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "sim/message/dsn.hpp"
#include "sim/message/encoded_words.hpp"
#include "sim/message/message.hpp"
#include "sim/message/text.hpp"
#include "sim/scenario/expect_parts.hpp"

namespace sim::scenario::detail {
namespace {

std::string bounce_json_text(std::string_view text) { return json(std::string(text)).dump(); }

std::string strip_brackets(std::string text) {
  if (text.size() >= 2 && text.front() == '<' && text.back() == '>') return text.substr(1, text.size() - 2);
  return text;
}

// RFC 3463 status: exact, or a prefix ending in '.' for a class or subject.
bool status_fits(std::string_view got, std::string_view want) {
  if (!want.empty() && want.back() == '.') return got.substr(0, want.size()) == want;
  return got == want;
}

// The mailboxes a DSN about `recipient` should reach: `to`, or the senders
// of the messages sent to it.
std::vector<std::string> bounce_targets(const expect_bounced& e, const outcome& o) {
  if (e.to) return {*e.to};
  std::vector<std::string> senders;
  for (const auto& s : o.sent)
    for (const auto& r : s.recipients)
      if (same_address(r, e.recipient) && !s.from.empty() &&
          std::none_of(senders.begin(), senders.end(), [&](const auto& x) { return same_address(x, s.from); }))
        senders.push_back(s.from);
  return senders;
}

// When the reported message was sent: by the returned Message-ID, else the
// latest message to that recipient sent before the report arrived.
const sent_message* original_of(const message::dsn_report& report, const expect_bounced& e, const delivery& d,
                                const outcome& o) {
  const sent_message* best = nullptr;
  for (const auto& s : o.sent) {
    if (same_message_id(s.message_id, report.original_message_id)) return &s;
    bool to_recipient = std::any_of(s.recipients.begin(), s.recipients.end(),
                                    [&](const auto& r) { return same_address(r, e.recipient); });
    if (to_recipient && s.at <= d.at) best = &s;
  }
  return best;
}

// White space runs as one space: a folded Diagnostic-Code reads as written.
std::string flat(std::string_view text) {
  std::string out;
  for (char c : text) {
    const bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (!space) out += c;
    else if (!out.empty() && out.back() != ' ') out += ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The diagnostic and the reporting server, when the expectation names them.
std::string detail_problem(const message::dsn_report_recipient& r, const expect_bounced& e) {
  if (e.diagnostic && flat(r.diagnostic_code).find(flat(*e.diagnostic)) == std::string::npos)
    return fmt::format("the DSN's Diagnostic-Code is {}, without {}", bounce_json_text(flat(r.diagnostic_code)),
                       bounce_json_text(*e.diagnostic));
  if (e.remote && !message::iequals(r.remote_mta, *e.remote))
    return fmt::format("the DSN names Remote-MTA {}, not {}", r.remote_mta.empty() ? "(none)" : r.remote_mta, *e.remote);
  return "";
}

// A failure report: one that says a recipient failed (delay warnings and
// success reports are not bounces).
bool reports_failure(const message::dsn_report& report) {
  return report.recipients.empty() || std::any_of(report.recipients.begin(), report.recipients.end(),
                                                  [](const auto& r) { return r.action == "failed"; });
}

std::string describe(const message::dsn_report& report) {
  std::string out;
  for (const auto& r : report.recipients)
    out += fmt::format("{}{} {} {}", out.empty() ? "" : ", ", r.action, strip_brackets(r.final_recipient), r.status);
  return out.empty() ? "no recipients" : out;
}

// Why this DSN does not satisfy `e`, or "" when it does.
std::string report_problem(const message::dsn_report& report, const expect_bounced& e, const delivery& d,
                           const outcome& o) {
  std::string problem = fmt::format("the DSN reports {}", describe(report));
  for (const auto& r : report.recipients) {
    if (r.action != e.action || !same_address(strip_brackets(r.final_recipient), e.recipient)) continue;
    if (e.status && !status_fits(r.status, *e.status))
      return fmt::format("the DSN reports status {}, not {}", r.status, *e.status);
    if (auto p = detail_problem(r, e); !p.empty()) return p;
    if (e.within) {
      const sent_message* s = original_of(report, e, d, o);
      if (!s) return "the bounced message's send time is unknown";
      if (d.at - s->at > *e.within)
        return fmt::format("the DSN arrived {} after the message was sent, later than {}",
                           sim::format_duration(d.at - s->at), sim::format_duration(*e.within));
    }
    return "";
  }
  return problem;
}

std::string targets_text(const std::vector<std::string>& targets) {
  std::string out;
  for (const auto& t : targets) out += (out.empty() ? "" : " or ") + t;
  return out;
}

}  // namespace

verdict check(const expect_bounced& e, const outcome& o) {
  auto targets = bounce_targets(e, o);
  if (targets.empty()) return {false, fmt::format("no message with a sender was sent to {}", e.recipient)};
  std::string first_problem;
  for (const auto& d : o.deliveries) {
    bool target = std::any_of(targets.begin(), targets.end(), [&](const auto& t) { return same_address(t, d.mailbox); });
    if (!target) continue;
    auto report = message::parse_dsn(d.raw);
    if (!report) continue;
    std::string problem = report_problem(*report, e, d, o);
    if (problem.empty())
      return {true, fmt::format("a DSN reached {} on {} at {}: {}", d.mailbox, d.host, sim::format_offset(d.at),
                                describe(*report))};
    if (first_problem.empty()) first_problem = fmt::format("a DSN reached {}, but {}", d.mailbox, problem);
  }
  if (!first_problem.empty()) return {false, first_problem};
  return {false, fmt::format("no DSN reached {}", targets_text(targets))};
}

verdict check(const expect_no_bounce& e, const outcome& o) {
  for (const auto& d : o.deliveries) {
    if (e.to && !same_address(*e.to, d.mailbox)) continue;
    if (auto report = message::parse_dsn(d.raw); report && reports_failure(*report))
      return {false, fmt::format("a DSN reached {} on {} at {}: {}", d.mailbox, d.host, sim::format_offset(d.at),
                                 describe(*report))};
  }
  return {true, e.to ? fmt::format("no failure report reached {}", *e.to)
                      : std::string("no failure report was delivered (delay warnings do not count)")};
}

// Subjects compare after RFC 2047 decoding, so "=?UTF-8?B?...?=" matches
// the text the scenario wrote.
verdict check(const expect_fetched& e, const outcome& o) {
  std::size_t fetched = 0, matching = 0;
  std::vector<std::string> subjects;
  for (const auto& f : o.fetched) {
    if (!same_address(f.user, e.user)) continue;
    ++fetched;
    std::string subject = message::decode_words(message::message::parse(f.raw).get("Subject").value_or(""));
    if (!e.subject || subject == *e.subject) ++matching;
    if (subjects.size() < 3) subjects.push_back(bounce_json_text(subject));
  }
  std::string what = e.subject ? fmt::format("with subject {}", bounce_json_text(*e.subject)) : std::string("in all");
  bool passed = e.count ? matching == *e.count : matching > 0;
  std::string reason = fmt::format("{} fetched {} {}", e.user, plural(matching, "message"), what);
  if (e.count && !passed) reason += fmt::format(", want {}", *e.count);
  if (!passed && e.subject && fetched > matching) {
    std::string seen;
    for (const auto& s : subjects) seen += (seen.empty() ? "" : ", ") + s;
    reason += fmt::format(" (of {}; subjects {})", plural(fetched, "message"), seen);
  }
  return {passed, reason};
}

}  // namespace sim::scenario::detail
