// sim/report/outcomes.cpp - following each recipient of each message to where it ended.
#include "sim/report/outcomes.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/message/text.hpp"
#include "sim/report/dsn_words.hpp"
#include "sim/report/escape.hpp"
#include "sim/report/event_fields.hpp"
#include "sim/report/svg.hpp"

namespace sim::report {
namespace {

constexpr std::size_t max_rcpts_followed = 1'000;  // per message; the rest are counted with the last
constexpr std::size_t max_groups_shown = 10;       // outcome lines per message
constexpr std::size_t outcome_text_bytes = 160;

std::string outcome_queue_key(const std::string& host, const std::string& id) { return host + "\n" + id; }

bool final_status(rcpt_status s) { return s == rcpt_status::delivered || s == rcpt_status::bounced; }

std::string plural(std::size_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

// "158ms", or "1s to 3m" for a group.
std::string span(std::int64_t low, std::int64_t high) {
  return low == high ? svg::human_duration(low) : svg::human_duration(low) + " to " + svg::human_duration(high);
}

struct group {
  rcpt_status status;
  std::string where, detail;
  std::vector<const rcpt_outcome*> members;
};

std::string group_line(const group& g, std::int64_t start) {
  const rcpt_outcome& first = *g.members.front();
  std::string who = "<" + first.address + ">";
  if (g.members.size() > 1) who += fmt::format(" and {} more", g.members.size() - 1);
  std::int64_t low = INT64_MAX, high = 0;
  std::size_t few = SIZE_MAX, many = 0, hosts = 0;
  for (const auto* r : g.members) {
    low = std::min(low, r->t - start), high = std::max(high, r->t - start);
    few = std::min(few, r->attempts), many = std::max(many, r->attempts);
    hosts = std::max(hosts, r->hosts);
  }
  std::string attempts = few == many ? plural(few, "attempt") : fmt::format("{} to {} attempts", few, many);
  if (hosts > 1) attempts += fmt::format(" over {} hosts", hosts);
  std::string detail = excerpt(one_line(g.detail), 0, outcome_text_bytes);
  std::string what;
  switch (g.status) {
    case rcpt_status::delivered: what = fmt::format("{} on {} after {}, {}", who, g.where, span(low, high), attempts); break;
    case rcpt_status::bounced:
      what = fmt::format("{} by {} after {}, {}: {}", who, g.where, span(low, high), attempts, detail);
      break;
    case rcpt_status::deferred: what = fmt::format("{} at {}, {} so far: {}", who, g.where, attempts, detail); break;
    case rcpt_status::handed_on:
      what = fmt::format("{} to {} after {}, not filed when the run ended", who, g.where, span(low, high));
      break;
    case rcpt_status::queued: what = fmt::format("{} at {}, not tried yet", who, g.where); break;
    case rcpt_status::refused: what = fmt::format("{} at submission: {}", who, detail); break;
  }
  return fmt::format("    {:<10} {}", status_word(g.status), what);
}

std::vector<group> groups_of(const message_outcome& m) {
  std::vector<group> out;
  for (const auto& r : m.rcpts) {
    bool keyed = r.status == rcpt_status::bounced || r.status == rcpt_status::deferred || r.status == rcpt_status::refused;
    std::string detail = keyed ? r.detail : "";
    auto it = std::find_if(out.begin(), out.end(), [&](const group& g) {
      return g.status == r.status && g.where == r.where && g.detail == detail;
    });
    if (it == out.end()) out.push_back({r.status, r.where, detail, {&r}});
    else it->members.push_back(&r);
  }
  return out;
}

std::string heading(const message_outcome& m) {
  if (!m.dsn_about.empty())
    return fmt::format("  {} about {} to <{}>", dsn_noun(m.dsn_action),
                       one_line(m.dsn_about), one_line(m.dsn_to));
  std::string out = "  " + one_line(m.label);
  if (!m.subject.empty()) out += " \"" + excerpt(one_line(m.subject), 0, outcome_text_bytes) + "\"";
  return out + " from <" + one_line(m.from) + ">";
}

}  // namespace

const char* status_word(rcpt_status s) {
  switch (s) {
    case rcpt_status::queued: return "queued";
    case rcpt_status::handed_on: return "handed on";
    case rcpt_status::deferred: return "deferred";
    case rcpt_status::delivered: return "delivered";
    case rcpt_status::bounced: return "bounced";
    case rcpt_status::refused: return "refused";
  }
  return "";
}

bool outcome_summary::wants(std::string_view name) {
  return name == "mua.compose" || name == "mua.reject" || name == "lda.deliver" || name == "bounce.create" ||
         (name.starts_with("queue.") && name != "queue.corrupt");
}

message_outcome* outcome_summary::by_id(const std::string& message_id, std::int64_t t, bool create) {
  if (message_id.empty()) return nullptr;
  if (auto it = ids_.find(message_id); it != ids_.end()) return &messages_[it->second];
  if (!create) return nullptr;
  if (messages_.size() >= max_followed_) {
    ++not_followed_;
    return nullptr;
  }
  ids_.emplace(message_id, messages_.size());
  message_outcome m;
  m.label = m.message_id = message_id;
  m.start = t;
  messages_.push_back(std::move(m));
  return &messages_.back();
}

message_outcome* outcome_summary::by_queue(const event& e) {
  auto it = queues_.find(outcome_queue_key(field_text(e, "host"), field_text(e, "queue_id")));
  return it == queues_.end() ? nullptr : &messages_[it->second];
}

rcpt_outcome& outcome_summary::rcpt(message_outcome& m, const std::string& address) {
  for (auto& r : m.rcpts)
    if (message::iequals(r.address, address)) return r;
  if (m.rcpts.size() >= max_rcpts_followed) return m.rcpts.back();
  m.rcpts.push_back({address, rcpt_status::queued, "", "", m.start, 0, 0, ""});
  return m.rcpts.back();
}

void outcome_summary::on_compose(const event& e) {
  message_outcome* m = by_id(field_text(e, "message_id"), field_int(e, "t"), true);
  if (!m) return;
  if (auto tag = field_text(e, "message"); !tag.empty()) m->label = tag;
  m->subject = field_text(e, "subject");
  m->from = field_text(e, "from");
  for (const auto& to : field_list(e, "to")) rcpt(*m, to).where = field_text(e, "host");
}

void outcome_summary::on_enqueue(const event& e) {
  std::string key = outcome_queue_key(field_text(e, "host"), field_text(e, "queue_id"));
  std::int64_t t = field_int(e, "t");
  message_outcome* m = by_id(field_text(e, "message_id"), t, true);
  if (!m) return;
  if (auto dsn = dsns_.find(key); dsn != dsns_.end()) {
    m->dsn_about = messages_[dsn->second.about].label;
    m->dsn_to = dsn->second.to;
    m->dsn_action = dsn->second.action;
    dsns_.erase(dsn);
  }
  if (m->from.empty() && m->rcpts.empty()) m->from = field_text(e, "from");
  queues_[key] = static_cast<std::size_t>(m - messages_.data());
  for (const auto& address : field_list(e, "rcpts")) {
    rcpt_outcome& r = rcpt(*m, address);
    if (final_status(r.status)) continue;
    r.status = rcpt_status::queued, r.where = field_text(e, "host"), r.t = t;
  }
}

void outcome_summary::on_queue(const std::string& name, const event& e) {
  message_outcome* m = by_queue(e);
  if (!m) return;
  std::string host = field_text(e, "host");
  if (name == "queue.remove") {
    queues_.erase(outcome_queue_key(host, field_text(e, "queue_id")));
    return;
  }
  if (name != "queue.attempt" && name != "queue.defer" && name != "queue.delivered" && name != "queue.bounce") return;
  rcpt_outcome& r = rcpt(*m, field_text(e, "rcpt"));
  if (name == "queue.attempt") {
    ++r.attempts;
    if (host != r.last_host) ++r.hosts, r.last_host = host;
    return;
  }
  std::int64_t t = field_int(e, "t");
  std::string peer = field_text(e, "peer");
  if (name == "queue.bounce") {
    r.status = rcpt_status::bounced, r.where = host, r.t = t;
    std::string status = field_text(e, "status"), reason = field_text(e, "reason");
    r.detail = reason.find(status) == std::string::npos ? status + " " + reason : reason;
  } else if (final_status(r.status)) {
    return;  // the LDA filed it before its MTA heard the 250
  } else if (name == "queue.defer") {
    r.status = rcpt_status::deferred, r.where = host, r.t = t, r.detail = field_text(e, "reason");
  } else if (peer != host) {
    r.status = rcpt_status::handed_on, r.where = peer, r.t = t;
  }
}

void outcome_summary::add(const event& e) {
  std::string name = field_text(e, "event");
  if (name == "mua.compose") {
    on_compose(e);
  } else if (name == "mua.reject") {
    if (message_outcome* m = by_id(field_text(e, "message_id"), field_int(e, "t"), false))
      for (auto& r : m->rcpts) {
        if (final_status(r.status)) continue;
        r.status = rcpt_status::refused, r.t = field_int(e, "t");
        r.detail = fmt::format("{} {} {}", field_text(e, "code"), field_text(e, "enhanced"), field_text(e, "text"));
      }
  } else if (name == "queue.enqueue") {
    on_enqueue(e);
  } else if (name == "bounce.create") {
    auto original = queues_.find(outcome_queue_key(field_text(e, "host"), field_text(e, "original_queue_id")));
    if (original != queues_.end())
      dsns_[outcome_queue_key(field_text(e, "host"), field_text(e, "queue_id"))] = {original->second, field_text(e, "to"),
                                                                            field_text(e, "action")};
  } else if (name.starts_with("queue.")) {
    on_queue(name, e);
  } else if (name == "lda.deliver") {
    if (message_outcome* m = by_id(field_text(e, "message_id"), field_int(e, "t"), true)) {
      rcpt_outcome& r = rcpt(*m, field_text(e, "mailbox"));
      r.status = rcpt_status::delivered, r.where = field_text(e, "host"), r.t = field_int(e, "t");
    }
  }
}

std::vector<std::string> outcome_summary::lines(std::size_t max_shown) const {
  std::vector<std::string> out;
  if (messages_.empty()) return out;
  out.push_back("What became of each message:");
  std::size_t counts[6] = {};
  for (std::size_t i = 0; i < messages_.size(); ++i) {
    const message_outcome& m = messages_[i];
    for (const auto& r : m.rcpts) ++counts[static_cast<std::size_t>(r.status)];
    if (i >= max_shown) continue;
    out.push_back(heading(m));
    auto groups = groups_of(m);
    for (std::size_t g = 0; g < groups.size() && g < max_groups_shown; ++g) out.push_back(group_line(groups[g], m.start));
    if (groups.size() > max_groups_shown)
      out.push_back(fmt::format("    ... and {} other outcomes", groups.size() - max_groups_shown));
  }
  std::size_t total = messages_.size() + not_followed_;
  std::string tally;
  for (auto s : {rcpt_status::delivered, rcpt_status::bounced, rcpt_status::deferred, rcpt_status::handed_on,
                 rcpt_status::queued, rcpt_status::refused})
    if (auto n = counts[static_cast<std::size_t>(s)]) tally += fmt::format("{}{} {}", tally.empty() ? "" : ", ", n, status_word(s));
  std::string shown = messages_.size() > max_shown ? fmt::format(" ({} shown above)", max_shown) : "";
  std::string unfollowed = not_followed_ ? fmt::format("; {} not followed", not_followed_) : "";
  out.push_back(fmt::format("  {}{}, recipients: {}{}", plural(total, "message"), shown, tally, unfollowed));
  return out;
}

}  // namespace sim::report
