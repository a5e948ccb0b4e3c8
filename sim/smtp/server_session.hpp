// sim/smtp/server_session.hpp - the SMTP/LMTP server coroutine over a sim::net::stream.
//
// A thin loop: read_some -> server_fsm -> write.  Policy comes from the
// agent through server_hooks (awaitable, so an MTA can look up DNS or make
// a message durable before answering); scenario faults at a phase come from
// an optional fault_hook asked before each reply of that phase.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/clock.hpp"
#include "sim/core/trace.hpp"
#include "sim/net/network.hpp"
#include "sim/net/stream.hpp"
#include "sim/smtp/server_fsm.hpp"

namespace sim::smtp {

// What the hooks know about the session so far.
struct session_info {
  net::connection_info connection;
  std::string helo_name;
  std::string auth_identity;  // empty until AUTH succeeded
  std::optional<net::tls_info> tls;  // after STARTTLS (or implicit TLS)
};

// An answer the agent can give at once, without waiting for anything.
struct quick_answer {
  bool ready = false;           // false: only the awaitable hook can answer
  std::optional<reply> answer;  // as the hooks' answers: empty accepts
};

// The agent's decisions.  An empty answer accepts with the fsm's default
// reply; otherwise the reply given is sent (and its class decides).
class server_hooks {
 public:
  virtual ~server_hooks() = default;
  // Any decision but the message's, when the agent needs no waiting for it
  // (the common case): the session then answers without a coroutine of its
  // own.  It must give what the awaitable hook would, with the same trace
  // events; not `ready`, and the session asks the awaitable hook instead.
  virtual quick_answer answer_now(const session_info& /*s*/, const envelope& /*env*/,
                                  const decision_request& /*req*/) {
    return {};
  }
  virtual asio::awaitable<std::optional<reply>> on_connect(const session_info& s) = 0;
  virtual asio::awaitable<std::optional<reply>> on_helo(const session_info& s, const std::string& helo_name) = 0;
  virtual asio::awaitable<std::optional<reply>> on_mail(const session_info& s, const mail_command& mail) = 0;
  virtual asio::awaitable<std::optional<reply>> on_rcpt(const session_info& s, const envelope& env,
                                                        const rcpt_command& rcpt) = 0;
  // After the final dot: queue durably, then answer (LMTP: one per recipient).
  virtual asio::awaitable<std::vector<reply>> on_message(const session_info& s, const envelope& env,
                                                         const std::string& content) = 0;
  virtual asio::awaitable<std::optional<reply>> check_auth(const session_info& s, const auth_credentials& c) = 0;
};

// A scenario fault at a phase: replace the reply, drop the connection (before
// the reply, or after it: the reply is traced as sent and lost), or answer
// late.  `argument` is the sender (mail) or recipient (rcpt).
struct fault_action {
  std::optional<reply> replace;
  bool reset = false;
  bool reset_after_reply = false;
  sim::duration delay{0};
};
using fault_hook = std::function<fault_action(phase at, const std::string& argument)>;

// The TLS handshake after STARTTLS's 220 (RFC 3207): live mode runs a real
// one and replaces `conn` with the encrypted stream; the simulation models
// it.  nullopt: it failed or timed out, and the session ends.
using tls_handshake = std::function<asio::awaitable<std::optional<net::tls_info>>(std::shared_ptr<net::stream>& conn)>;

struct server_session_options {
  server_options protocol;
  std::string host;            // the simulated host name (trace); protocol.host_name when empty
  std::string agent = "mta";   // "mta" or "lda"
  server_timeouts timeouts;
  fault_hook faults;
  tls_handshake start_tls;     // needed when protocol.tls is not off
  // Live mode: the client is not simulated, so the server traces its lines.
  bool trace_client_lines = false;
  std::string client_agent = "mua";
};

// Runs one session to its end; closes (or resets) the stream.
// The agent's answer to one decision other than the message's (empty: the
// fsm's own proposal; DATA and QUIT have nothing to decide).
asio::awaitable<std::optional<reply>> ask_hook(server_hooks& hooks, const session_info& info, const server_fsm& fsm,
                                               const decision_request& req);
// What the hooks see of a session follows what its fsm learnt (the HELO
// name, the AUTH identity).
void follow_fsm(session_info& info, const server_fsm& fsm);

asio::awaitable<void> run_server_session(std::shared_ptr<net::stream> conn, net::connection_info info,
                                         sim::clock& clk, sim::trace& tr, server_hooks& hooks,
                                         server_session_options options);

}  // namespace sim::smtp
