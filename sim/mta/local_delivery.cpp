// sim/mta/local_delivery.cpp - the lmtp role: local mail goes to the LDA.
//
// As Postfix hands mail to Dovecot: an LMTP session (RFC 2033) over an
// in-process connection, so the LDA's answer for each recipient after the
// final dot is visible in the trace.
#include "sim/lda/lda.hpp"
#include "sim/mta/mta.hpp"
#include "sim/mta/profiles/profile_text.hpp"
#include "sim/net/memory_stream.hpp"
#include "sim/smtp/client_session.hpp"

namespace sim::mta {

inline constexpr std::uint16_t lmtp_port = 24;  // RFC 2033 section 5 (LMTP has no port of its own; 24 is private)

// The LDA's answers after the final dot are settled (and the queue file
// written) before QUIT, not after its 221 (RFC 5321 section 6.1).
asio::awaitable<void> mta::deliver_local(const queue_file& file, const std::vector<std::string>& rcpts,
                                         const outcome_sink& sink) {
  std::vector<attempt_outcome> out;
  if (!lda_) {
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
  auto [client, server] =
      net::memory_stream::make_pair(svc_.network, svc_.trace.next_session_id(), self, lmtp);
  tasks_->spawn(lda_->serve(server));
  smtp::client_session_options opts;
  opts.protocol.helo_name = config_.host;
  opts.protocol.lmtp = true;
  opts.host = config_.host;
  opts.agent = "mta";
  opts.peer = config_.host;
  smtp::client_session session(client, svc_.clock, svc_.trace, opts);
  co_await session.open();
  auto report = co_await session.deliver(std::move(message));
  for (std::size_t k = 0; k < rcpts.size(); ++k) {
    const smtp::recipient_outcome* o = k < report.recipients.size() ? &report.recipients[k] : nullptr;
    if (o && o->server_reply) {
      const auto& r = *o->server_reply;
      delivery_problem p;
      p.host = config_.host;
      p.reply = r;
      p.phase = std::string(text::phase_word(o->at));
      p.rcpt = rcpts[k];
      p.lmtp = true;
      // RFC 3461 5.2.2: the LDA is the final delivery ("delivered"); a
      // success's reason is where it went, as lmtp(8) names the socket.
      const bool ok = o->status == smtp::delivery_status::ok;
      out.push_back({rcpts[k], o->status, r.enhanced.empty() ? std::to_string(r.code / 100) + ".0.0" : r.enhanced,
                     ok ? config_.host + "[private/lmtp]" : config_.mta_profile->describe(p), text::reply_line(r),
                     config_.host, p.phase, ok ? "delivered" : ""});
    } else {
      out.push_back({rcpts[k], smtp::delivery_status::tempfail, "4.3.0", "local delivery agent did not answer", "", "", "", ""});
    }
  }
  co_await sink(std::move(out));
  co_await session.quit();
}

}  // namespace sim::mta
