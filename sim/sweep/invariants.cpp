// sim/sweep/invariants.cpp - the invariant checker, event by event.
#include "sim/sweep/invariants.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sim::sweep {
namespace {

constexpr char sep = '\x1f';

std::string key(std::string_view a, std::string_view b) {
  std::string k(a);
  k += sep;
  k += b;
  return k;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A recipient left open past its lifetime by more than one attempt's worth
// of timeouts has been forgotten, not merely delayed.
constexpr std::int64_t attempt_slack_ms = 3'600'000;

}  // namespace

std::vector<std::uint64_t> invariant_checker::rcpt_state::seqs() const {
  std::vector<std::uint64_t> out{enqueue_seq};
  if (last_seq) out.push_back(last_seq);
  return out;
}

invariant_checker::invariant_checker(const scenario::scenario& s, bool idle_run) : idle_run_(idle_run) {
  for (const auto& h : s.hosts)
    lifetimes_ms_[h.name] = {h.queue.lifetime.count(), h.queue.bounce_lifetime.count()};
}

void invariant_checker::observe(const sim::event_view& e) {
  ++events_;
  end_ms_ = e.t();
  std::string_view name = e.name();
  if (name == "queue.enqueue") on_enqueue(e);
  else if (name == "queue.delivered") on_outcome(e, rcpt_state::state::delivered);
  else if (name == "queue.bounce") on_outcome(e, rcpt_state::state::bounced);
  else if (name == "queue.defer") on_outcome(e, rcpt_state::state::open);
  else if (name == "bounce.create") on_bounce_create(e);
  else if (name == "lda.deliver") on_deliver(e);
  else if (name == "smtp.data" || name == "smtp.reply" || name == "net.close" || name == "net.reset") on_session_event(e);
  else if (name == "host.crash") on_crash(e);
  else if (name == "host.restart") down_.erase(std::string(e.host()));
  else if (name == "queue.remove") {
    auto it = queue_.find(key(e.host(), e.get("queue_id").string()));
    if (it == queue_.end()) return;
    it->second.removed = true;
    for (const auto& [rcpt, r] : it->second.rcpts)
      if (r.now == rcpt_state::state::open) {
        auto seqs = r.seqs();
        seqs.push_back(e.seq());
        early_.push_back({"lost", fmt::format("{} removed queue file {} with recipient {} still open", e.host(),
                                              e.get("queue_id").string(), rcpt),
                          seqs});
      }
  }
}

void invariant_checker::on_enqueue(const sim::event_view& e) {
  queued q;
  q.host = std::string(e.host());
  q.from = std::string(e.get("from").string());
  q.message_id = std::string(e.get("message_id").string());
  q.enqueued_ms = e.t();
  q.enqueue_seq = e.seq();
  auto rcpts = e.get("rcpts");
  for (std::size_t i = 0; i < rcpts.size(); ++i) q.rcpts[std::string(rcpts[i].string())].enqueue_seq = e.seq();
  // A message taken inside a session that is still waiting for the reply to
  // its final dot: remember it, in case that reply never comes.
  for (auto& [id, s] : sessions_)
    if (s.awaiting_dot_reply && s.server == q.host && !q.message_id.empty()) s.message_ids.push_back(q.message_id);
  if (!q.message_id.empty()) hosts_of_[q.message_id].insert(q.host);
  queue_[key(e.host(), e.get("queue_id").string())] = std::move(q);
}

void invariant_checker::on_outcome(const sim::event_view& e, rcpt_state::state to) {
  auto it = queue_.find(key(e.host(), e.get("queue_id").string()));
  if (it == queue_.end()) return;
  auto r = it->second.rcpts.find(std::string(e.get("rcpt").string()));
  if (r == it->second.rcpts.end()) return;
  r->second.now = to;
  r->second.last_seq = e.seq();
}

void invariant_checker::on_bounce_create(const sim::event_view& e) {
  if (e.get("action").string() != "failed") return;
  std::string original = key(e.host(), e.get("original_queue_id").string());
  auto it = queue_.find(original);
  if (it != queue_.end() && it->second.from.empty())
    early_.push_back({"bounce", fmt::format("{} bounced a bounce: DSN {} for {}, whose sender is the null path", e.host(),
                                            e.get("queue_id").string(), e.get("original_queue_id").string()),
                      {it->second.enqueue_seq, e.seq()}});
  auto rcpts = e.get("rcpts");
  for (std::size_t i = 0; i < rcpts.size(); ++i)
    dsns_[key(original, rcpts[i].string())].push_back({key(e.host(), e.get("queue_id").string()), e.seq()});
}

void invariant_checker::on_deliver(const sim::event_view& e) {
  std::string mid(e.get("message_id").string());
  if (mid.empty()) return;
  for (auto& [id, s] : sessions_)
    if (s.awaiting_dot_reply && s.server == e.host()) s.message_ids.push_back(mid);
  hosts_of_[mid].insert(std::string(e.host()));
  lda_[key(key(e.host(), lower(e.get("mailbox").string())), mid)].push_back(e.seq());
}

// RFC 5321 section 6.1: a connection that breaks after the final dot and
// before its reply leaves the client unsure; it retries, and the message
// may arrive twice.  Sessions are followed from smtp.data to that reply.
void invariant_checker::on_session_event(const sim::event_view& e) {
  std::string session(e.get("session").string());
  if (session.empty()) return;
  std::string_view name = e.name();
  if (name == "smtp.data") {
    auto& s = sessions_[session];
    s.server = std::string(e.get("peer").string());
    s.awaiting_dot_reply = true;
    return;
  }
  auto it = sessions_.find(session);
  if (it == sessions_.end()) return;
  if (name == "smtp.reply") {
    // A reply the server sent and a reset lost (the fault `reset` at
    // "accepted") never reached the client: the window stays open.
    if (it->second.awaiting_dot_reply && e.host() == it->second.server && !e.get("lost").boolean()) {
      it->second.awaiting_dot_reply = false;
      it->second.message_ids.clear();
    }
    return;
  }
  if (it->second.awaiting_dot_reply) {
    window_.insert(it->second.message_ids.begin(), it->second.message_ids.end());
    doubt_hosts_.insert(it->second.server);
  }
  sessions_.erase(it);
}

// A crash forgets what was not written down: deliveries of the messages it
// held may be repeated after the restart.
void invariant_checker::on_crash(const sim::event_view& e) {
  std::string host(e.host());
  down_.insert(host);
  for (const auto& [k, q] : queue_)
    if (q.host == host && !q.removed && !q.message_id.empty()) window_.insert(q.message_id);
  for (auto& [id, s] : sessions_)
    if (s.awaiting_dot_reply && s.server == host) window_.insert(s.message_ids.begin(), s.message_ids.end());
}

void invariant_checker::check_pending(run_verdict& v) const {
  for (const auto& [k, q] : queue_) {
    if (down_.count(q.host)) continue;  // the scenario left it down: its spool waits for it
    auto life = lifetimes_ms_.find(q.host);
    std::int64_t lifetime = life == lifetimes_ms_.end() ? 0 : (q.from.empty() ? life->second.second : life->second.first);
    for (const auto& [rcpt, r] : q.rcpts) {
      if (r.now != rcpt_state::state::open || q.removed) continue;
      std::string qid = k.substr(k.find(sep) + 1);
      if (end_ms_ > q.enqueued_ms + lifetime + attempt_slack_ms)
        v.violations.push_back({"lost", fmt::format("{} still holds {} for {} past its lifetime ({} ms queued)", q.host,
                                                    qid, rcpt, end_ms_ - q.enqueued_ms),
                                r.seqs()});
      else if (idle_run_)
        v.violations.push_back(
            {"queue", fmt::format("{} still holds {} for {} when the run went idle", q.host, qid, rcpt), r.seqs()});
    }
  }
}

void invariant_checker::check_bounces(run_verdict& v) const {
  for (const auto& [k, q] : queue_)
    for (const auto& [rcpt, r] : q.rcpts) {
      auto made = dsns_.find(key(k, rcpt));
      if (r.now == rcpt_state::state::bounced && !q.from.empty()) {
        bool queued = made != dsns_.end() && std::any_of(made->second.begin(), made->second.end(), [&](const dsn_made& d) {
                        return queue_.count(d.dsn_key) != 0;
                      });
        if (!queued)
          v.violations.push_back({"lost", fmt::format("{} bounced {} for {} but no DSN to {} was queued", q.host,
                                                      k.substr(k.find(sep) + 1), rcpt, q.from),
                                  r.seqs()});
      }
      if (r.now == rcpt_state::state::delivered && made != dsns_.end()) {
        auto seqs = r.seqs();
        seqs.push_back(made->second.front().seq);
        v.violations.push_back({"bounce", fmt::format("{} sent a DSN saying {} failed for {}, which it delivered", q.host,
                                                      k.substr(k.find(sep) + 1), rcpt),
                                seqs});
      }
    }
}

void invariant_checker::check_deliveries(run_verdict& v) const {
  for (const auto& [k, seqs] : lda_) {
    v.deliveries += seqs.size();
    if (seqs.size() < 2) continue;
    std::string mid = k.substr(k.rfind(sep) + 1);
    auto hosts = hosts_of_.find(mid);
    bool doubted = hosts != hosts_of_.end() && std::any_of(hosts->second.begin(), hosts->second.end(),
                                                           [&](const std::string& h) { return doubt_hosts_.count(h); });
    if (window_.count(mid) || doubted) {
      v.duplicates_in_window += seqs.size() - 1;
      continue;
    }
    std::string where = k.substr(0, k.rfind(sep));
    std::replace(where.begin(), where.end(), sep, ' ');
    v.violations.push_back(
        {"duplicate", fmt::format("{} was delivered {} times to {} outside RFC 5321 section 6.1's window", mid,
                                  seqs.size(), where),
         seqs});
  }
}

run_verdict invariant_checker::finish() const {
  run_verdict v;
  v.events = events_;
  v.violations = early_;
  check_pending(v);
  check_bounces(v);
  check_deliveries(v);
  return v;
}

}  // namespace sim::sweep
