// sim/imap/client_session.cpp - the MUA's IMAP fetch over a connected stream.
#include "sim/imap/client_session.hpp"

#include <array>
#include <span>

#include "sim/core/timeout.hpp"

namespace sim::imap {

namespace {

// RFC 9051 6.2.1: the client's side of the handshake after STARTTLS's OK;
// what the fsm does next, or nothing when it failed.
asio::awaitable<std::vector<client_action>> imap_handshake(std::shared_ptr<net::stream>& conn, trace& tr,
                                                           const client_options& options, client_fsm& fsm) {
  auto out = co_await net::reader_tls(options.start_tls, conn, tr, options.host, options.peer);
  if (out.agreed) co_return fsm.tls_started();
  fsm.tls_failed(out.reason);
  co_return std::vector<client_action>{};
}

// Sends the commands (and runs a handshake asked for); false when the
// dialogue is over (or the write failed).
asio::awaitable<bool> perform(std::shared_ptr<net::stream>& conn, trace& tr, const client_options& options,
                              client_fsm& fsm, std::vector<client_action> actions) {
  std::string out;
  bool open = true;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    if (auto* send = std::get_if<client_send>(&actions[i])) {
      if (!send->masked.empty()) {
        tr.emit(options.host, "mua", "imap.command",
                {{"session", conn->session()}, {"peer", conn->remote().host}, {"line", send->masked}});
      }
      out += send->bytes;
    } else if (std::holds_alternative<client_starttls>(actions[i])) {
      // (STARTTLS went in an earlier write: nothing is pending here.)
      auto next = co_await imap_handshake(conn, tr, options, fsm);
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
    auto read = conn->read_some(std::span<char>(buffer));
    auto got = co_await with_timeout(clk, options.reply_timeout, std::move(read));
    if (!got) {
      fsm.on_timeout();
      break;
    }
    if (got->ec) {
      fsm.on_eof();
      break;
    }
    auto actions = fsm.receive(std::string_view(buffer.data(), got->bytes));
    bool open = co_await perform(conn, tr, options, fsm, std::move(actions));
    if (!open) break;
  }
  if (conn->is_open()) conn->close();
  co_return fsm.result();
}

}  // namespace sim::imap
