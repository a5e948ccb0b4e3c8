// sim/report/follow.hpp - `mailsim run --follow ID`: the events of one message's journey.
//
// Given the scenario's message id ("hello") or a Message-ID
// ("<1.tour@sender.test>", brackets optional), it picks out of the trace,
// event by event as they come, what concerns that message: its composing
// and submission, every queue that took it (attempts, route choices,
// deferrals, hand-overs, bounces), the SMTP and LMTP sessions that carried
// it, connections refused on its way, the LDA filing it, and the same for
// every DSN it caused.
//
// The trace does not say which session carries which queue entry, so a
// session is claimed by the first new session a host opens after it chose
// a route for the message (mx.select) or started an attempt with none
// (local delivery over LMTP), or after its MUA started submitting.  When a
// host delivers several messages at once, a session may be attributed to
// the wrong one of them; the queue events themselves are always exact.
#pragma once

#include <map>
#include <set>
#include <string>

#include "sim/core/trace.hpp"

namespace sim::report {

class message_follower {
 public:
  explicit message_follower(std::string id);

  // Call for every event in order: true when it belongs to the journey.
  bool follows(const event& e);
  // The message was seen (composed, queued or filed) in the run.
  bool seen() const { return seen_; }

 private:
  bool on_message(const std::string& name, const event& e);
  bool on_queue(const std::string& name, const event& e);
  bool on_session(const std::string& session, const std::string& host);

  std::string tag_;  // the scenario's id, or "" when following by Message-ID
  std::set<std::string> message_ids_;
  std::set<std::string> queues_;    // "host\nqueue_id"
  std::set<std::string> sessions_;  // the journey's
  std::set<std::string> known_sessions_;
  std::map<std::string, int> claims_;  // host -> sessions it is about to open for the message
  std::string submitting_;  // the MUA's host between composing and submitting
  bool seen_ = false;
};

}  // namespace sim::report
