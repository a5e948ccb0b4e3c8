// sim/imap/server_session.cpp - one IMAP server connection: read, server_fsm, write.
#include "sim/imap/server_session.hpp"

#include <array>
#include <span>
#include <utility>

#include <boost/asio/experimental/channel.hpp>

#include "sim/core/timeout.hpp"
#include "sim/imap/response.hpp"
#include "sim/imap/server_fsm.hpp"

namespace sim::imap {

namespace {

// What reaches the session: bytes from the client, the end of the stream
// (an error), or a wake-up from the store (no bytes, no error).
using inbox_channel = asio::experimental::channel<void(error_code, std::string)>;

struct server_context {
  net::stream& conn;
  trace& tr;
  const server_options& options;
};

void trace_line(server_context& ctx, std::string_view event, std::string_view line) {
  ctx.tr.emit(ctx.options.host, "imap", event,
              {{"session", ctx.conn.session()}, {"peer", ctx.conn.remote().host}, {"line", line}});
}

// Performs the actions and writes the responses.  False when the session is over.
asio::awaitable<bool> perform(server_context& ctx, std::vector<server_action> actions) {
  std::string out;
  bool open = true;
  for (auto& action : actions) {
    if (auto* send = std::get_if<send_action>(&action)) {
      for (const auto& line : response_lines(send->bytes)) trace_line(ctx, "imap.response", line);
      out += send->bytes;
    } else if (auto* command = std::get_if<command_action>(&action)) {
      if (ctx.options.trace_commands) trace_line(ctx, "imap.command", command->line);
    } else if (std::holds_alternative<sync_action>(action)) {
      if (ctx.options.sync) co_await ctx.options.sync();
    } else {
      open = false;
    }
  }
  if (out.empty()) co_return open;
  error_code ec = co_await ctx.conn.write_all(out);
  co_return open && !ec;
}

// Reads the client's bytes into the channel until the stream ends.
asio::awaitable<void> pump(std::shared_ptr<net::stream> conn, std::shared_ptr<inbox_channel> inbox) {
  std::array<char, 4096> buffer;
  for (;;) {
    auto got = co_await conn->read_some(std::span<char>(buffer));
    std::string bytes = got.ec ? std::string{} : std::string(buffer.data(), got.bytes);
    auto [ec] = co_await inbox->async_send(got.ec, std::move(bytes), asio::as_tuple(asio::use_awaitable));
    if (ec || got.ec) co_return;
  }
}

asio::awaitable<void> serve(std::shared_ptr<net::stream> conn, std::shared_ptr<inbox_channel> inbox,
                            mail_store& store, clock& clk, trace& tr, const server_options& options) {
  server_context ctx{*conn, tr, options};
  server_config config;
  config.host_name = options.host;
  config.now = [&clk] { return clk.wall_now(); };
  config.on_change = [inbox] { inbox->try_send(error_code{}, std::string{}); };
  server_fsm fsm(store, std::move(config));
  // (Named steps, no temporaries inside co_await: g++ 12 mishandles some.)
  auto greeting = fsm.start();
  bool open = co_await perform(ctx, std::move(greeting));
  time_point deadline = clk.now() + options.idle_timeout;
  while (open) {
    auto receive = inbox->async_receive(asio::as_tuple(asio::use_awaitable));
    auto got = co_await with_timeout(clk, deadline - clk.now(), std::move(receive));
    if (!got) {
      // RFC 9051 §5.4: autologout, with an untagged BYE.
      auto bye = fsm.goodbye("autologout; idle for too long");
      co_await perform(ctx, std::move(bye));
      break;
    }
    auto& [ec, bytes] = *got;
    if (ec) break;
    std::vector<server_action> actions;
    if (bytes.empty()) {
      actions = fsm.poll();
    } else {
      deadline = clk.now() + options.idle_timeout;
      actions = fsm.receive(bytes);
    }
    open = co_await perform(ctx, std::move(actions));
  }
  inbox->close();
  if (conn->is_open()) conn->close();
}

}  // namespace

asio::awaitable<void> server_session(std::shared_ptr<net::stream> conn, mail_store& store, clock& clk, trace& tr,
                                     server_options options) {
  using namespace asio::experimental::awaitable_operators;
  auto inbox = std::make_shared<inbox_channel>(clk.executor(), 1);
  co_await (pump(conn, inbox) && serve(conn, inbox, store, clk, tr, options));
}

}  // namespace sim::imap
