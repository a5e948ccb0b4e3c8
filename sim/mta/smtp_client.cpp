// sim/mta/smtp_client.cpp - the smtp role: one transaction to the next hop.
//
// RFC 5321 section 5.1: try the candidates in order.  A refused or
// timed-out connection, a rejected greeting or HELO, a 421 or a lost
// connection moves on to the next one; once a server has answered for the
// recipients, its answers decide (2xx delivered, 4xx deferred, 5xx bounced).
#include <fmt/format.h>

#include "sim/mta/mta.hpp"
#include "sim/smtp/client_session.hpp"

namespace sim::mta {
namespace {

std::string reply_line(const smtp::reply& r) {
  std::string out = std::to_string(r.code);
  if (!r.enhanced.empty()) out += " " + r.enhanced;
  for (const auto& l : r.lines) out += " " + l;
  return out;
}

// RFC 3463: the class of the reply when the server gave no enhanced code.
std::string status_of(const smtp::reply& r) {
  if (!r.enhanced.empty()) return r.enhanced;
  return fmt::format("{}.0.0", r.code / 100);
}

struct hop_failure {
  std::string diagnostic;
  std::string enhanced = "4.4.1";
  std::string host;
  bool has_reply = false;
  bool permanent = false;
};

// Postfix's words for a session that ended before the recipients were settled.
hop_failure describe_session(const candidate& c, smtp::session_result r, const std::optional<smtp::reply>& reply) {
  std::string where = fmt::format("{}[{}]", c.host, c.ip);
  hop_failure f;
  f.host = c.host;
  if (reply) {
    f.has_reply = true;
    f.enhanced = status_of(*reply);
    f.permanent = reply->permanent() && r != smtp::session_result::reply_421;
    f.diagnostic = reply_line(*reply);
    if (r == smtp::session_result::greeting_rejected)
      f.diagnostic = fmt::format("host {} refused to talk to me: {}", where, reply_line(*reply));
    return f;
  }
  f.enhanced = "4.4.2";
  f.diagnostic = r == smtp::session_result::timeout
                     ? fmt::format("conversation with {} timed out", where)
                     : fmt::format("lost connection with {}", where);
  return f;
}

// Every transaction needed for `rcpts` over one open session (the server's
// 452 4.5.3 recipient limit is smtp::deliver_all's business); each answered
// transaction goes to the sink before the next one, and before QUIT.  False
// when no recipient was answered at all (the connection failed first).
asio::awaitable<bool> transactions(smtp::client_session& session, const candidate& c, smtp::outgoing_message message,
                                   const std::vector<std::string>& rcpts, const outcome_sink& sink) {
  bool answered = false;
  smtp::transaction_sink settle = [&](const smtp::transaction_outcomes& t) -> asio::awaitable<void> {
    answered = true;
    std::vector<attempt_outcome> out;
    for (const auto& [k, o] : t.settled) {
      if (o.server_reply)
        out.push_back({rcpts[k], o.status, status_of(*o.server_reply), reply_line(*o.server_reply), c.host, true});
      else
        out.push_back({rcpts[k], smtp::delivery_status::tempfail, "4.4.2",
                       describe_session(c, t.report.result, t.report.session_reply).diagnostic, c.host, false});
    }
    co_await sink(std::move(out));
  };
  auto unsettled = co_await smtp::deliver_all(session, std::move(message), settle);
  if (!answered) co_return false;
  // A later transaction failed before any answer.
  std::vector<attempt_outcome> out;
  for (auto k : unsettled)
    out.push_back({rcpts[k], smtp::delivery_status::tempfail, "4.4.2",
                   fmt::format("lost connection with {}[{}]", c.host, c.ip), c.host, false});
  if (!out.empty()) co_await sink(std::move(out));
  co_return true;
}

}  // namespace

asio::awaitable<void> mta::deliver_remote(const queue_file& file, const std::vector<std::string>& rcpts,
                                          const route_remote& route, const outcome_sink& sink) {
  smtp::outgoing_message message = outgoing(file, rcpts);
  hop_failure last{"no mail exchanger could be reached", "4.4.1", "", false, false};
  for (std::size_t i = 0; i < route.candidates.size(); ++i) {
    const candidate& c = route.candidates[i];
    auto conn = co_await svc_.network.connect(config_.host, c.ip, smtp_port, config_.limits.connect_timeout);
    if (!conn.conn) {
      bool refused = conn.error == net::connect_error::refused;
      last = {fmt::format("connect to {}[{}]:25: {}", c.host, c.ip, refused ? "Connection refused" : "Connection timed out"),
              "4.4.1", c.host, false, false};
      continue;
    }
    smtp::client_session_options opts;
    opts.protocol.helo_name = config_.host;
    opts.protocol.timeouts.set(smtp::client_phase::data_end, config_.limits.data_timeout);
    opts.host = config_.host;
    opts.agent = "mta";
    opts.peer = c.host;
    smtp::client_session session(conn.conn, svc_.clock, svc_.trace, opts);
    auto opened = co_await session.open();
    if (opened != smtp::session_result::ok) {
      last = describe_session(c, opened, session.fsm().last_reply());
      co_await session.quit();
      continue;
    }
    bool answered = co_await transactions(session, c, message, rcpts, sink);
    if (!answered) last = describe_session(c, session.fsm().result(), session.fsm().last_reply());
    co_await session.quit();
    if (answered) co_return;
  }
  std::vector<attempt_outcome> out;
  for (const auto& r : rcpts)
    out.push_back({r, last.permanent ? smtp::delivery_status::permfail : smtp::delivery_status::tempfail, last.enhanced,
                   last.diagnostic, last.host, last.has_reply});
  co_await sink(std::move(out));
}

}  // namespace sim::mta
