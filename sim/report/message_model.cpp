// sim/report/message_model.cpp - following each message through queues, hand-overs and mailboxes.
#include "sim/report/message_model.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/report/dsn_words.hpp"
#include "sim/report/escape.hpp"
#include "sim/report/event_fields.hpp"
#include "sim/report/svg.hpp"

namespace sim::report {
namespace {

constexpr std::size_t max_recipients_kept = 20;
constexpr std::size_t max_path = 16;
constexpr std::size_t merge_window = 8;  // a step merges with an alike one this many steps back
constexpr std::size_t max_filings = 50;
constexpr std::size_t max_dsns = 20;
constexpr std::size_t max_fetches = 200;
constexpr std::size_t message_text_bytes = 300;

std::string message_queue_key(const std::string& host, const std::string& id) { return host + "\n" + id; }

std::string bracketed(const std::string& a) { return "<" + a + ">"; }

std::vector<std::string> first_of(std::vector<std::string> list) {
  if (list.size() > max_recipients_kept) list.resize(max_recipients_kept);
  return list;
}

}  // namespace

std::vector<std::vector<std::string>> route_levels(const message_record& m) {
  std::vector<std::vector<std::string>> levels;
  std::vector<std::string> placed;
  auto seen = [&](const std::string& h) { return std::find(placed.begin(), placed.end(), h) != placed.end(); };
  for (const auto& start : m.path) {
    if (seen(start)) continue;
    std::vector<std::string> level{start};
    placed.push_back(start);
    while (!level.empty()) {
      levels.push_back(level);
      std::vector<std::string> next;
      for (const auto& [from, to] : m.handovers)
        if (std::find(level.begin(), level.end(), from) != level.end() && !seen(to)) {
          next.push_back(to);
          placed.push_back(to);
        }
      level = std::move(next);
    }
  }
  return levels;
}

const message_record* message_model::find(const std::string& message_id) const {
  auto it = by_id_.find(message_id);
  return it == by_id_.end() ? nullptr : &records_[it->second];
}

message_record* message_model::record_for_id(const std::string& id, std::int64_t t, bool create) {
  if (id.empty()) return nullptr;
  auto it = by_id_.find(id);
  if (it != by_id_.end()) return &records_[it->second];
  if (!create || records_.size() >= limits_.max_listed_messages) return nullptr;
  message_record m;
  m.message_id = id;
  m.first_t = m.last_t = t;
  by_id_.emplace(id, records_.size());
  records_.push_back(std::move(m));
  return &records_.back();
}

message_record* message_model::record_for_queue(const json_event& e) {
  auto it = by_queue_.find(message_queue_key(field_text(e, "host"), field_text(e, "queue_id")));
  return it == by_queue_.end() ? nullptr : &records_[it->second];
}

void message_model::step(message_record& m, const json_event& e, tone look, std::string what, std::string key) {
  std::int64_t t = field_int(e, "t");
  m.last_t = std::max(m.last_t, t);
  what = excerpt(one_line(what), 0, message_text_bytes);
  // Hosts work in parallel (four MX hosts file a newsletter at once): an
  // alike step a few steps back still takes this one.
  for (std::size_t back = 0; !key.empty() && back < merge_window && back < m.steps.size(); ++back) {
    journey_step& alike = m.steps[m.steps.size() - 1 - back];
    if (alike.key != key) continue;
    ++alike.repeat;
    alike.t_last = t;
    alike.last_what = std::move(what);
    return;
  }
  if (m.steps.size() >= limits_.max_hops) {
    ++m.steps_dropped;
    return;
  }
  m.steps.push_back({t, t, field_text(e, "host"), std::move(what), {}, look, 1, std::move(key)});
}

void message_model::on_enqueue(const json_event& e) {
  std::string host = field_text(e, "host"), qid = field_text(e, "queue_id"), key = message_queue_key(host, qid);
  std::int64_t t = field_int(e, "t");
  auto pending = pending_dsns_.find(key);
  message_record* m = record_for_id(field_text(e, "message_id"), t, true);
  if (!m) return;
  std::size_t index = static_cast<std::size_t>(m - records_.data());
  if (pending != pending_dsns_.end()) {
    message_record& original = records_[pending->second.original];
    original.dsns[pending->second.link].message_id = m->message_id;
    m->is_dsn = true;
    m->dsn_about = original.message_id;
    m->dsn_action = original.dsns[pending->second.link].action;
    pending_dsns_.erase(pending);
  }
  if (m->composed_at < 0 && m->path.empty()) {  // not composed by a scenario MUA: a DSN, or mail from outside
    m->from = field_text(e, "from");
    m->to = first_of(field_list(e, "rcpts"));
    m->recipients = field_list_size(e, "rcpts");
  }
  by_queue_[key] = index;
  if (m->path.size() < max_path && (m->path.empty() || m->path.back() != host)) m->path.push_back(host);
  std::size_t n = field_list_size(e, "rcpts");
  step(*m, e, tone::queue, fmt::format("queued as {} for {} recipient{}", qid, n, n == 1 ? "" : "s"));
}

void message_model::on_bounce_create(const json_event& e) {
  std::string host = field_text(e, "host");
  auto it = by_queue_.find(message_queue_key(host, field_text(e, "original_queue_id")));
  if (it == by_queue_.end()) return;
  message_record& m = records_[it->second];
  std::string action = field_text(e, "action");
  std::size_t n = field_list_size(e, "rcpts");
  step(m, e, tone::bounce,
       fmt::format("{} to {} about {} recipient{}", dsn_noun(action),
                   bracketed(field_text(e, "to")), n, n == 1 ? "" : "s"));
  if (m.dsns.size() >= max_dsns) return;
  m.dsns.push_back({"", action, field_text(e, "to"), first_of(field_list(e, "rcpts")), host, field_int(e, "t")});
  pending_dsns_[message_queue_key(host, field_text(e, "queue_id"))] = {it->second, m.dsns.size() - 1};
}

void message_model::on_queue_event(const std::string& name, const json_event& e) {
  message_record* m = record_for_queue(e);
  if (!m) return;
  std::string host = field_text(e, "host"), rcpt = bracketed(field_text(e, "rcpt"));
  if (name == "queue.attempt") {
    ++m->attempts;
    std::string domain = rcpt.substr(rcpt.find('@') + 1);
    step(*m, e, tone::queue, fmt::format("attempt {} for {}", field_text(e, "attempt"), rcpt), "at" + host + domain);
  } else if (name == "queue.defer") {
    ++m->deferred;
    std::int64_t wait = field_int(e, "retry_at", -1) - field_int(e, "t");
    std::string reason = field_text(e, "reason");
    step(*m, e, tone::defer,
         fmt::format("deferred {}: {}{}", rcpt, reason, wait > 0 ? "; next attempt in " + svg::human_duration(wait) : ""),
         "df" + host + reason);
  } else if (name == "queue.delivered") {
    std::string peer = field_text(e, "peer");
    std::pair<std::string, std::string> hop{host, peer};
    if (peer != host && m->handovers.size() < max_path &&
        std::find(m->handovers.begin(), m->handovers.end(), hop) == m->handovers.end())
      m->handovers.push_back(hop);
    step(*m, e, tone::deliver, peer == host ? "handed " + rcpt + " to the LDA" : "handed " + rcpt + " to " + peer,
         "dl" + host + "\n" + peer);
  } else if (name == "queue.bounce") {
    ++m->bounced;
    step(*m, e, tone::bounce, fmt::format("gave up on {}: {}", rcpt, field_text(e, "reason")),
         "bo" + host + field_text(e, "status"));
  } else if (name == "queue.warn") {
    step(*m, e, tone::defer, "delay warning about " + rcpt);
  } else if (name == "queue.remove") {
    by_queue_.erase(message_queue_key(host, field_text(e, "queue_id")));
  }
}

void message_model::add(const json_event& e) {
  std::string name = field_text(e, "event");
  std::int64_t t = field_int(e, "t");
  if (name == "mua.compose") {
    message_record* m = record_for_id(field_text(e, "message_id"), t, true);
    if (!m) {
      ++untracked_;
      return;
    }
    m->scenario_id = field_text(e, "message");
    m->subject = field_text(e, "subject");
    m->from = field_text(e, "from");
    m->to = first_of(field_list(e, "to"));
    m->recipients = field_list_size(e, "to");
    m->composed_on = field_text(e, "host");
    m->composed_at = t;
    step(*m, e, tone::compose, "the MUA composes it");
  } else if (name == "mua.reject") {
    if (message_record* m = record_for_id(field_text(e, "message_id"), t, false)) {
      m->refused_at_submission = true;
      step(*m, e, tone::perm,
           fmt::format("submission refused: {} {} {}", field_text(e, "code"), field_text(e, "enhanced"), field_text(e, "text")));
    }
  } else if (name == "queue.enqueue") {
    on_enqueue(e);
  } else if (name == "bounce.create") {
    if (by_queue_.count(message_queue_key(field_text(e, "host"), field_text(e, "original_queue_id"))) == 0) ++untracked_;
    on_bounce_create(e);
  } else if (name.starts_with("queue.")) {
    on_queue_event(name, e);
  } else if (name == "lda.deliver") {
    message_record* m = record_for_id(field_text(e, "message_id"), t, true);
    if (!m) return;
    ++m->filed;
    if (m->filings.size() < max_filings)
      m->filings.push_back({field_text(e, "host"), field_text(e, "mailbox"), t, field_int(e, "size")});
    step(*m, e, tone::deliver, "the LDA files it in " + field_text(e, "mailbox"), "ld" + field_text(e, "host"));
  } else if (name == "mua.fetch" && fetches_.size() < max_fetches) {
    fetches_.push_back({field_text(e, "user"), field_text(e, "host"), t, field_int(e, "count")});
  }
}

}  // namespace sim::report
