// sim/mta/destinations.cpp - what the sending side keeps per server IP.
//
// - Throttling (delivery.throttle_backoff): a server that answered 421 is
//   not connected to again until the backoff has passed; the recipients
//   due for it meanwhile carry "delivery temporarily suspended" (Postfix's
//   words for a throttled destination).  Traced as `mx.throttle`.
// - Connection reuse (delivery.connection_cache_time, Postfix's
//   smtp_connection_cache): a session whose transaction is done is parked
//   for the next message to the same server, which sends its MAIL FROM on
//   it (RFC 5321 section 3.3: a session may carry several transactions).
//   Traced as `mx.reuse`.  An idle session is closed with QUIT when its
//   time is up or after connection_reuse_limit transactions.
// - Concurrency (delivery.concurrency, Postfix's
//   default_destination_concurrency_limit): sessions open to one server at
//   a time, idle ones included; an attempt over it waits for a session to
//   be parked or closed, first come first served.
// A crash forgets all of it (the state is the qmgr's memory).
#include <fmt/format.h>

#include "sim/mta/mta.hpp"
#include "sim/mta/profiles/profile_text.hpp"

namespace sim::mta {
namespace {

std::string throttle_status(const smtp::reply& r) {
  if (!r.enhanced.empty()) return r.enhanced;
  return fmt::format("{}.0.0", r.code / 100);
}

}  // namespace

bool mta::throttled(const candidate& c, const std::vector<std::string>& rcpts, const std::vector<std::size_t>& pending,
                    std::vector<attempt_outcome>& carried) {
  auto found = destinations_.find(c.ip);
  if (found == destinations_.end() || !found->second.throttled) return false;
  const throttle& t = *found->second.throttled;
  if (t.until <= svc_.clock.now()) return false;
  for (auto k : pending)
    carried[k] = {rcpts[k], smtp::delivery_status::tempfail, t.enhanced, t.reason, "", "", "connect", ""};
  return true;
}

// A 421 (RFC 5321 section 3.8: the server closes the channel) starts the
// server's backoff.
void mta::note_421(const std::string& queue_id, const candidate& c, const smtp::client_fsm& fsm) {
  if (config_.delivery.throttle_backoff <= duration::zero()) return;
  if (fsm.result() != smtp::session_result::reply_421 || !fsm.last_reply()) return;
  const smtp::reply& said = *fsm.last_reply();
  time_point until = svc_.clock.now() + config_.delivery.throttle_backoff;
  std::string reason = fmt::format("delivery temporarily suspended: host {}[{}] said: {}", c.host, c.ip,
                                   text::reply_line(said));
  destinations_[c.ip].throttled = throttle{until, throttle_status(said), reason};
  svc_.trace.emit(config_.host, "mta", "mx.throttle",
                  {{"queue_id", queue_id}, {"peer", c.host}, {"ip", c.ip}, {"until", millis(until)},
                   {"reason", reason}});
}

asio::awaitable<std::optional<mta::idle_session>> mta::acquire(const std::string& queue_id, const candidate& c) {
  for (;;) {
    destination& d = destinations_[c.ip];
    if (!d.idle.empty()) {
      idle_session s = std::move(d.idle.back());
      d.idle.pop_back();
      svc_.clock.cancel(s.timer);
      svc_.trace.emit(config_.host, "mta", "mx.reuse",
                      {{"queue_id", queue_id}, {"peer", c.host}, {"ip", c.ip}, {"uses", s.uses}});
      co_return s;
    }
    if (config_.delivery.concurrency == 0 || d.active < config_.delivery.concurrency) {
      ++d.active;
      co_return std::nullopt;
    }
    // Wait for a session to be parked or closed (a crash aborts the wait).
    co_await asio::async_initiate<decltype(asio::use_awaitable), void(error_code)>(
        [&d](auto handler) {
          d.waiters.push_back(
              std::make_shared<asio::any_completion_handler<void(error_code)>>(std::move(handler)));
        },
        asio::use_awaitable);
  }
}

void mta::wake_one(destination& d) {
  if (d.waiters.empty()) return;
  auto h = std::move(d.waiters.front());
  d.waiters.pop_front();
  asio::post(svc_.clock.executor(), [h] { std::move (*h)(error_code{}); });
}

void mta::release(const std::string& ip) {
  auto found = destinations_.find(ip);
  if (found == destinations_.end()) return;
  if (found->second.active > 0) --found->second.active;
  wake_one(found->second);
}

asio::awaitable<void> mta::finish_session(const candidate& c, std::shared_ptr<smtp::client_session> session,
                                          std::size_t uses) {
  const delivery_settings& d = config_.delivery;
  bool park = up_ && d.connection_cache_time > duration::zero() && session->usable() &&
              (d.connection_reuse_limit == 0 || uses < d.connection_reuse_limit);
  if (!park) {
    co_await session->quit();
    release(c.ip);
    co_return;
  }
  destination& dest = destinations_[c.ip];
  std::uint64_t serial = ++idle_serial_;
  std::string ip = c.ip;
  auto timer = svc_.clock.call_after(d.connection_cache_time, [this, ip, serial] {
    auto found = destinations_.find(ip);
    if (found == destinations_.end()) return;
    auto& idle = found->second.idle;
    for (auto it = idle.begin(); it != idle.end(); ++it)
      if (it->serial == serial) {
        auto closing = std::move(it->session);
        idle.erase(it);
        tasks_->spawn([](mta* self, std::shared_ptr<smtp::client_session> s, std::string at) -> asio::awaitable<void> {
          co_await s->quit();
          self->release(at);
        }(this, std::move(closing), ip));
        return;
      }
  });
  dest.idle.push_back({std::move(session), timer, uses, serial});
  wake_one(dest);
}

// On a crash: idle sessions dropped, waiters aborted, backoffs forgotten.
void mta::drop_destinations() {
  auto all = std::move(destinations_);
  destinations_.clear();
  for (auto& [ip, d] : all) {
    for (auto& s : d.idle) svc_.clock.cancel(s.timer);
    for (auto& h : d.waiters)
      asio::post(svc_.clock.executor(), [h] { std::move (*h)(asio::error::operation_aborted); });
  }
}

}  // namespace sim::mta
