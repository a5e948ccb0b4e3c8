// sim/pop3/client_session.cpp - the MUA's POP3 fetch over a connected stream.
#include "sim/pop3/client_session.hpp"

#include <array>
#include <span>

#include "sim/core/timeout.hpp"

namespace sim::pop3 {

namespace {

// RFC 2595 4: the client's side of the handshake after STLS's +OK; what
// the fsm does next, or nothing when it failed.
asio::awaitable<std::vector<client_action>> handshake(std::shared_ptr<net::stream>& conn, trace& tr,
                                                      const client_options& options, client_fsm& fsm) {
  auto out = co_await net::reader_tls(options.start_tls, conn, tr, options.host, options.peer);
  if (out.agreed) co_return fsm.tls_started();
  fsm.tls_failed(out.reason);
  co_return std::vector<client_action>{};
}

// Sends the command lines (and runs a handshake asked for); false when the
// dialogue is over (or the write failed).
asio::awaitable<bool> perform(std::shared_ptr<net::stream>& conn, trace& tr, const client_options& options,
                              client_fsm& fsm, std::vector<client_action> actions) {
  std::string out;
  bool open = true;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    if (auto* send = std::get_if<client_send>(&actions[i])) {
      tr.emit(options.host, "mua", "pop3.command",
              {{"session", conn->session()}, {"peer", conn->remote().host}, {"line", send->masked}});
      out += send->line + "\r\n";
    } else if (std::holds_alternative<client_starttls>(actions[i])) {
      // (STLS went in an earlier write: nothing is pending here.)
      auto next = co_await handshake(conn, tr, options, fsm);
      if (fsm.done()) co_return false;
      actions.insert(actions.end(), std::make_move_iterator(next.begin()), std::make_move_iterator(next.end()));
    } else {
      open = false;
    }
  }
  if (out.empty()) co_return open;
  error_code ec = co_await conn->write_all(out);
  if (ec) {
    fsm.on_eof();
    open = false;
  }
  co_return open;
}

}  // namespace

asio::awaitable<fetch_result> client_session(std::shared_ptr<net::stream> conn, clock& clk, trace& tr,
                                             client_options options) {
  client_fsm fsm(options.fetch);
  std::array<char, 4096> buffer;
  while (!fsm.done()) {
    // (Named steps, no temporaries inside co_await: g++ 12 mishandles some.)
    deadline d(clk, options.reply_timeout);
    auto cancellation = co_await asio::this_coro::cancellation_state;
    d.follow(cancellation.slot());
    auto [ec, n] = co_await conn->async_read_some(std::span<char>(buffer), d.bind(asio::as_tuple(asio::use_awaitable)));
    if (ec && d.expired()) {
      fsm.on_timeout();
      break;
    }
    if (ec) {
      fsm.on_eof();
      break;
    }
    auto actions = fsm.receive(std::string_view(buffer.data(), n));
    bool open = co_await perform(conn, tr, options, fsm, std::move(actions));
    if (!open) break;
  }
  if (conn->is_open()) conn->close();
  co_return fsm.result();
}

}  // namespace sim::pop3
