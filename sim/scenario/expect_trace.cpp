// sim/scenario/expect_trace.cpp - expectations read from the trace and the
// queues: deferred, rejected, trace, sequence, queue_empty.
#include <set>

#include <fmt/format.h>

#include "sim/scenario/expect_parts.hpp"
#include "sim/scenario/expect_pattern.hpp"

namespace sim::scenario::detail {
namespace {

const std::vector<sim::event>& events(const outcome& o) {
  static const std::vector<sim::event> none;
  return o.trace ? *o.trace : none;
}

std::string text(const sim::event& e, const char* name) {
  auto it = e.find(name);
  return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string join(const std::set<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

verdict check(const expect_deferred& e, const outcome& o) {
  std::size_t n = 0;
  std::set<std::string> hosts;
  for (const auto& ev : events(o)) {
    if (text(ev, "event") != "queue.defer" || !same_address(text(ev, "rcpt"), e.recipient)) continue;
    ++n;
    hosts.insert(text(ev, "host"));
  }
  std::string reason = fmt::format("{} of {}", plural(n, "deferral"), e.recipient);
  if (n > 0) reason += " (on " + join(hosts) + ")";
  bool passed = e.range.holds(n);
  if (!passed) reason += ", want " + e.range.describe();
  return {passed, reason};
}

verdict check(const expect_rejected& e, const outcome& o) {
  const auto& trace = events(o);
  auto phases = reply_phases(trace);
  std::vector<std::string> other;  // rejections that did not fit
  for (const auto& [index, phase] : phases) {
    const auto& ev = trace[index];
    if (!same_address(text(ev, "host"), e.host)) continue;
    auto code_it = ev.find("code");
    int code = code_it != ev.end() && code_it->is_number_integer() ? code_it->get<int>() : 0;
    if (code < 400 || code > 599) continue;
    const std::string enhanced = text(ev, "enhanced");
    bool fits = (!e.phase || phase == phase_name(*e.phase)) && (!e.code || code == *e.code) &&
                (!e.enhanced || (e.enhanced->back() == '.' ? enhanced.starts_with(*e.enhanced) : enhanced == *e.enhanced)) &&
                (!e.text || text(ev, "text").find(*e.text) != std::string::npos);
    std::string seen = fmt::format("{} in {} at {}", code, phase, sim::format_offset(sim::at_millis(ev.value("t", 0))));
    if (fits) return {true, fmt::format("{} answered {} {}", e.host, seen, text(ev, "text"))};
    other.push_back(seen);
  }
  std::string want = fmt::format("{}{} reply{}{}", e.code ? std::to_string(*e.code) : std::string("4xx/5xx"),
                                 e.enhanced ? " " + *e.enhanced : "", e.phase ? fmt::format(" in {}", phase_name(*e.phase)) : "",
                                 e.text ? fmt::format(" with text containing \"{}\"", *e.text) : "");
  if (other.empty()) return {false, fmt::format("{} sent no {}; it rejected nothing", e.host, want)};
  std::string seen;
  for (std::size_t i = 0; i < other.size() && i < 3; ++i) seen += (i ? ", " : "") + other[i];
  if (other.size() > 3) seen += fmt::format(" and {} more", other.size() - 3);
  return {false, fmt::format("{} sent no {}; its rejections: {}", e.host, want, seen)};
}

verdict check(const expect_trace& e, const outcome& o) {
  std::size_t n = 0;
  for (const auto& ev : events(o))
    if (matches(e.pattern, ev)) ++n;
  bool passed = e.range.holds(n);
  std::string reason = fmt::format("{} match {}", plural(n, "event"), describe_pattern(e.pattern));
  if (!passed) reason += ", want " + e.range.describe();
  return {passed, reason};
}

// Patterns in order, not necessarily adjacent: each is matched by the first
// event after the one that matched the previous pattern.
verdict check(const expect_sequence& e, const outcome& o) {
  const auto& trace = events(o);
  std::size_t next = 0;
  std::string last_seq;
  for (std::size_t p = 0; p < e.patterns.size(); ++p) {
    while (next < trace.size() && !matches(e.patterns[p], trace[next])) ++next;
    if (next == trace.size()) {
      std::string after = p == 0 ? std::string() : fmt::format(" after seq {}", last_seq);
      return {false, fmt::format("{} of {} in order; no event{} matches {}", p, plural(e.patterns.size(), "pattern"),
                                 after, describe_pattern(e.patterns[p]))};
    }
    last_seq = trace[next].contains("seq") ? trace[next]["seq"].dump() : std::to_string(next);
    ++next;
  }
  return {true, fmt::format("all {} in order (last at seq {})", plural(e.patterns.size(), "pattern"), last_seq)};
}

verdict check(const expect_queue_empty& e, const outcome& o) {
  if (e.host) {
    auto it = o.queue_sizes.find(*e.host);
    std::size_t n = it == o.queue_sizes.end() ? 0 : it->second;
    if (n == 0) return {true, fmt::format("nothing left in the queue of {}", *e.host)};
    return {false, fmt::format("{} left in the queue of {}", plural(n, "message"), *e.host)};
  }
  std::string left;
  std::size_t total = 0;
  for (const auto& [host, n] : o.queue_sizes) {
    if (n == 0) continue;
    total += n;
    left += fmt::format("{}{} {}", left.empty() ? "" : ", ", host, n);
  }
  if (total == 0) return {true, "every queue is empty"};
  return {false, fmt::format("{} left: {}", plural(total, "message"), left)};
}

}  // namespace sim::scenario::detail
