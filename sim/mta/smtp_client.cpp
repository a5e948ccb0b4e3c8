// sim/mta/smtp_client.cpp - the smtp role: one delivery attempt to a next hop.
//
// RFC 5321 section 5.1: try the candidates in order.  A refused or
// timed-out connection, or a greeting or EHLO that is refused, moves on to
// the next one.  Once a session is open, a 2xx delivers and a 5xx bounces;
// a soft error (4xx at MAIL, RCPT, DATA or after the dot, a 421, a lost
// or timed-out session) from a server that is not the final one carries
// the recipient on to the next server in the same attempt when the profile
// says so (Postfix smtp_trouble.c), else it defers.  The final server is
// the last candidate, or the one that reaches the profile's address or
// session limit (Postfix smtp_mx_address_limit / smtp_mx_session_limit;
// handshake failures do not count toward the session limit).  Each move is
// traced as `mx.next` with the reason.
#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "sim/mta/mta.hpp"
#include "sim/mta/profiles/profile_text.hpp"
#include "sim/smtp/client_session.hpp"

namespace sim::mta {

struct server_context {
  const candidate& c;
  const std::string& sender;
  const std::string& helo;
  const profile& words;
};

namespace {

// RFC 3463: the class of the reply when the server gave no enhanced code.
std::string status_of(const smtp::reply& r) {
  if (!r.enhanced.empty()) return r.enhanced;
  return fmt::format("{}.0.0", r.code / 100);
}

attempt_outcome from_problem(const server_context& s, const std::string& rcpt, delivery_problem p,
                             smtp::delivery_status status, std::string enhanced) {
  p.host = s.c.host;
  p.ip = s.c.ip;
  p.rcpt = rcpt;
  p.sender = s.sender;
  p.helo = s.helo;
  attempt_outcome o{rcpt, status, std::move(enhanced), s.words.describe(p), "", "", p.phase, ""};
  if (p.what == delivery_problem::kind::reply && p.reply) {
    o.diagnostic = text::reply_line(*p.reply);
    o.remote_host = s.c.host;
  }
  return o;
}

// What a recipient's outcome (or the session's end) says, in the profile's words.
attempt_outcome outcome_of(const server_context& s, const std::string& rcpt, const smtp::recipient_outcome& o,
                           smtp::session_result ended) {
  delivery_problem p;
  p.phase = std::string(text::phase_word(o.at));
  if (o.server_reply) {
    p.reply = o.server_reply;
    return from_problem(s, rcpt, std::move(p), o.status, status_of(*o.server_reply));
  }
  p.what = ended == smtp::session_result::timeout ? delivery_problem::kind::timed_out : delivery_problem::kind::lost;
  return from_problem(s, rcpt, std::move(p), smtp::delivery_status::tempfail, "4.4.2");
}

// The reply that ended a session which never got to a transaction.
attempt_outcome opening_failure(const server_context& s, const std::string& rcpt, smtp::session_result r,
                                const std::optional<smtp::reply>& reply, smtp::client_phase at) {
  delivery_problem p;
  p.phase = std::string(text::phase_word(at));
  if (!reply) {
    p.what = r == smtp::session_result::timeout ? delivery_problem::kind::timed_out : delivery_problem::kind::lost;
    return from_problem(s, rcpt, std::move(p), smtp::delivery_status::tempfail, "4.4.2");
  }
  p.reply = reply;
  bool permanent = reply->permanent() && r != smtp::session_result::reply_421;
  return from_problem(s, rcpt, std::move(p),
                      permanent ? smtp::delivery_status::permfail : smtp::delivery_status::tempfail, status_of(*reply));
}

// Postfix's words when the sender's TLS policy stopped the session
// (smtp_tls_security_level encrypt or verify; RFC 3463 4.7.4 and 4.7.5).
attempt_outcome tls_failure(const server_context& s, const std::string& rcpt, const smtp::client_fsm& fsm) {
  std::string where = fmt::format("{}[{}]", s.c.host, s.c.ip), reason, status = "4.7.5";
  switch (fsm.why_tls_failed()) {
    case smtp::tls_failure::not_offered:
      reason = fmt::format("TLS is required, but was not offered by host {}", where);
      status = "4.7.4";
      break;
    case smtp::tls_failure::refused:
      reason = fmt::format("TLS is required, but host {} refused to start TLS: {}", where,
                           fsm.last_reply() ? text::reply_line(*fsm.last_reply()) : std::string());
      status = "4.7.4";
      break;
    case smtp::tls_failure::certificate: reason = fmt::format("Server certificate not verified ({})", where); break;
    default: reason = fmt::format("Cannot start TLS: handshake failure with {}", where); break;
  }
  return {rcpt, smtp::delivery_status::tempfail, status, reason, "", "", std::string(text::phase_word(smtp::client_phase::ehlo)), ""};
}

smtp::client_phase opening_phase(smtp::session_result r) {
  switch (r) {
    case smtp::session_result::greeting_rejected: return smtp::client_phase::greeting;
    case smtp::session_result::auth_failed: return smtp::client_phase::auth;
    default: return smtp::client_phase::ehlo;
  }
}

// Every transaction for the pending recipients over one open session (the
// server's 452 4.5.3 recipient limit is smtp::deliver_all's business).
// Each answered transaction goes to the sink before the next one and
// before QUIT; a soft failure is kept back (carried) instead when
// `move_on`.  Returns the recipients still to try elsewhere.
asio::awaitable<std::vector<std::size_t>> transactions(smtp::client_session& session, const server_context& server,
                                                       const smtp::outgoing_message& all,
                                                       const std::vector<std::string>& rcpts,
                                                       const std::vector<std::size_t>& pending,
                                                       std::vector<attempt_outcome>& carried, bool move_on,
                                                       const outcome_sink& sink) {
  smtp::outgoing_message message = all;
  message.recipients.clear();
  for (auto k : pending) message.recipients.push_back(all.recipients[k]);
  std::vector<std::size_t> kept;
  auto keep_or_settle = [&](std::size_t k, attempt_outcome o, std::vector<attempt_outcome>& out) {
    if (move_on && o.status == smtp::delivery_status::tempfail) {
      carried[k] = std::move(o);
      kept.push_back(k);
    } else {
      out.push_back(std::move(o));
    }
  };
  smtp::transaction_sink settle = [&](const smtp::transaction_outcomes& t) -> asio::awaitable<void> {
    std::vector<attempt_outcome> out;
    for (const auto& [j, o] : t.settled) {
      attempt_outcome got = outcome_of(server, rcpts[pending[j]], o, t.report.result);
      // RFC 3461 5.2.2: a server that offers DSN takes over NOTIFY=SUCCESS
      // (it was passed on); one that does not gets a "relayed" report here.
      if (got.status == smtp::delivery_status::ok) {
        got.reason = fmt::format("{}[{}]:{}", server.c.host, server.c.ip, smtp_port);  // where it went
        if (!session.fsm().server_capabilities().dsn) got.success_action = "relayed";
      }
      keep_or_settle(pending[j], std::move(got), out);
    }
    if (!out.empty()) co_await sink(std::move(out));
  };
  auto unanswered = co_await smtp::deliver_all(session, std::move(message), settle);
  // The session broke before these were answered, in the phase its last
  // transaction had reached.
  const auto& last = session.fsm().outcomes();
  smtp::recipient_outcome lost{{}, smtp::delivery_status::tempfail, std::nullopt,
                               last.empty() ? smtp::client_phase::mail : last.front().at};
  std::vector<attempt_outcome> out;
  for (auto j : unanswered) keep_or_settle(pending[j], outcome_of(server, rcpts[pending[j]], lost, session.fsm().result()), out);
  if (!out.empty()) co_await sink(std::move(out));
  std::sort(kept.begin(), kept.end());
  co_return kept;
}

// Each pending recipient that has no other server to try: its last reason stands.
std::vector<attempt_outcome> left_over(const std::vector<std::string>& rcpts, const std::vector<std::size_t>& pending,
                                       const std::vector<attempt_outcome>& carried) {
  std::vector<attempt_outcome> out;
  for (auto k : pending) {
    attempt_outcome o = carried[k];
    if (o.rcpt.empty()) o = {rcpts[k], smtp::delivery_status::tempfail, "4.4.1", "no mail exchanger could be reached", "", "", "", ""};
    if (o.status == smtp::delivery_status::ok) o.status = smtp::delivery_status::tempfail;
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace

asio::awaitable<void> mta::deliver_remote(const queue_file& file, const std::vector<std::string>& rcpts,
                                          const route_remote& route, const outcome_sink& sink) {
  // Read before the first suspension (a crash meanwhile empties the queue).
  const smtp::outgoing_message message = outgoing(file, rcpts);
  const std::string sender = file.reverse_path, queue_id = file.queue_id;
  const delivery_settings& limits = config_.delivery;
  std::vector<std::size_t> pending(rcpts.size());
  std::iota(pending.begin(), pending.end(), std::size_t{0});
  std::vector<attempt_outcome> carried(rcpts.size());  // each pending recipient's last soft failure
  std::size_t addresses = 0, sessions = 0;
  // `may`: a failed handshake is tried again at once in the clear, on the
  // same server; the server is not counted twice.
  bool plaintext = false, final = false;
  for (std::size_t i = 0; i < route.candidates.size() && !pending.empty(); ++i) {
    const candidate& c = route.candidates[i];
    const server_context server{c, sender, config_.host, *config_.mta_profile};
    if (!plaintext)
      final = i + 1 == route.candidates.size() || (limits.mx_address_limit > 0 && ++addresses >= limits.mx_address_limit);
    session_opening got;
    if (!throttled(c, rcpts, pending, carried)) got = co_await open_session(queue_id, server, plaintext, rcpts, pending, carried);
    // The plaintext retry is for this server only.
    plaintext = got.again_in_plaintext;
    if (plaintext) {
      --i;  // the same server again (unsigned wrap-around, undone by ++i)
      continue;
    }
    if (!got.session) {
      if (final) break;
      next_mx(queue_id, route, i, rcpts, pending, carried);
      continue;
    }
    // Handshake errors do not count toward the session limit; deliveries do.
    if (limits.mx_session_limit > 0 && ++sessions >= limits.mx_session_limit) final = true;
    const bool move_on = !final && limits.next_mx_on_soft_error;
    pending = co_await transactions(*got.session, server, message, rcpts, pending, carried, move_on, sink);
    note_421(queue_id, c, got.session->fsm());
    co_await finish_session(c, std::move(got.session), got.uses + 1);
    if (pending.empty() || !move_on) break;
    next_mx(queue_id, route, i, rcpts, pending, carried);
  }
  auto out = left_over(rcpts, pending, carried);
  if (!out.empty()) co_await sink(std::move(out));
}

asio::awaitable<mta::session_opening> mta::open_session(const std::string& queue_id, const server_context& server,
                                                        bool plaintext, const std::vector<std::string>& rcpts,
                                                        const std::vector<std::size_t>& pending,
                                                        std::vector<attempt_outcome>& carried) {
  const candidate& c = server.c;
  auto carry_all = [&](const auto& make) {
    for (auto k : pending) carried[k] = make(rcpts[k]);
  };
  // A cached session to this server, or a slot for a new one (destinations.cpp).
  if (std::optional<idle_session> reused = co_await acquire(queue_id, c))
    co_return session_opening{std::move(reused->session), reused->uses, false};
  auto conn = co_await svc_.network.connect(config_.host, c.ip, smtp_port, config_.limits.connect_timeout);
  if (!conn.conn) {
    release(c.ip);
    delivery_problem p;
    p.what = conn.error == net::connect_error::refused ? delivery_problem::kind::refused
                                                       : delivery_problem::kind::connect_timeout;
    p.phase = "connect";
    carry_all([&](const std::string& r) { return from_problem(server, r, p, smtp::delivery_status::tempfail, "4.4.1"); });
    co_return session_opening{};
  }
  auto session = std::make_shared<smtp::client_session>(conn.conn, svc_.clock, svc_.trace, session_options(c, plaintext));
  auto opened = co_await session->open();
  if (opened == smtp::session_result::ok) co_return session_opening{std::move(session), 0, false};
  const bool retry_plain = opened == smtp::session_result::tls_failed && config_.tls_level == net::tls_level::may &&
                           !plaintext;
  if (opened == smtp::session_result::tls_failed && !retry_plain) {
    carry_all([&](const std::string& r) { return tls_failure(server, r, session->fsm()); });
  } else if (!retry_plain) {
    auto at = opening_phase(session->fsm().result());
    carry_all([&](const std::string& r) {
      return opening_failure(server, r, session->fsm().result(), session->fsm().last_reply(), at);
    });
    note_421(queue_id, c, session->fsm());
  }
  co_await session->quit();
  release(c.ip);
  co_return session_opening{nullptr, 0, retry_plain};
}

smtp::client_session_options mta::session_options(const candidate& c, bool plaintext) {
  smtp::client_session_options opts;
  opts.protocol.helo_name = config_.host;
  opts.protocol.pipeline_data = config_.delivery.pipeline_data;
  opts.protocol.timeouts.set(smtp::client_phase::data_end, config_.limits.data_timeout);
  opts.host = config_.host;
  opts.agent = "mta";
  opts.peer = c.host;
  opts.protocol.tls = plaintext ? net::tls_level::none : config_.tls_level;
  opts.start_tls = [this, peer = c.host](std::shared_ptr<net::stream>&) { return tls_connect(peer); };
  return opts;
}

// The sender's side of a simulated STARTTLS to `peer` (net::simulated_client_tls).
// A real server (`mailsim world`) would wait for a real ClientHello, which
// this client cannot send: the attempt fails as a handshake failure would,
// so `may` goes on in plaintext and `encrypt` defers, and no plaintext is
// ever sent where the server expects TLS.
asio::awaitable<smtp::tls_outcome> mta::tls_connect(std::string peer) {
  if (svc_.network.is_outside(peer)) {
    smtp::tls_outcome out;
    out.reason = "no TLS client toward a real server";
    co_return out;
  }
  co_return net::simulated_client_tls(svc_.network.tls_fault(peer, smtp_port), config_.tls_level, peer);
}

void mta::next_mx(const std::string& queue_id, const route_remote& route, std::size_t from,
                  const std::vector<std::string>& rcpts, const std::vector<std::size_t>& pending,
                  const std::vector<attempt_outcome>& carried) {
  const candidate& left = route.candidates[from];
  const candidate& next = route.candidates[from + 1];
  std::vector<std::string_view> moved;
  for (auto k : pending) moved.push_back(rcpts[k]);
  svc_.trace.emit(config_.host, "mta", "mx.next",
                  {{"queue_id", queue_id}, {"peer", left.host}, {"ip", left.ip}, {"next", next.host},
                   {"next_ip", next.ip}, {"rcpts", moved}, {"reason", carried[pending.front()].reason}});
}

}  // namespace sim::mta
