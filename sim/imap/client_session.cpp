// sim/imap/client_session.cpp - the MUA's IMAP fetch over a connected stream.
#include "sim/imap/client_session.hpp"

#include <array>
#include <span>

#include "sim/core/timeout.hpp"

namespace sim::imap {

namespace {

// Sends the commands; false when the dialogue is over (or the write failed).
asio::awaitable<bool> perform(net::stream& conn, trace& tr, const client_options& options, client_fsm& fsm,
                              std::vector<client_action> actions) {
  std::string out;
  bool open = true;
  for (auto& action : actions) {
    if (auto* send = std::get_if<client_send>(&action)) {
      if (!send->masked.empty()) {
        tr.emit(options.host, "mua", "imap.command",
                {{"session", conn.session()}, {"peer", conn.remote().host}, {"line", send->masked}});
      }
      out += send->bytes;
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
    bool open = co_await perform(*conn, tr, options, fsm, std::move(actions));
    if (!open) break;
  }
  if (conn->is_open()) conn->close();
  co_return fsm.result();
}

}  // namespace sim::imap
