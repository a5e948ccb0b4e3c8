// sim/scenario/expect_trace.cpp - expectations read from the trace as it
// happens (deferred, rejected, trace, sequence) and from the queues
// (queue_empty).
#include <set>

#include <fmt/format.h>

#include "sim/scenario/expect_monitor.hpp"

namespace sim::scenario {
namespace {

std::string join(const std::set<std::string, std::less<>>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

// One trace-based expectation: sees each event (with the SMTP phase of a
// reply when the monitor tracks them), then says PASS or FAIL.
class expect_monitor::matcher {
 public:
  virtual ~matcher() = default;
  virtual void observe(const sim::event_view& e, const std::optional<std::string>& phase, std::uint64_t position) = 0;
  virtual detail::verdict verdict() const = 0;
};

namespace {

using matcher = expect_monitor::matcher;

class deferred_matcher final : public matcher {
 public:
  explicit deferred_matcher(const expect_deferred& e) : e_(e) {}
  void observe(const sim::event_view& ev, const std::optional<std::string>&, std::uint64_t) override {
    if (ev.name() != "queue.defer" || !same_address(ev.get("rcpt").string(), e_.recipient)) return;
    ++n_;
    if (auto host = ev.get("host").string(); !hosts_.contains(host)) hosts_.emplace(host);
  }
  detail::verdict verdict() const override {
    std::string reason = fmt::format("{} of {}", detail::plural(n_, "deferral"), e_.recipient);
    if (n_ > 0) reason += " (on " + join(hosts_) + ")";
    bool passed = e_.range.holds(n_);
    if (!passed) reason += ", want " + e_.range.describe();
    return {passed, reason};
  }

 private:
  const expect_deferred& e_;
  std::size_t n_ = 0;
  std::set<std::string, std::less<>> hosts_;
};

// The first fitting rejection decides; the others are remembered for the
// reason (the first three, and how many).
class rejected_matcher final : public matcher {
 public:
  explicit rejected_matcher(const expect_rejected& e) : e_(e) {}
  void observe(const sim::event_view& ev, const std::optional<std::string>& phase, std::uint64_t) override {
    if (found_ || !phase || !same_address(ev.host(), e_.host)) return;
    sim::trace_value code_field = ev.get("code");
    auto code = code_field.is_integer() ? code_field.integer() : 0;
    if (code < 400 || code > 599) return;
    std::string_view enhanced = ev.get("enhanced").string();
    bool fits = (!e_.phase || *phase == phase_name(*e_.phase)) && (!e_.code || code == *e_.code) &&
                (!e_.enhanced || (e_.enhanced->back() == '.' ? enhanced.starts_with(*e_.enhanced)
                                                             : enhanced == *e_.enhanced)) &&
                (!e_.text || ev.get("text").string().find(*e_.text) != std::string_view::npos);
    std::string seen = fmt::format("{} in {} at {}", code, *phase, sim::format_offset(sim::at_millis(ev.t())));
    if (fits) {
      found_ = fmt::format("{} answered {} {}", e_.host, seen, ev.get("text").string());
      return;
    }
    if (other_.size() < 3) other_.push_back(std::move(seen));
    ++others_;
  }
  detail::verdict verdict() const override {
    if (found_) return {true, *found_};
    std::string want = fmt::format("{}{} reply{}{}", e_.code ? std::to_string(*e_.code) : std::string("4xx/5xx"),
                                   e_.enhanced ? " " + *e_.enhanced : "",
                                   e_.phase ? fmt::format(" in {}", phase_name(*e_.phase)) : "",
                                   e_.text ? fmt::format(" with text containing \"{}\"", *e_.text) : "");
    if (others_ == 0) return {false, fmt::format("{} sent no {}; it rejected nothing", e_.host, want)};
    std::string seen;
    for (std::size_t i = 0; i < other_.size(); ++i) seen += (i ? ", " : "") + other_[i];
    if (others_ > 3) seen += fmt::format(" and {} more", others_ - 3);
    return {false, fmt::format("{} sent no {}; its rejections: {}", e_.host, want, seen)};
  }

 private:
  const expect_rejected& e_;
  std::optional<std::string> found_;
  std::vector<std::string> other_;
  std::size_t others_ = 0;
};

class trace_matcher final : public matcher {
 public:
  explicit trace_matcher(const expect_trace& e) : e_(e) {}
  void observe(const sim::event_view& ev, const std::optional<std::string>&, std::uint64_t) override {
    if (matches(e_.pattern, ev)) ++n_;
  }
  detail::verdict verdict() const override {
    bool passed = e_.range.holds(n_);
    std::string reason = fmt::format("{} match {}", detail::plural(n_, "event"), describe_pattern(e_.pattern));
    if (!passed) reason += ", want " + e_.range.describe();
    return {passed, reason};
  }

 private:
  const expect_trace& e_;
  std::size_t n_ = 0;
};

// Patterns in order, not necessarily adjacent: each is matched by the first
// event after the one that matched the previous pattern.
class sequence_matcher final : public matcher {
 public:
  explicit sequence_matcher(const expect_sequence& e) : e_(e) {}
  void observe(const sim::event_view& ev, const std::optional<std::string>&, std::uint64_t position) override {
    if (next_ == e_.patterns.size() || !matches(e_.patterns[next_], ev)) return;
    sim::trace_value seq = ev.get("seq");
    last_seq_ = seq.absent() ? std::to_string(position) : seq.json_text();
    ++next_;
  }
  detail::verdict verdict() const override {
    std::size_t n = e_.patterns.size();
    if (next_ == n)
      return {true, fmt::format("all {} in order (last at seq {})", detail::plural(n, "pattern"), last_seq_)};
    std::string after = next_ == 0 ? std::string() : fmt::format(" after seq {}", last_seq_);
    return {false, fmt::format("{} of {} in order; no event{} matches {}", next_, detail::plural(n, "pattern"), after,
                               describe_pattern(e_.patterns[next_]))};
  }

 private:
  const expect_sequence& e_;
  std::size_t next_ = 0;
  std::string last_seq_;
};

struct matcher_maker {
  std::unique_ptr<matcher> operator()(const expect_deferred& e) const { return std::make_unique<deferred_matcher>(e); }
  std::unique_ptr<matcher> operator()(const expect_rejected& e) const { return std::make_unique<rejected_matcher>(e); }
  std::unique_ptr<matcher> operator()(const expect_trace& e) const { return std::make_unique<trace_matcher>(e); }
  std::unique_ptr<matcher> operator()(const expect_sequence& e) const { return std::make_unique<sequence_matcher>(e); }
  template <typename Other>
  std::unique_ptr<matcher> operator()(const Other&) const {
    return nullptr;
  }
};

}  // namespace

bool expect_monitor::reads_trace(const expectation& e) {
  return std::holds_alternative<expect_deferred>(e.what) || std::holds_alternative<expect_rejected>(e.what) ||
         std::holds_alternative<expect_trace>(e.what) || std::holds_alternative<expect_sequence>(e.what);
}

expect_monitor::expect_monitor(const std::vector<expectation>& expectations) {
  for (const auto& e : expectations) {
    auto m = std::visit(matcher_maker{}, e.what);
    if (!m) continue;
    if (std::holds_alternative<expect_rejected>(e.what) && !phases_) phases_ = std::make_unique<reply_phase_tracker>();
    matchers_.emplace_back(e.index, std::move(m));
  }
}

expect_monitor::~expect_monitor() = default;

void expect_monitor::observe(const sim::event_view& e) {
  std::optional<std::string> phase;
  if (phases_) phase = phases_->observe(e);
  for (auto& [index, m] : matchers_) m->observe(e, phase, observed_);
  ++observed_;
}

std::optional<detail::verdict> expect_monitor::verdict(std::size_t index) const {
  for (const auto& [i, m] : matchers_)
    if (i == index) return m->verdict();
  return std::nullopt;
}

namespace detail {

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

}  // namespace detail
}  // namespace sim::scenario
