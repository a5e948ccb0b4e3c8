// sim/scenario/expect.cpp - evaluates expectations and words their results.
#include "sim/scenario/expect.hpp"

#include <fmt/format.h>

#include "sim/scenario/expect_monitor.hpp"
#include "sim/scenario/expect_parts.hpp"
#include "sim/scenario/expect_pattern.hpp"

namespace sim::scenario {
namespace {

struct labeller {
  std::string operator()(const expect_delivered& e) const { return with_message("delivered", e.to, e.message); }
  std::string operator()(const expect_not_delivered& e) const { return with_message("not_delivered", e.to, e.message); }
  std::string operator()(const expect_bounced& e) const {
    if (e.action == "delivered" || e.action == "relayed") return "success_reported " + e.recipient;
    return (e.action == "delayed" ? "delay_warned " : "bounced ") + e.recipient;
  }
  std::string operator()(const expect_no_bounce& e) const { return "no_bounce " + e.to.value_or("(any mailbox)"); }
  std::string operator()(const expect_deferred& e) const { return "deferred " + e.recipient; }
  std::string operator()(const expect_rejected& e) const {
    return fmt::format("rejected {}{}{}", e.host, e.phase ? " " : "", e.phase ? phase_name(*e.phase) : "");
  }
  std::string operator()(const expect_fetched& e) const { return "fetched " + e.user; }
  std::string operator()(const expect_trace& e) const {
    auto it = e.pattern.find("event");
    return "trace " + (it != e.pattern.end() && it->is_string() ? it->get<std::string>() : describe_pattern(e.pattern));
  }
  std::string operator()(const expect_sequence& e) const {
    return "sequence of " + detail::plural(e.patterns.size(), "event");
  }
  std::string operator()(const expect_queue_empty& e) const { return "queue_empty " + e.host.value_or("(every host)"); }
  std::string operator()(const expect_stats& e) const {
    std::string of = e.campaign.value_or("");
    if (e.domain) of += (of.empty() ? "" : ", ") + *e.domain;
    return "stats " + e.metric + (of.empty() ? "" : " (" + of + ")");
  }

  static std::string with_message(std::string_view kind, const std::string& to, const std::optional<std::string>& id) {
    return fmt::format("{} {}{}", kind, to, id ? " (message " + *id + ")" : "");
  }
};

}  // namespace

namespace detail {

std::string plural(std::size_t n, std::string_view word) {
  if (n == 1) return fmt::format("1 {}", word);
  if (word.ends_with("y")) return fmt::format("{} {}ies", n, word.substr(0, word.size() - 1));
  return fmt::format("{} {}s", n, word);
}

std::string_view bare_message_id(std::string_view id) {
  while (!id.empty() && (id.front() == ' ' || id.front() == '<')) id.remove_prefix(1);
  while (!id.empty() && (id.back() == ' ' || id.back() == '>')) id.remove_suffix(1);
  return id;
}

bool same_message_id(std::string_view a, std::string_view b) {
  return !bare_message_id(a).empty() && bare_message_id(a) == bare_message_id(b);
}

}  // namespace detail

std::string expect_result::line() const { return fmt::format("{} {}: {}", passed ? "PASS" : "FAIL", label, reason); }

sim::event expect_result::trace_fields() const {
  sim::event fields = sim::event::object();
  fields["index"] = index;
  fields["kind"] = kind;
  fields["reason"] = reason;
  return fields;
}

std::string label(const expectation& e) { return std::visit(labeller{}, e.what); }

namespace {

struct outcome_checker {
  const outcome& o;
  template <typename Kind>
  detail::verdict operator()(const Kind& kind) const {
    if constexpr (requires { detail::check(kind, o); }) return detail::check(kind, o);
    else return {false, "(read from the trace)"};  // not reached: trace-based kinds go to a monitor
  }
};

// The monitor's verdict; without one, a monitor fed the recorded trace.
detail::verdict trace_verdict(const expectation& e, const outcome& o) {
  if (o.monitor) {
    if (auto v = o.monitor->verdict(e.index)) return *v;
  }
  std::vector<expectation> one{e};
  expect_monitor m(one);
  if (o.trace)
    for (const auto& ev : *o.trace) m.observe(sim::json_event_view(ev));
  return *m.verdict(e.index);
}

}  // namespace

expect_result evaluate(const expectation& e, const outcome& o) {
  auto v = expect_monitor::reads_trace(e) ? trace_verdict(e, o) : std::visit(outcome_checker{o}, e.what);
  return {e.index, std::string(e.kind()), label(e), v.passed, std::move(v.reason)};
}

std::vector<expect_result> evaluate_all(const std::vector<expectation>& expectations, const outcome& o) {
  std::vector<expect_result> results;
  for (const auto& e : expectations) results.push_back(evaluate(e, o));
  return results;
}

}  // namespace sim::scenario
