// sim/mta/local_delivery.cpp - the lmtp role: local mail goes to the LDA.
//
// As Postfix hands mail to Dovecot: an LMTP session (RFC 2033) over an
// in-process connection, so the LDA's answer for each recipient after the
// final dot is visible in the trace.  When the hop takes no time (live
// mode: no latency, no slow fault on the host), the same dialogue runs
// without the connection (lda::lmtp_pipe: the same bytes and events).
#include "sim/lda/lda.hpp"
#include "sim/lda/lmtp_pipe.hpp"
#include "sim/mta/mta.hpp"
#include "sim/mta/profiles/profile_text.hpp"
#include "sim/net/memory_stream.hpp"
#include "sim/smtp/client_session.hpp"

namespace sim::mta {
namespace {

inline constexpr std::uint16_t lmtp_port = 24;  // RFC 2033 section 5 (LMTP has no port of its own; 24 is private)

// Each recipient's outcome from the LDA's answers (LMTP: one per recipient).
std::vector<attempt_outcome> lmtp_outcomes(const mta_config& config, const std::vector<std::string>& rcpts,
                                           const smtp::delivery_report& report) {
  std::vector<attempt_outcome> out;
  for (std::size_t k = 0; k < rcpts.size(); ++k) {
    const smtp::recipient_outcome* o = k < report.recipients.size() ? &report.recipients[k] : nullptr;
    if (o && o->server_reply) {
      const auto& r = *o->server_reply;
      delivery_problem p;
      p.host = config.host;
      p.reply = r;
      p.phase = std::string(text::phase_word(o->at));
      p.rcpt = rcpts[k];
      p.lmtp = true;
      // RFC 3461 5.2.2: the LDA is the final delivery ("delivered"); a
      // success's reason is where it went, as lmtp(8) names the socket.
      const bool ok = o->status == smtp::delivery_status::ok;
      out.push_back({rcpts[k], o->status, r.enhanced.empty() ? std::to_string(r.code / 100) + ".0.0" : r.enhanced,
                     ok ? config.host + "[private/lmtp]" : config.mta_profile->describe(p), text::reply_line(r),
                     config.host, p.phase, ok ? "delivered" : ""});
    } else {
      out.push_back({rcpts[k], smtp::delivery_status::tempfail, "4.3.0", "local delivery agent did not answer", "", "", "", ""});
    }
  }
  return out;
}

}  // namespace

// The LDA's answers after the final dot are settled (and the queue file
// written) before QUIT, not after its 221 (RFC 5321 section 6.1).
asio::awaitable<void> mta::deliver_local(const queue_file& file, const std::vector<std::string>& rcpts,
                                         const outcome_sink& sink) {
  if (!lda_) {
    std::vector<attempt_outcome> out;
    for (const auto& r : rcpts)
      out.push_back({r, smtp::delivery_status::permfail, "5.3.0", "no local delivery agent on " + config_.host, "", "", "", ""});
    co_await sink(std::move(out));
    co_return;
  }
  // Built before the first suspension: `file` lives in the queue, which a
  // crash while this session waits empties.
  smtp::outgoing_message message = outgoing(file, rcpts);
  net::endpoint self{config_.host, config_.ip, 0};
  net::endpoint lmtp{config_.host, config_.ip, lmtp_port};
  smtp::client_session_options opts;
  opts.protocol.helo_name = config_.host;
  opts.protocol.lmtp = true;
  opts.host = config_.host;
  opts.agent = "mta";
  opts.peer = config_.host;
  std::string session = svc_.trace.next_session_id();
  if (!svc_.clock.is_virtual() && !svc_.network.splitter() &&
      svc_.network.delay_for(config_.host, lmtp_port) == duration{0}) {
    lda::lmtp_pipe pipe(*lda_, svc_.clock, svc_.trace, std::move(session), self, lmtp, std::move(opts));
    co_await pipe.open();
    co_await sink(lmtp_outcomes(config_, rcpts, co_await pipe.deliver(std::move(message))));
    co_await pipe.quit();
    co_return;
  }
  auto [client, server] = net::memory_stream::make_pair(svc_.network, std::move(session), self, lmtp);
  tasks_->spawn(lda_->serve(server));
  smtp::client_session s(client, svc_.clock, svc_.trace, opts);
  co_await s.open();
  co_await sink(lmtp_outcomes(config_, rcpts, co_await s.deliver(std::move(message))));
  co_await s.quit();
}

}  // namespace sim::mta
