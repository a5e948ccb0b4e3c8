// sim/mta/bounce.cpp - the bounce role: RFC 3464 delivery status notifications.
//
// One DSN per event for every recipient that failed (or was delayed, or
// was delivered with NOTIFY=SUCCESS) together, in the host's profile's form, sent from the null reverse path
// so that it can never cause another bounce (RFC 5321 section 4.5.5).  A message that is itself a
// bounce is never bounced: its failure is dropped with a trace event.
#include <fmt/format.h>

#include "sim/message/dsn.hpp"
#include "sim/mta/mta.hpp"

namespace sim::mta {
namespace {

// RFC 3461 section 4.1: without NOTIFY the MTA reports failures (and, as
// Postfix does with delay_warning_time set, delays) but never a success;
// NEVER reports nothing.
bool wants(const notify_flags& n, dsn_kind kind) {
  if (!n.given()) return kind != dsn_kind::success;
  if (n.never) return false;
  switch (kind) {
    case dsn_kind::delay: return n.delay;
    case dsn_kind::success: return n.success;
    default: return n.failure;
  }
}

std::string_view action_of(dsn_kind kind, const attempt_outcome& o) {
  if (kind == dsn_kind::success) return o.success_action;
  return kind == dsn_kind::delay ? "delayed" : "failed";
}

message::dsn_ret dsn_ret_of(dsn_ret r) {
  switch (r) {
    case dsn_ret::full: return message::dsn_ret::full;
    case dsn_ret::hdrs: return message::dsn_ret::hdrs;
    default: return message::dsn_ret::unspecified;
  }
}

}  // namespace

asio::awaitable<void> mta::send_dsn(const queue_file& original, const std::vector<attempt_outcome>& rcpts,
                                    dsn_kind kind) {
  const bool delayed = kind == dsn_kind::delay;
  std::vector<std::string_view> names;
  for (const auto& o : rcpts) names.push_back(o.rcpt);
  if (original.is_bounce()) {
    if (kind == dsn_kind::failure)
      svc_.trace.emit(config_.host, "mta", "bounce.drop",
                      {{"queue_id", original.queue_id}, {"rcpts", names},
                       {"reason", "a bounce is never bounced (null reverse path)"}});
    co_return;
  }
  dsn_input in;
  in.delayed = delayed;
  in.success = kind == dsn_kind::success;
  in.reporting_mta = config_.host;
  in.queue_id = original.queue_id;
  in.original_sender = original.reverse_path;
  in.envid = original.params.envid;
  in.arrival = original.arrival_wall;
  in.now = svc_.clock.wall_now();
  in.lifetime = config_.queue.lifetime;
  in.delay_warning = config_.queue.delay_warning;
  in.ret = dsn_ret_of(original.params.ret);
  in.original = original.message;
  std::vector<std::string_view> reported;
  for (const auto& o : rcpts) {
    const recipient_state* state = original.find_recipient(o.rcpt);
    if (!wants(state ? state->notify : notify_flags{}, kind)) continue;
    if (delayed)
      svc_.trace.emit(config_.host, "mta", "queue.warn", {{"queue_id", original.queue_id}, {"rcpt", o.rcpt}});
    dsn_subject d{o.rcpt, state ? state->orcpt : "", o.enhanced, o.reason, o.diagnostic, o.remote_host, o.phase, ""};
    if (in.success) {
      d.action = o.success_action;
      d.status = "2.0.0";  // RFC 3464 2.3.4 (Postfix, Exim and Sendmail all report 2.0.0)
    }
    if (d.status.empty()) d.status = delayed ? "4.0.0" : "5.0.0";
    in.recipients.push_back(std::move(d));
    reported.push_back(o.rcpt);
  }
  if (in.recipients.empty()) co_return;
  std::string id = queue_.new_id();
  in.message_id = fmt::format("<{}.{}@{}>", id, in.success ? "success" : delayed ? "delay" : "bounce", config_.host);
  queue_file dsn;
  dsn.queue_id = id;
  dsn.arrival = svc_.clock.now();
  dsn.arrival_wall = svc_.clock.wall_now();
  dsn.reverse_path = "";
  recipient_state to;
  to.address = original.reverse_path;
  dsn.recipients.push_back(to);
  dsn.message = config_.mta_profile->compose_dsn(in);
  svc_.trace.emit(config_.host, "mta", "bounce.create",
                  {{"queue_id", id}, {"original_queue_id", original.queue_id}, {"to", original.reverse_path},
                   {"rcpts", reported}, {"action", action_of(kind, rcpts.front())}});
  co_await queue_.enqueue(std::move(dsn), in.message_id);
  schedule(id, svc_.clock.now());
}

}  // namespace sim::mta

namespace sim::mta {

// RFC 3461 section 5.2.2: a recipient delivered to its mailbox, or relayed
// to a server that does not offer DSN, with NOTIFY=SUCCESS gets a report
// (one per Action).  Sent as soon as the next hop has answered, before the
// queue file says the recipient is done (as Postfix's sent() logs the
// success before the recipient is dropped), so a crash cannot lose it.
asio::awaitable<void> mta::report_successes(const std::string& queue_id, const std::vector<attempt_outcome>& outcomes) {
  for (std::string_view action : {"delivered", "relayed"}) {
    std::vector<attempt_outcome> due;
    const queue_file* f = queue_.find(queue_id);
    if (!f) co_return;
    for (const auto& o : outcomes) {
      if (o.status != smtp::delivery_status::ok || o.success_action != action) continue;
      const recipient_state* state = f->find_recipient(o.rcpt);
      if (state && state->notify.success && !state->notify.never) due.push_back(o);
    }
    if (!due.empty()) co_await send_dsn(*f, due, dsn_kind::success);
  }
}

}  // namespace sim::mta
