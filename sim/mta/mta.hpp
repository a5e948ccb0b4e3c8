// sim/mta/mta.hpp - the MTA: receives, queues, routes, relays, retries, bounces.
//
// One object per MTA host, with one file per role (as Postfix has one
// program per job):
//   smtp_server.cpp     inbound: relay control, policy, Received, enqueue (smtpd)
//   scheduler.cpp       when each queued message is tried again (qmgr)
//   smtp_client.cpp     outbound: MX candidates in order, one transaction per next hop (smtp)
//   local_delivery.cpp  hands local mail to the LDA over LMTP (lmtp)
//   bounce.cpp          RFC 3464 delivery status notifications (bounce)
// Everything the host runs is in one task group, so a crash stops it all.
#pragma once

#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sim/auth/dkim_check.hpp"
#include "sim/auth/dmarc_decision.hpp"
#include "sim/core/task_group.hpp"
#include "sim/message/message.hpp"
#include "sim/mta/config.hpp"
#include "sim/mta/phase_faults.hpp"
#include "sim/mta/queue.hpp"
#include "sim/mta/router.hpp"
#include "sim/policy/greylist.hpp"
#include "sim/policy/spam_filter.hpp"
#include "sim/smtp/client_fsm.hpp"
#include "sim/smtp/client_session.hpp"
#include "sim/smtp/server_fsm.hpp"

namespace sim::lda {
class lda;
}

namespace sim::mta {

// What became of one recipient in one delivery attempt.
struct attempt_outcome {
  std::string rcpt;
  smtp::delivery_status status = smtp::delivery_status::tempfail;
  std::string enhanced;     // RFC 3463 status
  std::string reason;       // the profile's words ("host mx[ip] said: ... (in reply to RCPT TO command)")
  std::string diagnostic;   // the server's reply ("550 5.1.1 ..."), "" when no server answered
  std::string remote_host;  // the server that answered, "" when none did
  std::string phase;        // what its reply answered (delivery_problem::phase)
  // On success, the Action a NOTIFY=SUCCESS report gives (RFC 3461 5.2.2):
  // "delivered" by the LDA, "relayed" to a server without DSN; "" when the
  // next hop offered DSN and took the duty over (Postfix smtp_rcpt.c).
  std::string success_action;
  bool replied() const { return !diagnostic.empty(); }
};

// What a DSN reports (RFC 3464 2.3.3 Action): failures, delays, successes.
enum class dsn_kind { failure, delay, success };

// Where the outcomes of a delivery go as soon as the next hop has
// answered: the scheduler settles them (and writes the queue file) before
// the session goes on.
using outcome_sink = std::function<asio::awaitable<void>(std::vector<attempt_outcome>)>;

// One server of a delivery attempt and what every text about it needs
// (smtp_client.cpp).
struct server_context;

class mta {
 public:
  mta(services s, mta_config config, storage::store& spool, lda::lda* local);
  ~mta();
  mta(const mta&) = delete;
  mta& operator=(const mta&) = delete;

  const mta_config& config() const { return config_; }
  const lda::lda* local_agent() const { return lda_; }
  struct client_info;
  // Opens the listeners (25, and 587 with submission) and schedules
  // whatever is queued.
  void start();
  // The host died: listeners, sessions, timers and the in-memory queue go.
  void crash();
  // Recovers the queue from the spool and starts again; how many messages
  // it found, and how many damaged files it moved to corrupt/.
  asio::awaitable<recovery_counts> restart();

  std::size_t queue_size() const { return queue_.size(); }
  const queue& queued() const { return queue_; }
  phase_fault_table& faults() { return faults_; }
  // Serves a connection accepted elsewhere (live mode's real sockets):
  // `port` says which service it reached.
  void serve(std::shared_ptr<net::stream> conn, const net::connection_info& info, std::uint16_t port,
             bool trace_client_lines);
  // A reader of mailbox `mailbox` moved this message (as filed here) to its
  // Junk folder: a complaint against the IP and domain that sent it
  // (reputation.cpp).  Nothing when the host judges no reputation or did
  // not accept the message itself.
  void complaint(const std::string& mailbox, std::string_view raw_message);

 private:
  friend class smtpd_hooks;

  // smtp_server.cpp
  void accept(std::shared_ptr<net::stream> conn, const net::connection_info& info, std::uint16_t port,
              bool trace_client_lines);
  asio::awaitable<std::optional<net::tls_info>> tls_accept(std::shared_ptr<net::stream>& stream, std::uint16_t port);
  asio::awaitable<smtp::tls_outcome> tls_connect(std::string peer);
  asio::awaitable<void> smtpd_session(std::shared_ptr<net::stream> conn, net::connection_info info,
                                      std::uint16_t port, bool trace_client_lines);
  asio::awaitable<smtp::reply> receive_message(const smtp::envelope& env, const std::string& content,
                                               client_info& client);
  // rcpt_restrictions.cpp: the decision on RCPT TO, at once when
  // restrictions_wait() is false (no DNSBL or SPF look-up due).
  struct restriction_pass;
  asio::awaitable<smtp::reply> decide_rcpt(const smtp::decision_request& request, client_info& client);
  bool restrictions_wait(const client_info& client) const;
  smtp::reply decide_rcpt_now(const smtp::decision_request& request, client_info& client);
  std::optional<smtp::reply> recipient_checks(const smtp::decision_request& req, client_info& client);
  asio::awaitable<std::optional<smtp::reply>> client_restrictions(const smtp::decision_request& req,
                                                                  client_info& client);
  std::optional<smtp::reply> list_restrictions(const smtp::decision_request& req, client_info& client,
                                               restriction_pass& pass);
  std::optional<smtp::reply> later_restrictions(const smtp::decision_request& req, client_info& client,
                                                const restriction_pass& pass);
  // What the inbound checks made of a message: the Authentication-Results
  // value to put on it ("" when nothing was checked), or the refusal; the
  // results themselves for the content filter (none when not checked).
  struct auth_outcome {
    std::optional<smtp::reply> refused;
    std::string results;
    std::optional<std::vector<policy::dkim_result>> dkim;  // one per signature; empty: unsigned
    std::optional<policy::dmarc_result> dmarc;
    std::optional<policy::dmarc_disposition> dmarc_policy;  // what the From domain asks for (after pct)
    std::string aligned_dkim_domain;  // d= of a passing signature aligned with From (relaxed), "" when none
  };
  // receive_message's steps: a refusal before the message is parsed (size,
  // antivirus); the Received and Received-SPF values of queue file `id`;
  // the message text as queued, with them on top.
  std::optional<smtp::reply> refuse_before_parsing(const std::string& content, client_info& client);
  std::pair<std::string, std::string> trace_fields(const smtp::envelope& env, const client_info& client,
                                                   const std::string& id);
  std::string queued_text(message::message& msg, const std::string& content, bool parsed, bool rewrites,
                          const auth_outcome& checked, const std::pair<std::string, std::string>& fields,
                          const client_info& client);
  // content_filter.cpp: scores the message after the final dot (with the
  // DKIM and DMARC results when the host checked them) and marks it
  // (X-Spam-*), or returns the 550 that refuses it.
  std::optional<smtp::reply> filter_content(message::message& msg, const std::string& content,
                                            client_info& client, const auth_outcome& checked);
  smtp::reply relay_check(const std::string& rcpt, const client_info& client);
  bool is_postmaster(const smtp::mailbox& box) const;
  std::string queue_address(const smtp::mailbox& box) const;
  std::vector<recipient_state> queued_recipients(const smtp::envelope& env) const;
  void policy_event(const std::string& check, const std::string& result, const std::string& detail,
                    const client_info& client);
  // spamtraps.cpp
  void note_trap_hits(const smtp::envelope& env, const client_info& client);
  // rate_limits.cpp
  std::optional<smtp::reply> open_rate_limited(client_info& client);
  void close_rate_limited(client_info& client);
  std::optional<smtp::reply> check_rate(const smtp::decision_request& req, client_info& client);
  void count_rate(const smtp::envelope& env, const client_info& client);
  // reputation.cpp
  void note_unknown_user(const smtp::decision_request& req, client_info& client);
  std::optional<smtp::reply> check_ip_reputation(client_info& client);
  std::optional<smtp::reply> check_domain_reputation(const smtp::envelope& env, client_info& client,
                                                     const auth_outcome& checked);
  void note_content_rejected(const smtp::envelope& env, client_info& client, const auth_outcome& checked);
  void note_reputation(const smtp::envelope& env, const std::string& queue_id, client_info& client);
  void flush_reputation(client_info& client);
  void trace_reputation(const std::vector<policy::reputation_change>& changes);
  void spam_event(const policy::spam_verdict& v, const std::string& message_id, const client_info& client);
  asio::awaitable<void> evaluate_client_spf(client_info& client, const std::string& sender, policy::spf_mode mode);

  // auth_milter.cpp
  bool signs_for(const client_info& client) const;
  bool checks_for(const client_info& client) const;
  bool rewrites_for(const client_info& client) const;
  std::string sign_outgoing(std::string raw, const std::string& queue_id, const client_info& client);
  asio::awaitable<void> spf_for_dmarc(const smtp::envelope& env, client_info& client);
  asio::awaitable<auth_outcome> check_authentication(const smtp::envelope& env, const std::string& content,
                                                     client_info& client);
  void emit_dkim_results(const std::vector<auth::dkim_verification>& results, const client_info& client);
  void emit_dmarc_result(const auth::dmarc_evaluation& evaluation, const client_info& client);
  void rewrite_relayed(message::message& msg) const;

  // scheduler.cpp
  void schedule(const std::string& queue_id, time_point when);
  void schedule_all();
  asio::awaitable<void> attempt(std::string queue_id);
  // Traces queue.attempt for each of `rcpts` still in the queue file, counting the attempt.
  void note_attempt(const std::string& queue_id, const std::vector<std::string>& rcpts);
  asio::awaitable<bool> expire_unattempted(const std::string& queue_id);
  void settle(queue_file& file, recipient_state& rcpt, const attempt_outcome& o, std::vector<attempt_outcome>& failed);
  asio::awaitable<void> checkpoint(const std::string& queue_id, const std::vector<attempt_outcome>& unreported);
  asio::awaitable<void> finish_attempt(queue_file& file, std::vector<attempt_outcome> failed, bool dirty);

  // smtp_client.cpp
  // Both hand every recipient's outcome to `sink` (in batches, as answers
  // arrive) before they end the session.  `file` is read before their
  // first suspension only (a crash meanwhile empties the queue).
  asio::awaitable<void> deliver_remote(const queue_file& file, const std::vector<std::string>& rcpts,
                                       const route_remote& route, const outcome_sink& sink);
  // A session to carry the pending recipients to `server`: a parked one, or
  // a new one opened (without TLS when `plaintext`).  Without a session,
  // either every pending recipient in `carried` has the reason, or
  // `again_in_plaintext` asks for the same server at once in the clear
  // (Postfix's plaintext retry under smtp_tls_security_level may).
  struct session_opening {
    std::shared_ptr<smtp::client_session> session;
    std::size_t uses = 0;  // transactions a parked session has carried
    bool again_in_plaintext = false;
  };
  asio::awaitable<session_opening> open_session(const std::string& queue_id, const server_context& server,
                                                bool plaintext, const std::vector<std::string>& rcpts,
                                                const std::vector<std::size_t>& pending,
                                                std::vector<attempt_outcome>& carried);
  smtp::client_session_options session_options(const candidate& c, bool plaintext);
  // Traces `mx.next`: the recipients still pending go on from candidate
  // `from` to the one after it, and why.
  void next_mx(const std::string& queue_id, const route_remote& route, std::size_t from,
               const std::vector<std::string>& rcpts, const std::vector<std::size_t>& pending,
               const std::vector<attempt_outcome>& carried);

  // destinations.cpp: what the sending side keeps per server IP.
  // A server that answered 421 is not connected to before `until`
  // (delivery.throttle_backoff): the recipients due for it get `reason`.
  struct throttle {
    time_point until;
    std::string enhanced;
    std::string reason;
  };
  // An open session parked after its last transaction (delivery.connection_cache_time).
  struct idle_session {
    std::shared_ptr<smtp::client_session> session;
    clock::timer_id timer{};
    std::size_t uses = 0;  // transactions it has carried
    std::uint64_t serial = 0;
  };
  struct destination {
    std::size_t active = 0;  // sessions open to it, busy or idle
    std::vector<idle_session> idle;
    std::list<std::shared_ptr<asio::any_completion_handler<void(error_code)>>> waiters;  // for a slot
    std::optional<throttle> throttled;
  };
  bool throttled(const candidate& c, const std::vector<std::string>& rcpts, const std::vector<std::size_t>& pending,
                 std::vector<attempt_outcome>& carried);
  void note_421(const std::string& queue_id, const candidate& c, const smtp::client_fsm& fsm);
  // An idle session to reuse (traced `mx.reuse`), or none once a slot for a
  // new connection is reserved, waiting under delivery.concurrency.
  asio::awaitable<std::optional<idle_session>> acquire(const std::string& queue_id, const candidate& c);
  // The session is done with: parked for reuse, or QUIT and its slot freed.
  asio::awaitable<void> finish_session(const candidate& c, std::shared_ptr<smtp::client_session> session,
                                       std::size_t uses);
  void release(const std::string& ip);
  void wake_one(destination& d);
  void drop_destinations();

  // local_delivery.cpp
  asio::awaitable<void> deliver_local(const queue_file& file, const std::vector<std::string>& rcpts,
                                      const outcome_sink& sink);

  // bounce.cpp
  asio::awaitable<void> send_dsn(const queue_file& original, const std::vector<attempt_outcome>& rcpts,
                                 dsn_kind kind);
  // The NOTIFY=SUCCESS reports due for a batch of outcomes just settled.
  asio::awaitable<void> report_successes(const std::string& queue_id, const std::vector<attempt_outcome>& outcomes);

  smtp::outgoing_message outgoing(const queue_file& file, const std::vector<std::string>& rcpts) const;
  bool is_local_domain(std::string_view domain) const;
  bool is_relay_domain(std::string_view domain) const;

  services svc_;
  mta_config config_;
  storage::store& spool_;
  lda::lda* lda_;
  queue queue_;
  router router_;
  phase_fault_table faults_;
  policy::greylist greylist_;
  std::vector<policy::rate_limiter> rate_limits_;  // config_.policy.rate_limits
  std::optional<policy::spam_filter> filter_;  // config_.policy.spam, its rules compiled once
  std::optional<policy::reputation_tracker> reputation_;  // config_.policy.reputation
  // Queue id -> the sending IP and domain of a message accepted here, for
  // a complaint about it (kept only where reputation is judged).
  std::map<std::string, std::pair<std::string, std::string>, std::less<>> senders_;
  random_stream dmarc_draws_;  // RFC 7489 pct: one draw per DMARC evaluation
  std::unique_ptr<task_group> tasks_;
  std::map<std::string, clock::timer_id> timers_;  // queue id -> its next attempt
  std::set<std::string> busy_;                      // queue ids being attempted
  std::map<std::string, destination> destinations_;  // server IP -> sessions, waiters, backoff
  std::uint64_t idle_serial_ = 0;
  std::uint64_t dsn_count_ = 0;
  bool up_ = false;
};

}  // namespace sim::mta
