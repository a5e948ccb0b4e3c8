// sim/smtp/server_session.cpp - the server loop: read, fsm, hooks and faults, write.
#include "sim/smtp/server_session.hpp"

#include <array>

#include "sim/core/timeout.hpp"
#include "sim/net/tls_trace.hpp"
#include "sim/smtp/session_trace.hpp"

namespace sim::smtp {
namespace {

// A fault that neither drops the connection nor makes the reply wait.
bool quiet(const fault_action& f) { return !f.reset && !f.reset_after_reply && f.delay.count() == 0; }

class server_session {
 public:
  server_session(std::shared_ptr<net::stream> conn, net::connection_info info, sim::clock& clk, sim::trace& tr,
                 server_hooks& hooks, server_session_options options)
      : conn_(std::move(conn)), clk_(clk), tr_(tr), hooks_(hooks), opts_(std::move(options)),
        fsm_(opts_.protocol, observer()), reading_(clk) {
    info_.connection = std::move(info);
    std::string host = opts_.host.empty() ? opts_.protocol.host_name : opts_.host;
    origin_ = {host, opts_.agent, conn_->session(), info_.connection.client.host};
    if (opts_.protocol.implicit_tls) on_tls(*opts_.protocol.implicit_tls);
    client_origin_ = {info_.connection.client.host, opts_.client_agent, conn_->session(), host};
  }

  asio::awaitable<void> run();

 private:
  server_observer observer();
  bool reply_now(server_action& a);
  asio::awaitable<bool> on_reply(server_action& a);
  bool decide_now(const decision_request& req);
  asio::awaitable<bool> on_decide(const decision_request& req);
  asio::awaitable<bool> on_start_tls();
  void on_tls(net::tls_info agreed);
  fault_action fault_at(phase at, const std::string& argument);
  asio::awaitable<bool> meet_fault(std::optional<reply>& replace);
  std::optional<bool> flush_now();
  void lose_pending();
  asio::awaitable<bool> write_wire();
  asio::awaitable<bool> flush();
  bool read_now();
  asio::awaitable<std::tuple<error_code, std::size_t>> read_more(asio::cancellation_slot outer);
  bool on_input(error_code ec, std::size_t n);

  std::shared_ptr<net::stream> conn_;
  sim::clock& clk_;
  sim::trace& tr_;
  server_hooks& hooks_;
  server_session_options opts_;
  server_fsm fsm_;
  sim::session_deadline reading_;  // the read that waits
  session_info info_;
  trace_origin origin_, client_origin_;
  std::vector<std::pair<reply, phase>> pending_;  // replies not yet written (grouped, RFC 2920 3.1)
  std::array<char, 4096> buf_;                    // what read_more() reads into
  std::string wire_;                              // what flush() writes, reused
  bool lose_replies_ = false;                     // a reset after the reply: the next replies never arrive
  std::optional<fault_action> asked_;             // the fault asked for, for meet_fault()
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
  auto cancellation = co_await asio::this_coro::cancellation_state;
  while (true) {
    server_action a = fsm_.next();
    bool alive = true;
    switch (a.what) {
      // Replies and decisions that need no waiting are made here; only
      // the others need a coroutine of their own.
      case server_action::kind::reply:
        if (!reply_now(a)) alive = co_await on_reply(a);
        break;
      case server_action::kind::decide:
        if (!decide_now(*a.request)) alive = co_await on_decide(*a.request);
        break;
      case server_action::kind::start_tls: alive = co_await on_start_tls(); break;
      case server_action::kind::need_input: {
        // The common case needs no coroutine of its own: the replies go out
        // at once and the next command may already be there.
        std::optional<bool> flushed = flush_now();
        if (!flushed) flushed = co_await write_wire();
        alive = *flushed;
        if (alive && !read_now()) {
          auto [ec, n] = co_await read_more(cancellation.slot());
          alive = on_input(ec, n);
        }
        break;
      }
      case server_action::kind::close:
        if (co_await flush()) conn_->close();
        co_return;
    }
    if (!alive) co_return;
  }
}

// A reply queued at once: no penalty to wait, and no fault, or one that
// neither waits nor drops the connection.  False: on_reply().
bool server_session::reply_now(server_action& a) {
  if (a.delay.count() > 0) return false;  // (on_reply() asks for the fault after the wait)
  fault_action f = a.decided ? fault_action{} : fault_at(a.at, "");
  if (!quiet(f)) {
    asked_ = std::move(f);
    return false;
  }
  pending_.emplace_back(f.replace ? std::move(*f.replace) : std::move(a.out), a.at);
  return true;
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
  std::optional<reply> replace;
  if (!asked_ && !a.decided) asked_ = fault_at(a.at, "");
  if (asked_) {
    bool alive = co_await meet_fault(replace);
    if (!alive) co_return false;
  }
  pending_.emplace_back(replace ? std::move(*replace) : std::move(a.out), a.at);
  co_return true;
}

// RFC 3207 4: the 220 goes out, then the handshake; a failed one ends the
// session (nothing more can be said in the clear).
asio::awaitable<bool> server_session::on_start_tls() {
  if (!co_await flush()) co_return false;
  std::optional<net::tls_info> agreed;
  if (opts_.start_tls) agreed = co_await opts_.start_tls(conn_);
  if (!agreed) {
    fsm_.on_end_of_input();
    conn_->reset();
    co_return false;
  }
  on_tls(*agreed);
  fsm_.tls_started(std::move(*agreed));
  info_.helo_name.clear();
  info_.auth_identity.clear();
  co_return true;
}

// `tls.handshake` on the server's side (the client's view is its own).
void server_session::on_tls(net::tls_info agreed) {
  net::trace_handshake(tr_, origin_.host, origin_.agent, origin_.session, origin_.peer, agreed);
  info_.tls = std::move(agreed);
}

// The scenario's fault for the phase comes first: a server that drops the
// connection or answers otherwise at a phase never reaches its own
// decision, so a reset or a 4xx after the final dot leaves nothing queued
// (no duplicate when the client sends the message again).
// (`req` is the fsm's own request: it goes with the answer.)
asio::awaitable<bool> server_session::on_decide(const decision_request& req) {
  std::optional<reply> replace;
  if (!asked_) asked_ = fault_at(req.at, req.argument);
  bool alive = co_await meet_fault(replace);
  if (!alive) co_return false;
  if (req.what == ask::message) {
    std::vector<reply> answers;
    if (replace) answers.push_back(std::move(*replace));
    else answers = co_await hooks_.on_message(info_, fsm_.transaction(), fsm_.content());
    if (answers.empty()) answers.push_back(req.proposed);
    fsm_.decide_message(std::move(answers));
  } else {
    if (!replace) replace = co_await ask_hook(hooks_, info_, fsm_, req);
    fsm_.decide_or_propose(std::move(replace));
  }
  follow_fsm(info_, fsm_);
  co_return true;
}

// on_decide() without suspending, when the fault at the request's phase
// neither waits nor drops the connection: the answer of the fault, of no
// one (DATA, QUIT) or of the agent's answer_now().  False: on_decide()
// must ask the awaitable hooks (the message's always), or meet the fault.
bool server_session::decide_now(const decision_request& req) {
  fault_action f = fault_at(req.at, req.argument);
  bool hooked = req.what != ask::data && req.what != ask::quit;  // as ask_hook()
  quick_answer q;
  if (quiet(f) && !f.replace && hooked && req.what != ask::message)
    q = hooks_.answer_now(info_, fsm_.transaction(), req);
  bool now = quiet(f) && (f.replace || (req.what != ask::message && (!hooked || q.ready)));
  if (!now) {
    asked_ = std::move(f);
    return false;
  }
  std::optional<reply> answer = f.replace ? std::move(f.replace) : std::move(q.answer);
  if (req.what == ask::message) {
    std::vector<reply> answers;
    answers.push_back(std::move(*answer));
    fsm_.decide_message(std::move(answers));
  } else {
    fsm_.decide_or_propose(std::move(answer));
  }
  follow_fsm(info_, fsm_);
  return true;
}


// The scenario's fault for a reply at `at` (none when the agent has no faults).
fault_action server_session::fault_at(phase at, const std::string& argument) {
  return opts_.faults ? opts_.faults(at, argument) : fault_action{};
}

// Performs the fault asked for (asked_)'s reset (false: the connection is
// gone) or delay, and hands back its replacement reply.
asio::awaitable<bool> server_session::meet_fault(std::optional<reply>& replace) {
  fault_action f = std::move(*asked_);
  asked_.reset();
  if (f.reset_after_reply) {
    // What is answered already goes out; the reply to this phase will not.
    if (!co_await flush()) co_return false;
    lose_replies_ = true;
  }
  if (!f.reset && f.delay.count() == 0) {
    replace = std::move(f.replace);
    co_return true;
  }
  if (f.reset) {
    co_await flush();
    conn_->reset();
    co_return false;
  }
  if (f.delay.count() > 0) {
    if (!co_await flush()) co_return false;
    co_await clk_.sleep_for(f.delay);
  }
  replace = std::move(f.replace);
  co_return true;
}

// Traces the replies waiting and writes them, at once when the stream
// takes them without waiting; nullopt: write_wire() must send wire_.
std::optional<bool> server_session::flush_now() {
  if (pending_.empty()) return true;
  if (lose_replies_) {
    lose_pending();
    return false;
  }
  wire_.clear();
  for (const auto& [r, at] : pending_) {
    trace_reply(tr_, origin_, r, at);
    append_reply(r, wire_);
  }
  pending_.clear();
  if (auto done = conn_->write_now(wire_)) return !*done;
  return std::nullopt;
}

// The fault `reset` at "accepted": the server has sent its replies (traced
// with `lost`), and the connection is reset before they reach the client.
// RFC 5321 section 4.1.1.4: a 250 to the final dot makes the message the
// server's; a client that never sees it must assume it was not, and sends
// it again (RFC 1047's duplicate).
void server_session::lose_pending() {
  for (const auto& [r, at] : pending_) trace_reply(tr_, origin_, r, at, true);
  pending_.clear();
  conn_->reset();
}

asio::awaitable<bool> server_session::write_wire() {
  auto [ec] = co_await conn_->async_write_all(wire_, asio::as_tuple(asio::use_awaitable));
  co_return !ec;
}

asio::awaitable<bool> server_session::flush() {
  std::optional<bool> flushed = flush_now();
  if (!flushed) flushed = co_await write_wire();
  co_return *flushed;
}

// Input that has already arrived; false: read_more() must wait for it.
bool server_session::read_now() {
  std::size_t got = conn_->read_now(buf_);
  if (got > 0) fsm_.feed(std::string_view(buf_.data(), got));
  return got > 0;
}

// The read that waits, under the command or data timeout; `outer`: the
// session's own cancellation (a crash), which reaches it too.  The session
// awaits it directly (no coroutine of its own) and hands on_input() the result.
asio::awaitable<std::tuple<error_code, std::size_t>> server_session::read_more(asio::cancellation_slot outer) {
  reading_.arm(fsm_.state() == server_state::data ? opts_.timeouts.data : opts_.timeouts.command, outer);
  return conn_->async_read_some(buf_, reading_.bind(asio::as_tuple(asio::use_awaitable)));
}

// RFC 5321 4.5.3.2.7: the server's timeout ends in 421 4.4.2.
bool server_session::on_input(error_code ec, std::size_t n) {
  bool timed_out = ec && reading_.expired();
  reading_.disarm();
  if (timed_out) {
    fsm_.on_timeout();
  } else if (ec) {
    fsm_.on_end_of_input();
    conn_->close();
    return false;
  } else {
    fsm_.feed(std::string_view(buf_.data(), n));
  }
  return true;
}

}  // namespace

void follow_fsm(session_info& info, const server_fsm& fsm) {
  if (info.helo_name != fsm.helo_name()) info.helo_name = fsm.helo_name();
  if (info.auth_identity != fsm.auth_identity()) info.auth_identity = fsm.auth_identity();
}

asio::awaitable<std::optional<reply>> ask_hook(server_hooks& hooks, const session_info& info, const server_fsm& fsm,
                                               const decision_request& req) {
  switch (req.what) {
    case ask::connect: co_return co_await hooks.on_connect(info);
    case ask::helo: co_return co_await hooks.on_helo(info, req.argument);
    case ask::mail: co_return co_await hooks.on_mail(info, *req.mail);
    case ask::rcpt: co_return co_await hooks.on_rcpt(info, fsm.transaction(), *req.rcpt);
    case ask::auth: co_return co_await hooks.check_auth(info, *req.credentials);
    case ask::message:
    case ask::data:
    case ask::quit: break;  // nothing to decide: only faults may change these
  }
  co_return std::nullopt;
}

asio::awaitable<void> run_server_session(std::shared_ptr<net::stream> conn, net::connection_info info,
                                         sim::clock& clk, sim::trace& tr, server_hooks& hooks,
                                         server_session_options options) {
  server_session s(std::move(conn), std::move(info), clk, tr, hooks, std::move(options));
  co_await s.run();
}

}  // namespace sim::smtp
