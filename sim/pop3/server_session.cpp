// sim/pop3/server_session.cpp - one POP3 server connection: read, server_fsm, write.
#include "sim/pop3/server_session.hpp"

#include <array>
#include <deque>
#include <span>
#include <utility>

#include <fmt/format.h>

#include "sim/core/timeout.hpp"
#include "sim/net/tls_trace.hpp"
#include "sim/pop3/server_fsm.hpp"

namespace sim::pop3 {

namespace {

// What one session keeps between batches of actions.
struct server_context {
  std::shared_ptr<net::stream> conn;  // replaced by the TLS stream after STLS
  maildrop& drop;
  clock& clk;
  trace& tr;
  const server_options& options;
  server_fsm fsm;
  std::string locked_user;  // set while this session holds the maildrop lock
};

void trace_line(server_context& ctx, std::string_view event, std::string_view line) {
  ctx.tr.emit(ctx.options.host, "pop3", event,
              {{"session", ctx.conn->session()}, {"peer", ctx.conn->remote().host}, {"line", line}});
}

void login_event(server_context& ctx, std::string_view result, const std::string& detail) {
  ctx.tr.emit(ctx.options.host, "pop3", "policy.check",
              {{"session", ctx.conn->session()}, {"peer", ctx.conn->remote().host}, {"check", "pop3_login"},
               {"result", result}, {"detail", detail}});
}

// The PASS check, behind the host's per-client limit on failed logins.
authorization checked_login(server_context& ctx, const authorize_action& auth) {
  login_limiter* limiter = ctx.options.limiter;
  const std::string& client = ctx.conn->remote().ip;
  time_point now = ctx.clk.now();
  if (limiter && limiter->refused(client, now)) {
    login_event(ctx, "refused", fmt::format("[{}] has {} failed logins within {}: no login from it for now", client,
                                            limiter->max_failures(), format_duration(limiter->window())));
    return authorization{authorization::status::refused, {}};
  }
  auto answer = authorize(ctx.drop, auth.user, auth.password);
  if (answer.result == authorization::status::denied) {
    std::size_t n = limiter ? limiter->failed(client, now) : 0;
    std::string count = limiter ? fmt::format(" ({} of {} from [{}] within {})", n, limiter->max_failures(), client,
                                              format_duration(limiter->window()))
                                : std::string();
    login_event(ctx, "reject", "<" + auth.user + ">: wrong user name or password" + count);
  }
  return answer;
}

void trace_tls(server_context& ctx, const net::tls_info& agreed) {
  net::trace_handshake(ctx.tr, ctx.options.host, "pop3", ctx.conn->session(), ctx.conn->remote().host, agreed);
}

asio::awaitable<bool> start_tls(server_context& ctx) {
  co_return co_await net::server_start_tls(ctx.options.start_tls, ctx.conn, ctx.tr, ctx.options.host, "pop3");
}

// Performs the actions (and those they lead to) and writes the responses.
// False when the session is over.
asio::awaitable<bool> perform(server_context& ctx, std::vector<server_action> actions) {
  std::deque<server_action> work(std::make_move_iterator(actions.begin()), std::make_move_iterator(actions.end()));
  std::string out;
  bool open = true;
  while (!work.empty()) {
    auto action = std::move(work.front());
    work.pop_front();
    if (auto* send = std::get_if<send_action>(&action)) {
      trace_line(ctx, "pop3.reply", std::string_view(send->bytes).substr(0, send->bytes.find("\r\n")));
      out += send->bytes;
    } else if (auto* command = std::get_if<command_action>(&action)) {
      if (ctx.options.trace_commands) trace_line(ctx, "pop3.command", command->line);
    } else if (auto* auth = std::get_if<authorize_action>(&action)) {
      auto answer = checked_login(ctx, *auth);
      if (answer.result == authorization::status::granted) ctx.locked_user = auth->user;
      for (auto& next : ctx.fsm.authorized(std::move(answer))) work.push_back(std::move(next));
    } else if (auto* commit = std::get_if<commit_action>(&action)) {
      ctx.drop.commit(ctx.locked_user, commit->deleted_uids);
    } else if (std::holds_alternative<starttls_action>(action)) {
      // RFC 2595 4: the +OK in the clear, then the handshake.
      if (!out.empty()) {
        error_code ec = co_await ctx.conn->write_all(out);
        out.clear();
        if (ec) co_return false;
      }
      if (!co_await start_tls(ctx)) co_return false;
      for (auto& next : ctx.fsm.tls_started()) work.push_back(std::move(next));
    } else {
      open = false;
    }
  }
  if (out.empty()) co_return open;
  error_code ec = co_await ctx.conn->write_all(out);
  co_return open && !ec;
}

}  // namespace

asio::awaitable<void> server_session(std::shared_ptr<net::stream> conn, maildrop& drop, clock& clk, trace& tr,
                                     server_options options) {
  server_context ctx{conn, drop, clk, tr, options, server_fsm{tls_settings{options.tls, options.implicit_tls.has_value()}},
                     {}};
  if (options.implicit_tls) trace_tls(ctx, *options.implicit_tls);
  // (Named steps, no temporaries inside co_await: g++ 12 mishandles some.)
  auto greeting = ctx.fsm.start();
  bool open = co_await perform(ctx, std::move(greeting));
  std::array<char, 4096> buffer;
  while (open) {
    deadline d(clk, options.idle_timeout);
    auto cancellation = co_await asio::this_coro::cancellation_state;
    d.follow(cancellation.slot());
    auto [ec, n] = co_await ctx.conn->async_read_some(std::span<char>(buffer), d.bind(asio::as_tuple(asio::use_awaitable)));
    // RFC 1939 section 3: on autologout the server closes without a
    // response and without entering UPDATE.
    if (ec) break;
    auto actions = ctx.fsm.receive(std::string_view(buffer.data(), n));
    open = co_await perform(ctx, std::move(actions));
  }
  // Released here rather than by a destructor: the maildrop may be gone
  // when an abandoned coroutine frame is destroyed with its io_context.
  if (!ctx.locked_user.empty()) drop.unlock(ctx.locked_user);
  if (ctx.conn->is_open()) ctx.conn->close();
}

}  // namespace sim::pop3
