// sim/smtp/client_session.cpp - the client loop: fsm actions to stream writes and timed reads.
#include "sim/smtp/client_session.hpp"

#include <algorithm>
#include <array>
#include <deque>

#include "sim/core/timeout.hpp"

namespace sim::smtp {

client_session::client_session(std::shared_ptr<net::stream> conn, sim::clock& clk, sim::trace& tr,
                               client_session_options options)
    : conn_(std::move(conn)), clk_(clk), tr_(tr), fsm_(std::move(options.protocol)),
      start_tls_(std::move(options.start_tls)), reading_(clk) {
  origin_ = {options.host, options.agent, conn_->session(), options.peer.empty() ? conn_->remote().host : options.peer};
}

// Runs the fsm until it is idle (ready for a message) or closed.
asio::awaitable<void> client_session::pump() {
  auto cancellation = co_await asio::this_coro::cancellation_state;
  while (true) {
    client_action a = fsm_.next();
    switch (a.what) {
      case client_action::kind::send:
        for (std::size_t i = 0; i < a.command_lines(); ++i) trace_command(tr_, origin_, a.trace_line(i));
        if (!send_now(a)) co_await send(a);
        break;
      case client_action::kind::read:
        if (!receive_now()) {
          auto [ec, n] = co_await receive(a, cancellation.slot());
          on_bytes(ec, n);
        }
        break;
      case client_action::kind::start_tls: co_await handshake(); break;
      case client_action::kind::idle: co_return;
      case client_action::kind::closed:
        if (conn_->is_open()) conn_->close();
        co_return;
    }
  }
}

// RFC 3207 4: after the 220 the handshake; a failure is traced on the
// client's side as `tls.fail` (the server traces `tls.handshake`).
asio::awaitable<void> client_session::handshake() {
  tls_outcome out;
  out.reason = "no TLS available";
  if (start_tls_) out = co_await start_tls_(conn_);
  if (out.agreed) {
    fsm_.tls_started(std::move(*out.agreed));
    co_return;
  }
  tr_.emit(origin_.host, origin_.agent, "tls.fail",
           {{"session", origin_.session}, {"peer", origin_.peer}, {"reason", out.reason}});
  if (out.lost) conn_->reset();
  fsm_.tls_failed(out.lost);
}

// A stream whose writes never wait takes them here, without a coroutine of
// their own; false: send() must.
bool client_session::send_now(const client_action& a) {
  auto done = conn_->write_now(a.bytes);
  if (!done) return false;
  if (*done) fsm_.on_connection_lost();
  else if (a.is_data) trace_data(tr_, origin_, a.data_bytes, a.data_lines);
  return true;
}

// Bytes that have already arrived; false: receive() must wait for them.
bool client_session::receive_now() {
  std::size_t got = conn_->read_now(buf_);
  if (got > 0) fsm_.on_bytes(std::string_view(buf_.data(), got));
  return got > 0;
}

// RFC 5321 4.5.3.2.5: each block of content must be accepted within its timeout.
asio::awaitable<void> client_session::send(const client_action& a) {
  sim::deadline d(clk_, a.timeout);
  auto cancellation = co_await asio::this_coro::cancellation_state;
  d.follow(cancellation.slot());
  auto [ec] = co_await conn_->async_write_all(a.bytes, d.bind(asio::as_tuple(asio::use_awaitable)));
  if (ec && d.expired()) {
    fsm_.on_timeout();
  } else if (ec) {
    fsm_.on_connection_lost();
  } else if (a.is_data) {
    trace_data(tr_, origin_, a.data_bytes, a.data_lines);
  }
}

// The read that waits, within the action's timeout (RFC 5321 4.5.3.2);
// `outer`: the session's own cancellation.  pump() awaits it directly (no
// coroutine of its own) and hands on_bytes() the result.
asio::awaitable<std::tuple<error_code, std::size_t>> client_session::receive(const client_action& a,
                                                                            asio::cancellation_slot outer) {
  reading_.arm(a.timeout, outer);
  return conn_->async_read_some(buf_, reading_.bind(asio::as_tuple(asio::use_awaitable)));
}

void client_session::on_bytes(error_code ec, std::size_t n) {
  bool timed_out = ec && reading_.expired();
  reading_.disarm();
  if (timed_out) fsm_.on_timeout();
  else if (ec) fsm_.on_connection_lost();
  else fsm_.on_bytes(std::string_view(buf_.data(), n));
}

asio::awaitable<session_result> client_session::open() {
  co_await pump();
  co_return fsm_.idle() ? session_result::ok : fsm_.result();
}

delivery_report unsent_report(const client_fsm& fsm, const outgoing_message& message) {
  delivery_report report;
  report.result = fsm.result() == session_result::ok ? session_result::connection_lost : fsm.result();
  report.session_reply = fsm.last_reply();
  for (const auto& r : message.recipients)
    report.recipients.push_back({r.forward_path, delivery_status::tempfail, {}, client_phase::greeting});
  return report;
}

delivery_report finished_report(const client_fsm& fsm) {
  return {fsm.result(), fsm.last_reply(), fsm.outcomes()};
}

asio::awaitable<delivery_report> client_session::deliver(outgoing_message message) {
  if (!fsm_.idle()) co_return unsent_report(fsm_, message);
  fsm_.send_message(std::move(message));
  co_await pump();
  co_return finished_report(fsm_);
}

asio::awaitable<void> client_session::quit() {
  fsm_.quit();
  co_await pump();
  if (conn_->is_open()) conn_->close();
}

namespace {

bool too_many_recipients(const recipient_outcome& o) {
  return o.server_reply && o.server_reply->code == 452 && o.server_reply->enhanced == "4.5.3";
}

}  // namespace

asio::awaitable<std::vector<std::size_t>> deliver_all(client_session& session, outgoing_message message,
                                                      const transaction_sink& sink) {
  std::vector<outgoing_recipient> all = std::move(message.recipients);
  std::deque<std::size_t> pending;
  for (std::size_t i = 0; i < all.size(); ++i) pending.push_back(i);
  std::size_t batch_limit = all.size();
  while (!pending.empty()) {
    std::vector<std::size_t> batch(pending.begin(),
                                   pending.begin() + static_cast<std::ptrdiff_t>(std::min(batch_limit, pending.size())));
    message.recipients.clear();
    for (auto i : batch) message.recipients.push_back(all[i]);
    auto report = co_await session.deliver(message);
    bool answered = false;
    for (const auto& o : report.recipients) answered = answered || o.server_reply.has_value();
    if (!answered) break;
    pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(batch.size()));
    transaction_outcomes t{report, {}};
    std::vector<std::size_t> again;
    for (std::size_t k = 0; k < batch.size(); ++k) {
      recipient_outcome o = k < report.recipients.size() ? report.recipients[k]
                                                         : recipient_outcome{all[batch[k]].forward_path, delivery_status::tempfail, std::nullopt,
                                                                             client_phase::greeting};
      if (too_many_recipients(o) && k > 0 && session.usable()) {
        if (again.empty()) batch_limit = k;  // the server took k recipients
        again.push_back(batch[k]);
      } else {
        t.settled.emplace_back(batch[k], std::move(o));
      }
    }
    pending.insert(pending.begin(), again.begin(), again.end());
    co_await sink(t);
  }
  co_return std::vector<std::size_t>(pending.begin(), pending.end());
}

asio::awaitable<delivery_report> deliver_one(std::shared_ptr<net::stream> conn, sim::clock& clk, sim::trace& tr,
                                             client_session_options options, outgoing_message message) {
  client_session s(std::move(conn), clk, tr, std::move(options));
  co_await s.open();
  auto report = co_await s.deliver(std::move(message));
  co_await s.quit();
  co_return report;
}

}  // namespace sim::smtp
