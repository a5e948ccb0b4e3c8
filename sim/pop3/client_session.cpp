// sim/pop3/client_session.cpp - the MUA's POP3 fetch over a connected stream.
#include "sim/pop3/client_session.hpp"

#include <array>
#include <span>

#include "sim/core/timeout.hpp"

namespace sim::pop3 {

namespace {

// Sends the command lines; false when the dialogue is over (or the write failed).
asio::awaitable<bool> perform(net::stream& conn, trace& tr, const client_options& options, client_fsm& fsm,
                              std::vector<client_action> actions) {
  std::string out;
  bool open = true;
  for (auto& action : actions) {
    if (auto* send = std::get_if<client_send>(&action)) {
      tr.emit(options.host, "mua", "pop3.command",
              {{"session", conn.session()}, {"peer", conn.remote().host}, {"line", send->masked}});
      out += send->line + "\r\n";
    } else {
      open = false;
    }
  }
  if (out.empty()) co_return open;
  error_code ec = co_await conn.write_all(out);
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
    bool open = co_await perform(*conn, tr, options, fsm, std::move(actions));
    if (!open) break;
  }
  if (conn->is_open()) conn->close();
  co_return fsm.result();
}

}  // namespace sim::pop3
