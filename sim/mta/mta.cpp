// sim/mta/mta.cpp - one MTA host: its parts, and starting, crashing and restarting it.
#include "sim/mta/mta.hpp"

#include <algorithm>

#include "sim/message/text.hpp"

namespace sim::mta {
namespace {

bool in_list(const std::vector<std::string>& list, std::string_view domain) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& d) { return message::iequals(d, domain); });
}

router_config routing_of(const mta_config& c) {
  return router_config{c.host, {c.ip}, c.local_domains, c.smarthost};
}

policy::greylist_settings greylisting_of(const mta_config& c) {
  policy::greylist_settings g;
  g.reply = c.mta_profile->greylist_reply();
  if (c.policy.greylist) {
    g.delay = c.policy.greylist->delay;
    if (c.policy.greylist->reply) g.reply = *c.policy.greylist->reply;
  }
  g.whitelist = c.policy.whitelist;
  return g;
}

}  // namespace

mta::mta(services s, mta_config config, storage::store& spool, lda::lda* local)
    : svc_(s),
      config_(std::move(config)),
      spool_(spool),
      lda_(local),
      queue_(config_.host, spool, s.trace, queue_id_generator(s.random.stream("mta/" + config_.host + "/queue-id"))),
      router_(routing_of(config_), s.resolver, s.trace, s.random.stream("mta/" + config_.host + "/mx")),
      greylist_(greylisting_of(config_)),
      dmarc_draws_(s.random.stream("mta/" + config_.host + "/dmarc")),
      tasks_(std::make_unique<task_group>(s.clock.executor(), s.on_failure)) {
  if (config_.policy.spam) filter_.emplace(*config_.policy.spam);
  for (const auto& r : config_.policy.rate_limits) rate_limits_.emplace_back(r);
  if (config_.policy.reputation) reputation_.emplace(*config_.policy.reputation);
}

mta::~mta() {
  for (auto& [id, timer] : timers_) svc_.clock.cancel(timer);
  for (auto& [ip, d] : destinations_)
    for (auto& s : d.idle) svc_.clock.cancel(s.timer);
}

bool mta::is_local_domain(std::string_view domain) const { return in_list(config_.local_domains, domain); }
bool mta::is_relay_domain(std::string_view domain) const { return in_list(config_.relay_domains, domain); }

void mta::start() {
  up_ = true;
  auto listen = [this](std::uint16_t port) {
    svc_.network.listen(config_.host, port, [this, port](std::shared_ptr<net::stream> conn,
                                                         const net::connection_info& info) {
      accept(std::move(conn), info, port, false);
    });
  };
  listen(smtp_port);
  if (config_.submission) listen(submission_port);
  schedule_all();
}

void mta::crash() {
  up_ = false;
  for (auto& [id, timer] : timers_) svc_.clock.cancel(timer);
  timers_.clear();
  tasks_->cancel_all();
  drop_destinations();
  busy_.clear();
  queue_.crash();
}

asio::awaitable<recovery_counts> mta::restart() {
  recovery_counts recovered = co_await queue_.recover();
  // Simulated time restarts at 0 when a live process restarts on its spool:
  // carry each message's times over by its wall-clock age (in a simulation
  // the shift is zero).
  time_point now = svc_.clock.now();
  for (const auto& id : queue_.ids()) {
    queue_file* f = queue_.find(id);
    time_point arrival = now - std::chrono::duration_cast<duration>(svc_.clock.wall_now() - f->arrival_wall);
    duration shift = arrival - f->arrival;
    f->arrival = arrival;
    for (auto& r : f->recipients)
      if (r.next_attempt) *r.next_attempt += shift;
  }
  start();
  co_return recovered;
}

void mta::serve(std::shared_ptr<net::stream> conn, const net::connection_info& info, std::uint16_t port,
                bool trace_client_lines) {
  accept(std::move(conn), info, port, trace_client_lines);
}

void mta::accept(std::shared_ptr<net::stream> conn, const net::connection_info& info, std::uint16_t port,
                 bool trace_client_lines) {
  if (!up_) {
    conn->reset();
    return;
  }
  tasks_->spawn(smtpd_session(std::move(conn), info, port, trace_client_lines));
}

smtp::outgoing_message mta::outgoing(const queue_file& file, const std::vector<std::string>& rcpts) const {
  smtp::outgoing_message m;
  if (!file.reverse_path.empty()) m.reverse_path = smtp::parse_mailbox(file.reverse_path);
  recipient_lookup lookup(file.recipients);  // (a hundred recipients: no search each)
  m.recipients.reserve(rcpts.size());
  for (const auto& a : rcpts) {
    smtp::outgoing_recipient r;
    if (auto box = smtp::parse_mailbox(a)) r.forward_path = *box;
    if (auto i = lookup.find(a); i != recipient_lookup::npos) {
      const recipient_state* st = &file.recipients[i];
      if (st->notify.given()) r.params.notify = smtp::dsn_notify{st->notify.never, st->notify.success,
                                                                 st->notify.failure, st->notify.delay};
      if (auto semi = st->orcpt.find(';'); semi != std::string::npos)
        r.params.orcpt = smtp::original_recipient{st->orcpt.substr(0, semi), st->orcpt.substr(semi + 1)};
    }
    m.recipients.push_back(std::move(r));
  }
  m.ret = file.params.ret == dsn_ret::full ? smtp::dsn_ret::full
        : file.params.ret == dsn_ret::hdrs ? smtp::dsn_ret::hdrs : smtp::dsn_ret::unspecified;
  if (!file.params.envid.empty()) m.envid = file.params.envid;
  m.content = file.message;
  return m;
}

}  // namespace sim::mta
