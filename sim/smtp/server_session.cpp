// sim/smtp/server_session.cpp - the server loop: read, fsm, hooks and faults, write.
#include "sim/smtp/server_session.hpp"

#include <array>

#include "sim/core/timeout.hpp"
#include "sim/smtp/session_trace.hpp"

namespace sim::smtp {
namespace {

class server_session {
 public:
  server_session(std::shared_ptr<net::stream> conn, net::connection_info info, sim::clock& clk, sim::trace& tr,
                 server_hooks& hooks, server_session_options options)
      : conn_(std::move(conn)), clk_(clk), tr_(tr), hooks_(hooks), opts_(std::move(options)),
        fsm_(opts_.protocol, observer()) {
    info_.connection = std::move(info);
    std::string host = opts_.host.empty() ? opts_.protocol.host_name : opts_.host;
    origin_ = {host, opts_.agent, conn_->session(), info_.connection.client.host};
    client_origin_ = {info_.connection.client.host, opts_.client_agent, conn_->session(), host};
  }

  asio::awaitable<void> run();

 private:
  server_observer observer();
  asio::awaitable<bool> on_reply(server_action& a);
  asio::awaitable<bool> on_decide(const decision_request& req);
  asio::awaitable<std::vector<reply>> ask_hooks(const decision_request& req);
  asio::awaitable<bool> apply_fault(phase at, const std::string& argument, std::vector<reply>& replies);
  asio::awaitable<bool> meet_fault(phase at, const std::string& argument, std::optional<reply>& replace);
  asio::awaitable<bool> flush();
  asio::awaitable<bool> read_more();

  std::shared_ptr<net::stream> conn_;
  sim::clock& clk_;
  sim::trace& tr_;
  server_hooks& hooks_;
  server_session_options opts_;
  server_fsm fsm_;
  session_info info_;
  trace_origin origin_, client_origin_;
  std::vector<std::pair<reply, phase>> pending_;  // replies not yet written (grouped, RFC 2920 3.1)
};

server_observer server_session::observer() {
  server_observer o;
  o.on_limit = [this](const limit_event& l) {
    tr_.emit(origin_.host, origin_.agent, "smtp.limit",
             {{"session", origin_.session}, {"peer", origin_.peer}, {"limit", std::string(limit_name(l.kind))},
              {"count", l.count}, {"max", l.limit}});
  };
  if (!opts_.trace_client_lines) return o;
  o.on_command = [this](const std::string& line) { trace_command(tr_, client_origin_, line); };
  o.on_data = [this](std::uint64_t bytes, std::uint64_t lines) { trace_data(tr_, client_origin_, bytes, lines); };
  return o;
}

asio::awaitable<void> server_session::run() {
  while (true) {
    server_action a = fsm_.next();
    bool alive = true;
    switch (a.what) {
      case server_action::kind::reply: alive = co_await on_reply(a); break;
      case server_action::kind::decide: alive = co_await on_decide(a.request); break;
      case server_action::kind::need_input:
        alive = co_await flush();
        if (alive) alive = co_await read_more();
        break;
      case server_action::kind::close:
        if (co_await flush()) conn_->close();
        co_return;
    }
    if (!alive) co_return;
  }
}

// Replies that no decision produced still meet phase-less faults (a `slow` server).
asio::awaitable<bool> server_session::on_reply(server_action& a) {
  if (a.delay.count() > 0) {
    // The error tarpit: what is already answered goes out, then the wait.
    if (!co_await flush()) co_return false;
    tr_.emit(origin_.host, origin_.agent, "smtp.penalty",
             {{"session", origin_.session}, {"peer", origin_.peer}, {"errors", a.errors}, {"delay", a.delay.count()}});
    co_await clk_.sleep_for(a.delay);
  }
  std::vector<reply> one{std::move(a.out)};
  if (!a.decided && !co_await apply_fault(a.at, "", one)) co_return false;
  pending_.emplace_back(std::move(one.front()), a.at);
  co_return true;
}

// The scenario's fault for the phase comes first: a server that drops the
// connection or answers otherwise at a phase never reaches its own
// decision, so a reset or a 4xx after the final dot leaves nothing queued
// (no duplicate when the client sends the message again).
asio::awaitable<bool> server_session::on_decide(const decision_request& req) {
  std::optional<reply> replace;
  if (!co_await meet_fault(req.at, req.argument, replace)) co_return false;
  std::vector<reply> answers;
  if (replace) answers.push_back(*replace);
  else answers = co_await ask_hooks(req);
  if (req.what == ask::message) fsm_.decide_message(std::move(answers));
  else fsm_.decide(std::move(answers.front()));
  info_.helo_name = fsm_.helo_name();
  info_.auth_identity = fsm_.auth_identity();
  co_return true;
}

asio::awaitable<std::vector<reply>> server_session::ask_hooks(const decision_request& req) {
  std::optional<reply> r;
  switch (req.what) {
    case ask::connect: r = co_await hooks_.on_connect(info_); break;
    case ask::helo: r = co_await hooks_.on_helo(info_, req.argument); break;
    case ask::mail: r = co_await hooks_.on_mail(info_, *req.mail); break;
    case ask::rcpt: r = co_await hooks_.on_rcpt(info_, fsm_.transaction(), *req.rcpt); break;
    case ask::auth: r = co_await hooks_.check_auth(info_, *req.credentials); break;
    case ask::message: {
      auto all = co_await hooks_.on_message(info_, fsm_.transaction(), fsm_.content());
      if (!all.empty()) co_return all;
      break;
    }
    case ask::data:
    case ask::quit: break;  // nothing to decide: only faults may change these
  }
  co_return std::vector<reply>{r.value_or(req.proposed)};
}

// Asks the fault hook about a reply at `at`: performs a reset (false: the
// connection is gone) or a delay, and hands back a replacement reply.
asio::awaitable<bool> server_session::meet_fault(phase at, const std::string& argument,
                                                 std::optional<reply>& replace) {
  if (!opts_.faults) co_return true;
  fault_action f = opts_.faults(at, argument);
  if (f.reset) {
    co_await flush();
    conn_->reset();
    co_return false;
  }
  if (f.delay.count() > 0) {
    if (!co_await flush()) co_return false;
    co_await clk_.sleep_for(f.delay);
  }
  replace = f.replace;
  co_return true;
}

// False when the fault dropped the connection.
asio::awaitable<bool> server_session::apply_fault(phase at, const std::string& argument,
                                                  std::vector<reply>& replies) {
  std::optional<reply> replace;
  if (!co_await meet_fault(at, argument, replace)) co_return false;
  if (replace) replies.assign(replies.size(), *replace);
  co_return true;
}

asio::awaitable<bool> server_session::flush() {
  if (pending_.empty()) co_return true;
  std::string wire;
  for (const auto& [r, at] : pending_) {
    trace_reply(tr_, origin_, r, at);
    wire += format_reply(r);
  }
  pending_.clear();
  auto ec = co_await conn_->write_all(wire);
  co_return !ec;
}

// RFC 5321 4.5.3.2.7: the server's timeout ends in 421 4.4.2.
asio::awaitable<bool> server_session::read_more() {
  std::array<char, 4096> buf;
  auto limit = fsm_.state() == server_state::data ? opts_.timeouts.data : opts_.timeouts.command;
  auto got = co_await sim::with_timeout(clk_, limit, conn_->read_some(buf));
  if (!got) {
    fsm_.on_timeout();
  } else if (got->ec) {
    fsm_.on_end_of_input();
    conn_->close();
    co_return false;
  } else {
    fsm_.feed(std::string_view(buf.data(), got->bytes));
  }
  co_return true;
}

}  // namespace

asio::awaitable<void> run_server_session(std::shared_ptr<net::stream> conn, net::connection_info info,
                                         sim::clock& clk, sim::trace& tr, server_hooks& hooks,
                                         server_session_options options) {
  server_session s(std::move(conn), std::move(info), clk, tr, hooks, std::move(options));
  co_await s.run();
}

}  // namespace sim::smtp
