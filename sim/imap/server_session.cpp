// sim/imap/server_session.cpp - one IMAP server connection: read, server_fsm, write.
#include "sim/imap/server_session.hpp"

#include <array>
#include <span>
#include <utility>

#include <boost/asio/experimental/channel.hpp>

#include "sim/core/timeout.hpp"
#include "sim/net/tls_trace.hpp"
#include "sim/imap/response.hpp"
#include "sim/imap/server_fsm.hpp"

namespace sim::imap {

// (Outside the unnamed namespace: the public coroutine's frame holds one.)
namespace server_session_detail {

// What reaches the session: bytes from the client, the end of the stream
// (an error), or a wake-up from the store (no bytes, no error).
using inbox_channel = asio::experimental::channel<void(error_code, std::string)>;
// The session's go-ahead to the reader after it handled a read's bytes.
using go_channel = asio::experimental::channel<void(error_code)>;

// Shared by the reader and the session: the stream (the TLS one after
// STARTTLS) and the two channels between them.
struct reader_link {
  reader_link(std::shared_ptr<net::stream> c, clock& clk)
      : conn(std::move(c)), inbox(clk.executor(), 1), go(clk.executor(), 1) {}
  std::shared_ptr<net::stream> conn;
  inbox_channel inbox;
  go_channel go;
};

}  // namespace server_session_detail

namespace {

using server_session_detail::reader_link;

struct server_context {
  std::shared_ptr<net::stream>& conn;  // replaced by the TLS stream after STARTTLS
  server_fsm& fsm;
  trace& tr;
  const server_options& options;
};

void trace_line(server_context& ctx, std::string_view event, std::string_view line) {
  ctx.tr.emit(ctx.options.host, "imap", event,
              {{"session", ctx.conn->session()}, {"peer", ctx.conn->remote().host}, {"line", line}});
}

void trace_tls(server_context& ctx, const net::tls_info& agreed) {
  net::trace_handshake(ctx.tr, ctx.options.host, "imap", ctx.conn->session(), ctx.conn->remote().host, agreed);
}

// RFC 9051 §6.2.1: the OK went out in the clear; now the handshake.
asio::awaitable<bool> start_tls(server_context& ctx) {
  co_return co_await net::server_start_tls(ctx.options.start_tls, ctx.conn, ctx.tr, ctx.options.host, "imap");
}

// Performs the actions (and those they lead to) and writes the responses.
// False when the session is over.
asio::awaitable<bool> perform(server_context& ctx, std::vector<server_action> actions) {
  std::string out;
  bool open = true;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    auto action = std::move(actions[i]);
    if (auto* send = std::get_if<send_action>(&action)) {
      for (const auto& line : response_lines(send->bytes)) trace_line(ctx, "imap.response", line);
      out += send->bytes;
    } else if (auto* command = std::get_if<command_action>(&action)) {
      if (ctx.options.trace_commands) trace_line(ctx, "imap.command", command->line);
    } else if (std::holds_alternative<sync_action>(action)) {
      if (ctx.options.sync) co_await ctx.options.sync();
    } else if (std::holds_alternative<starttls_action>(action)) {
      error_code ec = co_await ctx.conn->write_all(out);
      out.clear();
      if (ec || !co_await start_tls(ctx)) co_return false;
      for (auto& next : ctx.fsm.tls_started()) actions.push_back(std::move(next));
    } else {
      open = false;
    }
  }
  if (out.empty()) co_return open;
  error_code ec = co_await ctx.conn->write_all(out);
  co_return open && !ec;
}

// Reads the client's bytes into the inbox until the stream ends, each read
// after the session's go-ahead for the one before (it may swap the stream).
asio::awaitable<void> pump(std::shared_ptr<reader_link> link) {
  std::array<char, 4096> buffer;
  for (;;) {
    auto got = co_await link->conn->read_some(std::span<char>(buffer));
    if (!got.ec && got.bytes == 0) continue;  // (empty bytes mean a wake-up to the session)
    std::string bytes = got.ec ? std::string{} : std::string(buffer.data(), got.bytes);
    auto [ec] = co_await link->inbox.async_send(got.ec, std::move(bytes), asio::as_tuple(asio::use_awaitable));
    if (ec || got.ec) co_return;
    auto [stopped] = co_await link->go.async_receive(asio::as_tuple(asio::use_awaitable));
    if (stopped) co_return;
  }
}

server_config fsm_config(std::shared_ptr<reader_link> link, clock& clk, const server_options& options) {
  server_config config;
  config.host_name = options.host;
  config.now = [&clk] { return clk.wall_now(); };
  config.on_change = [link] { link->inbox.try_send(error_code{}, std::string{}); };
  config.tls = options.tls;
  config.tls_active = options.implicit_tls.has_value();
  return config;
}

asio::awaitable<void> serve(std::shared_ptr<reader_link> link, mail_store& store, clock& clk, trace& tr,
                            const server_options& options) {
  server_fsm fsm(store, fsm_config(link, clk, options));
  server_context ctx{link->conn, fsm, tr, options};
  if (options.implicit_tls) trace_tls(ctx, *options.implicit_tls);
  // (Named steps, no temporaries inside co_await: g++ 12 mishandles some.)
  auto greeting = fsm.start();
  bool open = co_await perform(ctx, std::move(greeting));
  time_point deadline = clk.now() + options.idle_timeout;
  while (open) {
    auto receive = link->inbox.async_receive(asio::as_tuple(asio::use_awaitable));
    auto got = co_await with_timeout(clk, deadline - clk.now(), std::move(receive));
    if (!got) {
      // RFC 9051 §5.4: autologout, with an untagged BYE.
      auto bye = fsm.goodbye("autologout; idle for too long");
      co_await perform(ctx, std::move(bye));
      break;
    }
    auto& [ec, bytes] = *got;
    if (ec) break;
    if (bytes.empty()) {
      auto updates = fsm.poll();
      open = co_await perform(ctx, std::move(updates));
      continue;
    }
    deadline = clk.now() + options.idle_timeout;
    auto actions = fsm.receive(bytes);
    open = co_await perform(ctx, std::move(actions));
    if (open) link->go.try_send(error_code{});
  }
  link->inbox.close();
  link->go.close();
  if (link->conn->is_open()) link->conn->close();
}

}  // namespace

asio::awaitable<void> server_session(std::shared_ptr<net::stream> conn, mail_store& store, clock& clk, trace& tr,
                                     server_options options) {
  using namespace asio::experimental::awaitable_operators;
  auto link = std::make_shared<server_session_detail::reader_link>(std::move(conn), clk);
  co_await (pump(link) && serve(link, store, clk, tr, options));
}

}  // namespace sim::imap
