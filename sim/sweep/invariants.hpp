// sim/sweep/invariants.hpp - what must hold after any run, whatever the faults.
//
// A trace sink: it reads the events as they happen and keeps only the state
// of each queued recipient and each delivery (no event is kept; the seq
// numbers of the events that show a violation are, so that a replay of the
// seed can print them).  After the run, finish() judges:
//
//   1 lost         every recipient a queue took (queue.enqueue) ends delivered
//                  to the next hop, or bounced with a DSN queued for the sender
//                  (not for a null sender, whose failure is dropped), or is
//                  still queued with time left in its lifetime; a queue file is
//                  never removed with recipients open
//   2 duplicate    a message reaches a mailbox at most once, except in RFC 5321
//                  section 6.1's window (the connection broke between the final
//                  dot and its reply) or after a crash before the delivery was
//                  written down: those are counted, not failed
//   3 bounce       a bounce is never bounced; no DSN reports a failure for a
//                  recipient that was delivered
//   4 queue        every queue is empty at the end of a run that went until
//                  idle (or past every lifetime)
//
// Invariant 5 (same seed, same trace) is the sweep's (run twice, compare).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim/core/trace.hpp"
#include "sim/scenario/model.hpp"

namespace sim::sweep {

struct violation {
  std::string invariant;  // "lost", "duplicate", "bounce", "queue", "determinism"
  std::string detail;     // one line
  std::vector<std::uint64_t> seqs;  // the events that show it
};

struct run_verdict {
  std::vector<violation> violations;
  std::uint64_t deliveries = 0;
  std::uint64_t duplicates_in_window = 0;  // invariant 2's counted exceptions
  std::uint64_t events = 0;
  bool ok() const { return violations.empty(); }
};

class invariant_checker {
 public:
  // `idle_run`: the run went until idle (no --until), so queues must be empty.
  invariant_checker(const scenario::scenario& s, bool idle_run);
  void observe(const sim::event_view& e);
  run_verdict finish() const;

 private:
  struct rcpt_state {
    enum class state { open, delivered, bounced } now = state::open;
    std::uint64_t enqueue_seq = 0, last_seq = 0;  // 0: no outcome yet
    std::vector<std::uint64_t> seqs() const;       // the enqueue and the last outcome
  };
  struct queued {
    std::string host, from, message_id;
    std::int64_t enqueued_ms = 0;
    bool removed = false;
    std::uint64_t enqueue_seq = 0;
    std::map<std::string, rcpt_state> rcpts;
  };
  struct dsn_made {
    std::string dsn_key;  // host + queue id of the DSN
    std::uint64_t seq = 0;
  };
  struct session_state {
    std::string server;
    bool awaiting_dot_reply = false;
    std::vector<std::string> message_ids;
  };

  void on_enqueue(const sim::event_view& e);
  void on_outcome(const sim::event_view& e, rcpt_state::state to);
  void on_bounce_create(const sim::event_view& e);
  void on_deliver(const sim::event_view& e);
  void on_session_event(const sim::event_view& e);
  void on_crash(const sim::event_view& e);
  void check_pending(run_verdict& v) const;
  void check_bounces(run_verdict& v) const;
  void check_deliveries(run_verdict& v) const;

  std::map<std::string, std::pair<std::int64_t, std::int64_t>> lifetimes_ms_;  // host -> (lifetime, bounce lifetime)
  bool idle_run_;
  std::map<std::string, queued> queue_;  // host + '\x1f' + queue id
  std::map<std::string, std::vector<dsn_made>> dsns_;  // original key + '\x1f' + rcpt
  std::vector<violation> early_;         // found as the events came
  std::map<std::string, std::vector<std::uint64_t>> lda_;  // host, mailbox, message id -> lda.deliver seqs
  std::map<std::string, session_state> sessions_;
  std::set<std::string> window_;  // message ids caught in a §6.1 window or a crash
  // Servers that had a session break while its client waited for the reply
  // to the final dot (a slow server may take the message only after that),
  // and the hosts each message was queued or filed on.
  std::set<std::string> doubt_hosts_;
  std::map<std::string, std::set<std::string>> hosts_of_;
  std::set<std::string> down_;    // hosts crashed at the moment
  std::int64_t end_ms_ = 0;
  std::uint64_t events_ = 0;
};

}  // namespace sim::sweep
