// sim/mta/bounce.cpp - the bounce role: RFC 3464 delivery status notifications.
//
// One DSN per event for every recipient that failed (or was delayed)
// together, in the host's profile's form, sent from the null reverse path
// so that it can never cause another bounce (RFC 5321 section 4.5.5).  A message that is itself a
// bounce is never bounced: its failure is dropped with a trace event.
#include <fmt/format.h>

#include "sim/message/dsn.hpp"
#include "sim/mta/mta.hpp"

namespace sim::mta {
namespace {

// RFC 3461 section 4.1: without NOTIFY the MTA reports failures (and, as
// Postfix does with delay_warning_time set, delays); NEVER reports nothing.
bool wants(const notify_flags& n, bool delayed) {
  if (!n.given()) return true;
  if (n.never) return false;
  return delayed ? n.delay : n.failure;
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
                                    bool delayed) {
  std::vector<std::string_view> names;
  for (const auto& o : rcpts) names.push_back(o.rcpt);
  if (original.is_bounce()) {
    if (!delayed)
      svc_.trace.emit(config_.host, "mta", "bounce.drop",
                      {{"queue_id", original.queue_id}, {"rcpts", names},
                       {"reason", "a bounce is never bounced (null reverse path)"}});
    co_return;
  }
  dsn_input in;
  in.delayed = delayed;
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
    if (state && !wants(state->notify, delayed)) continue;
    if (delayed)
      svc_.trace.emit(config_.host, "mta", "queue.warn", {{"queue_id", original.queue_id}, {"rcpt", o.rcpt}});
    dsn_subject d{o.rcpt, state ? state->orcpt : "", o.enhanced, o.reason, o.diagnostic, o.remote_host, o.phase};
    if (d.status.empty()) d.status = delayed ? "4.0.0" : "5.0.0";
    in.recipients.push_back(std::move(d));
    reported.push_back(o.rcpt);
  }
  if (in.recipients.empty()) co_return;
  std::string id = queue_.new_id();
  in.message_id = fmt::format("<{}.{}@{}>", id, delayed ? "delay" : "bounce", config_.host);
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
                   {"rcpts", reported}, {"action", delayed ? "delayed" : "failed"}});
  co_await queue_.enqueue(std::move(dsn), in.message_id);
  schedule(id, svc_.clock.now());
}

}  // namespace sim::mta
