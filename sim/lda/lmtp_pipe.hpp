// sim/lda/lmtp_pipe.hpp - an LMTP session with an LDA of the same process, without a connection.
//
// The MTA's lmtp role talks to its own host's LDA (RFC 2033).  When the hop
// takes no time (live mode: the network adds no latency), the client and
// server state machines are joined directly: the client's bytes are fed to
// the server's fsm, the server's replies to the client's, and the LDA's
// decisions are asked as its LMTP session asks them.  The dialogue, its
// bytes and its trace events (smtp.command, smtp.data, smtp.reply, net.close)
// are those of a session over an in-memory connection, in the same order;
// what it saves is the connection, the server's coroutine and a suspension
// per line.  The API is client_session's (open, deliver, quit).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/clock.hpp"
#include "sim/core/trace.hpp"
#include "sim/smtp/client_session.hpp"
#include "sim/smtp/server_session.hpp"
#include "sim/smtp/session_trace.hpp"

namespace sim::lda {

class lda;

class lmtp_pipe {
 public:
  // `client`: the MTA's side (host, peer, LHLO name; lmtp set);
  // `session`: the connection's id, as the network would have given it;
  // `self`: the MTA's endpoint, as the LDA sees its client.
  lmtp_pipe(lda& agent, sim::clock& clk, sim::trace& tr, std::string session, net::endpoint self,
            net::endpoint server, smtp::client_session_options client);
  ~lmtp_pipe();
  lmtp_pipe(const lmtp_pipe&) = delete;
  lmtp_pipe& operator=(const lmtp_pipe&) = delete;

  asio::awaitable<smtp::session_result> open();
  asio::awaitable<smtp::delivery_report> deliver(smtp::outgoing_message message);
  asio::awaitable<void> quit();

 private:
  asio::awaitable<void> pump();
  asio::awaitable<void> read_replies();
  asio::awaitable<void> serve();
  bool decide_now(const smtp::decision_request& req);
  asio::awaitable<void> on_decide(const smtp::decision_request& req);
  smtp::server_observer observer();
  void flush();
  void end(const std::string& host, const std::string& peer, const char* event);
  void close_client();

  sim::clock& clk_;
  sim::trace& tr_;
  std::unique_ptr<smtp::server_hooks> hooks_;
  smtp::client_fsm client_;
  smtp::server_fsm server_;
  smtp::session_info info_;
  smtp::trace_origin client_origin_, server_origin_;
  std::vector<std::pair<smtp::reply, smtp::phase>> pending_;  // replies the server has not sent yet
  std::string wire_;                                          // replies sent, not yet read by the client
  bool server_closed_ = false;
  bool client_closed_ = false;
  bool ended_ = false;  // net.close (or net.reset) traced
};

}  // namespace sim::lda
