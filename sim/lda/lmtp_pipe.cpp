// sim/lda/lmtp_pipe.cpp - the LMTP dialogue between the MTA's client fsm and the LDA's server fsm.
#include "sim/lda/lmtp_pipe.hpp"

#include "sim/lda/lda.hpp"

namespace sim::lda {

lmtp_pipe::lmtp_pipe(lda& agent, sim::clock& clk, sim::trace& tr, std::string session, net::endpoint self,
                     net::endpoint server, smtp::client_session_options client)
    : clk_(clk), tr_(tr), hooks_(agent.lmtp_hooks()), client_(std::move(client.protocol)),
      server_(agent.lmtp_options().protocol, observer()) {
  smtp::server_session_options opts = agent.lmtp_options();
  std::string host = opts.host.empty() ? opts.protocol.host_name : opts.host;
  server_origin_ = {host, opts.agent, session, self.host};
  client_origin_ = {client.host, client.agent, session, client.peer.empty() ? server.host : client.peer};
  info_.connection = {std::move(session), std::move(self), std::move(server)};
}

// As the LDA's session traces a limit reached (its client never makes errors).
smtp::server_observer lmtp_pipe::observer() {
  smtp::server_observer o;
  o.on_limit = [this](const smtp::limit_event& l) {
    tr_.emit(server_origin_.host, server_origin_.agent, "smtp.limit",
             {{"session", server_origin_.session}, {"peer", server_origin_.peer},
              {"limit", std::string(smtp::limit_name(l.kind))}, {"count", l.count}, {"max", l.limit}});
  };
  return o;
}

// A connection dropped unclosed is closed, as the kernel would.
lmtp_pipe::~lmtp_pipe() {
  if (!client_closed_) end(client_origin_.host, client_origin_.peer, "net.close");
}

// The first end to close reports the connection's end, once.
void lmtp_pipe::end(const std::string& host, const std::string& peer, const char* event) {
  if (ended_) return;
  ended_ = true;
  tr_.emit(host, "net", event, {{"session", info_.connection.session}, {"peer", peer}});
}

void lmtp_pipe::close_client() {
  if (client_closed_) return;
  client_closed_ = true;
  end(client_origin_.host, client_origin_.peer, "net.close");
}

// client_session::pump's loop; a read runs the server until it waits for
// input again (its replies are then what the client reads).
asio::awaitable<void> lmtp_pipe::pump() {
  while (true) {
    smtp::client_action a = client_.next();
    switch (a.what) {
      case smtp::client_action::kind::send:
        for (std::size_t i = 0; i < a.command_lines(); ++i) smtp::trace_command(tr_, client_origin_, a.trace_line(i));
        if (client_closed_) {
          client_.on_connection_lost();
          break;
        }
        // A server that has closed never reads them (the write itself succeeds).
        if (!server_closed_) server_.feed(a.bytes);
        if (a.is_data) smtp::trace_data(tr_, client_origin_, a.data_bytes, a.data_lines);
        break;
      case smtp::client_action::kind::read: co_await read_replies(); break;
      case smtp::client_action::kind::start_tls:
        // Never offered in LMTP; as a session with no handshake to run.
        tr_.emit(client_origin_.host, client_origin_.agent, "tls.fail",
                 {{"session", client_origin_.session}, {"peer", client_origin_.peer}, {"reason", "no TLS available"}});
        client_.tls_failed(false);
        break;
      case smtp::client_action::kind::idle: co_return;
      case smtp::client_action::kind::closed: close_client(); co_return;
    }
  }
}

asio::awaitable<void> lmtp_pipe::read_replies() {
  if (wire_.empty() && !server_closed_) co_await serve();
  if (!wire_.empty()) {
    // The client's fsm only parses (it never runs the server), so the
    // buffer is kept, with its room, for the next replies.
    client_.on_bytes(wire_);
    wire_.clear();
  } else if (server_closed_) {
    client_.on_connection_lost();  // end of input
  } else {
    client_.on_timeout();  // a server waiting for input while its client waits for a reply
  }
}

// run_server_session's loop (no faults, no TLS: the LDA has neither).
asio::awaitable<void> lmtp_pipe::serve() {
  while (true) {
    smtp::server_action a = server_.next();
    switch (a.what) {
      case smtp::server_action::kind::reply:
        if (a.delay.count() > 0) {
          flush();
          tr_.emit(server_origin_.host, server_origin_.agent, "smtp.penalty",
                   {{"session", server_origin_.session}, {"peer", server_origin_.peer}, {"errors", a.errors},
                    {"delay", a.delay.count()}});
          co_await clk_.sleep_for(a.delay);
        }
        pending_.emplace_back(std::move(a.out), a.at);
        break;
      case smtp::server_action::kind::decide:
        if (!decide_now(*a.request)) co_await on_decide(*a.request);
        break;
      case smtp::server_action::kind::need_input: flush(); co_return;
      case smtp::server_action::kind::start_tls:
        flush();
        server_.on_end_of_input();
        server_closed_ = true;
        end(server_origin_.host, server_origin_.peer, "net.reset");
        co_return;
      case smtp::server_action::kind::close:
        flush();
        server_closed_ = true;
        end(server_origin_.host, server_origin_.peer, "net.close");
        co_return;
    }
  }
}

// on_decide() without suspending: the decisions no one makes (DATA, QUIT)
// and those the hooks' answer_now() makes.  False: the hooks must be awaited
// (the message's always).
bool lmtp_pipe::decide_now(const smtp::decision_request& req) {
  if (req.what == smtp::ask::message) return false;
  smtp::quick_answer q;
  if (req.what == smtp::ask::data || req.what == smtp::ask::quit) {
    q.ready = true;  // as smtp::ask_hook(): nothing to decide
  } else {
    q = hooks_->answer_now(info_, server_.transaction(), req);
    if (!q.ready) return false;
  }
  server_.decide_or_propose(std::move(q.answer));
  smtp::follow_fsm(info_, server_);
  return true;
}


asio::awaitable<void> lmtp_pipe::on_decide(const smtp::decision_request& req) {
  if (req.what == smtp::ask::message) {
    std::vector<smtp::reply> answers = co_await hooks_->on_message(info_, server_.transaction(), server_.content());
    if (answers.empty()) answers.push_back(req.proposed);
    server_.decide_message(std::move(answers));
  } else {
    std::optional<smtp::reply> answer = co_await smtp::ask_hook(*hooks_, info_, server_, req);
    server_.decide_or_propose(std::move(answer));
  }
  smtp::follow_fsm(info_, server_);
}


// The server's replies go out together, as its session writes them.
void lmtp_pipe::flush() {
  for (const auto& [r, at] : pending_) {
    smtp::trace_reply(tr_, server_origin_, r, at);
    smtp::append_reply(r, wire_);
  }
  pending_.clear();
}

asio::awaitable<smtp::session_result> lmtp_pipe::open() {
  co_await pump();
  co_return client_.idle() ? smtp::session_result::ok : client_.result();
}

asio::awaitable<smtp::delivery_report> lmtp_pipe::deliver(smtp::outgoing_message message) {
  if (!client_.idle()) co_return smtp::unsent_report(client_, message);
  client_.send_message(std::move(message));
  co_await pump();
  co_return smtp::finished_report(client_);
}

asio::awaitable<void> lmtp_pipe::quit() {
  client_.quit();
  co_await pump();
  close_client();
  // The server reads the end of its input, as its session would.
  if (!server_closed_) {
    server_.on_end_of_input();
    server_closed_ = true;
  }
}

}  // namespace sim::lda
