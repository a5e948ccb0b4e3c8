// sim/mta/scheduler.cpp - the qmgr role: when each queued message is tried, and what follows.
//
// Every message with work left has one timer for its next attempt.  An
// attempt takes the recipients that are due, sends the local ones to the
// LDA and groups the remote ones by next hop (one SMTP transaction per
// hop), then settles each recipient: delivered, bounced (5xx, or 4xx past
// the queue lifetime) or deferred until the profile's retry algorithm says
// (retry_policy.hpp).  A profile that expires a message at its lifetime
// itself (OpenSMTPD) bounces what is left then, without another attempt.
#include <algorithm>

#include <fmt/format.h>

#include "sim/mta/mta.hpp"

namespace sim::mta {
namespace {

std::string domain_of(const std::string& address) {
  auto at = address.rfind('@');
  return at == std::string::npos ? std::string() : canonical_domain(address.substr(at + 1));
}

bool due(const recipient_state& r, time_point now) {
  bool open = r.status == rcpt_status::pending || r.status == rcpt_status::deferred;
  return open && (!r.next_attempt || *r.next_attempt <= now);
}

std::string hop_key(const route_remote& r) {
  std::string key;
  for (const auto& c : r.candidates) key += c.host + "[" + c.ip + "] ";
  return key;
}

}  // namespace

void mta::schedule(const std::string& queue_id, time_point when) {
  if (auto it = timers_.find(queue_id); it != timers_.end()) svc_.clock.cancel(it->second);
  timers_[queue_id] = svc_.clock.call_at(when, [this, queue_id] {
    timers_.erase(queue_id);
    if (up_) tasks_->spawn(attempt(queue_id));
  });
}

void mta::schedule_all() {
  time_point now = svc_.clock.now();
  for (const auto& id : queue_.ids()) {
    const queue_file* f = queue_.find(id);
    time_point when = time_point::max();
    for (const auto& r : f->recipients)
      if (r.status == rcpt_status::pending || r.status == rcpt_status::deferred)
        when = std::min(when, r.next_attempt.value_or(now));
    schedule(id, std::max(when == time_point::max() ? now : when, now));
  }
}

void mta::note_attempt(const std::string& queue_id, const std::vector<std::string>& rcpts) {
  queue_file* f = queue_.find(queue_id);
  if (!f) return;
  recipient_lookup lookup(f->recipients);
  for (const auto& a : rcpts)
    if (auto i = lookup.find(a); i != recipient_lookup::npos)
      svc_.trace.emit(config_.host, "mta", "queue.attempt",
                      {{"queue_id", queue_id}, {"rcpt", a}, {"attempt", ++f->recipients[i].attempts}});
}

asio::awaitable<void> mta::attempt(std::string queue_id) {
  if (busy_.count(queue_id) || !queue_.find(queue_id)) co_return;
  busy_.insert(queue_id);
  if (co_await expire_unattempted(queue_id)) {
    busy_.erase(queue_id);
    co_return;
  }
  time_point now = svc_.clock.now();
  std::vector<std::string> local;
  std::map<std::string, std::vector<std::string>> remote;  // domain -> recipients
  for (auto& r : queue_.find(queue_id)->recipients) {
    if (!due(r, now)) continue;
    (is_local_domain(domain_of(r.address)) ? local : remote[domain_of(r.address)]).push_back(r.address);
  }
  std::vector<attempt_outcome> failed;
  bool dirty = false;  // settled since the queue file was last written
  outcome_sink settle_batch = [&](std::vector<attempt_outcome> outcomes) -> asio::awaitable<void> {
    queue_file* f = queue_.find(queue_id);
    if (!f) co_return;
    bool delivered = false;
    recipient_lookup lookup(f->recipients);
    for (const auto& o : outcomes) {
      if (auto i = lookup.find(o.rcpt); i != recipient_lookup::npos) settle(*f, f->recipients[i], o, failed);
      delivered = delivered || o.status == smtp::delivery_status::ok;
    }
    dirty = true;
    if (!delivered) co_return;
    co_await report_successes(queue_id, outcomes);
    co_await checkpoint(queue_id, failed);
    dirty = false;
  };
  if (!local.empty()) {
    note_attempt(queue_id, local);
    co_await deliver_local(*queue_.find(queue_id), local, settle_batch);
  }
  // One transaction per next hop: domains that route to the same hosts share it.
  std::map<std::string, std::pair<route_remote, std::vector<std::string>>> hops;
  std::vector<std::string> hop_order;
  for (auto& [domain, rcpts] : remote) {
    route r = co_await router_.route_domain(domain, queue_id);
    if (!queue_.find(queue_id)) break;
    if (auto* fail = std::get_if<route_failure>(&r)) {
      note_attempt(queue_id, rcpts);
      std::vector<attempt_outcome> outs;
      for (const auto& a : rcpts)
        outs.push_back({a, fail->permanent ? smtp::delivery_status::permfail : smtp::delivery_status::tempfail,
                        fail->null_mx ? config_.delivery.null_mx_status : fail->enhanced_status, fail->text, "",
                        "", "", ""});
      co_await settle_batch(std::move(outs));
    } else if (auto* rr = std::get_if<route_remote>(&r)) {
      std::string key = hop_key(*rr);
      if (!hops.count(key)) hop_order.push_back(key);
      auto& hop = hops[key];
      hop.first = *rr;
      hop.second.insert(hop.second.end(), rcpts.begin(), rcpts.end());
    } else {
      note_attempt(queue_id, rcpts);
      co_await deliver_local(*queue_.find(queue_id), rcpts, settle_batch);
    }
  }
  for (const auto& key : hop_order) {
    auto& [route, rcpts] = hops[key];
    note_attempt(queue_id, rcpts);
    queue_file* f = queue_.find(queue_id);
    if (!f) break;
    co_await deliver_remote(*f, rcpts, route, settle_batch);
  }
  if (queue_file* f = queue_.find(queue_id)) co_await finish_attempt(*f, std::move(failed), dirty);
  busy_.erase(queue_id);
}

// RFC 5321 section 6.1: once the next hop has answered 250 for a
// recipient, the queue file says so at once, before the session goes on
// to QUIT, so that a crash now does not deliver it a second time.  A
// message with nothing left to do (and nothing to report) leaves the queue
// here.  Recipients that failed but whose DSN is not written yet are kept
// open in the file, so that a crash before the DSN retries them instead of
// losing the report.
asio::awaitable<void> mta::checkpoint(const std::string& queue_id, const std::vector<attempt_outcome>& unreported) {
  queue_file* f = queue_.find(queue_id);
  if (!f) co_return;
  if (unreported.empty() && f->finished()) {
    co_await queue_.remove(queue_id);
    co_return;
  }
  std::vector<std::string> open;
  for (const auto& o : unreported) open.push_back(o.rcpt);
  co_await queue_.save(queue_id, open);
}

// OpenSMTPD's scheduler expires an envelope at its lifetime without trying
// it again (scheduler_ramqueue.c): the open recipients bounce with their
// last reason.  True when that happened (the attempt is over).
asio::awaitable<bool> mta::expire_unattempted(const std::string& queue_id) {
  queue_file* f = queue_.find(queue_id);
  time_point now = svc_.clock.now();
  if (!config_.queue.expire_without_attempt || !has_expired(config_.queue, f->arrival, now, f->is_bounce()))
    co_return false;
  std::vector<attempt_outcome> bounced;
  for (auto& r : f->recipients)
    if (r.status == rcpt_status::pending || r.status == rcpt_status::deferred)
      settle(*f, r,
             {r.address, smtp::delivery_status::tempfail, r.enhanced_status, r.last_reply, r.diagnostic,
              r.remote_host, r.phase, ""},
             bounced);
  co_await finish_attempt(*f, std::move(bounced), true);
  co_return true;
}

// One recipient's result: delivered, bounced, or deferred until the next
// attempt the profile's retry algorithm allows.  Past the message's
// lifetime a failure bounces, in the profile's words for an expiry.
void mta::settle(queue_file& file, recipient_state& rcpt, const attempt_outcome& o,
                 std::vector<attempt_outcome>& failed) {
  recipient_state* r = &rcpt;
  time_point now = svc_.clock.now();
  r->last_reply = o.reason;
  r->enhanced_status = o.enhanced;
  r->remote_host = o.remote_host;
  r->diagnostic = o.diagnostic;
  r->phase = o.phase;
  if (o.status == smtp::delivery_status::ok) {
    r->status = rcpt_status::delivered;
    r->next_attempt.reset();
    svc_.trace.emit(config_.host, "mta", "queue.delivered",
                    {{"queue_id", file.queue_id}, {"rcpt", o.rcpt}, {"peer", o.remote_host}});
    return;
  }
  bool expired = o.status != smtp::delivery_status::permfail &&
                 has_expired(config_.queue, file.arrival, now, file.is_bounce());
  if (o.status == smtp::delivery_status::permfail || expired) {
    r->status = rcpt_status::bounced;
    r->next_attempt.reset();
    attempt_outcome final = o;
    if (expired) {
      dsn_subject last{o.rcpt, "", o.enhanced, o.reason, o.diagnostic, o.remote_host, o.phase, ""};
      last = config_.mta_profile->expired(std::move(last), file.is_bounce() ? config_.queue.bounce_lifetime
                                                                            : config_.queue.lifetime);
      final = {o.rcpt, o.status, last.status, last.reason, last.diagnostic, last.remote_host, last.phase, ""};
    }
    if (final.enhanced.empty()) final.enhanced = "4.4.7";  // RFC 3463: delivery time expired
    svc_.trace.emit(config_.host, "mta", "queue.bounce",
                    {{"queue_id", file.queue_id}, {"rcpt", o.rcpt}, {"status", final.enhanced},
                     {"reason", final.reason}, {"expired", expired ? std::optional<bool>(true) : std::nullopt}});
#ifdef MAILSIM_PLANTED_BUG_NO_EXPIRY_DSN
    // Only in the test-only build tests/sim/sweep makes: a bug planted for
    // the sweep to find (the sender never hears of an expired message).
    if (o.status != smtp::delivery_status::permfail) return;
#endif
    failed.push_back(std::move(final));
    return;
  }
  r->status = rcpt_status::deferred;
  time_point next = next_attempt_within(config_.queue, file.arrival, now, r->attempts, file.is_bounce());
  r->next_attempt = next;
  svc_.trace.emit(config_.host, "mta", "queue.defer",
                  {{"queue_id", file.queue_id}, {"rcpt", o.rcpt}, {"reason", o.reason},
                   {"retry_at", millis(next)}});
}

asio::awaitable<void> mta::finish_attempt(queue_file& file, std::vector<attempt_outcome> failed, bool dirty) {
  std::string id = file.queue_id;
  // Once their DSN exists, the failed recipients are written as bounced
  // (a checkpoint may have kept them open until now).
  if (!failed.empty()) {
    dirty = true;
    co_await send_dsn(*queue_.find(id), failed, dsn_kind::failure);
  }
  queue_file* f = queue_.find(id);
  if (!f) co_return;
  time_point now = svc_.clock.now();
  if (delay_warning_due(config_.queue, f->arrival, now, f->is_bounce(), f->warned)) {
    std::vector<attempt_outcome> late;
    for (const auto& r : f->recipients)
      if (r.status == rcpt_status::deferred)
        late.push_back({r.address, smtp::delivery_status::tempfail, r.enhanced_status, r.last_reply, r.diagnostic,
                        r.remote_host, r.phase, ""});
    if (!late.empty()) {
      f->warned = true;
      dirty = true;
      co_await send_dsn(*f, late, dsn_kind::delay);
      f = queue_.find(id);
      if (!f) co_return;
    }
  }
  if (f->finished()) {
    co_await queue_.remove(id);
    co_return;
  }
  if (dirty) co_await queue_.save(id);
  time_point when = time_point::max();
  if ((f = queue_.find(id)))
    for (const auto& r : f->recipients)
      if (r.status == rcpt_status::pending || r.status == rcpt_status::deferred)
        when = std::min(when, r.next_attempt.value_or(now));
  if (when != time_point::max()) schedule(id, std::max(when, now));
}

}  // namespace sim::mta
