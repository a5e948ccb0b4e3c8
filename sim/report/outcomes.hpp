// sim/report/outcomes.hpp - what became of each message: the summary block
// at the end of `mailsim run`.
//
// Read from the trace one event at a time (only the events wants() names:
// composing, queueing, attempts, deferrals, hand-overs, bounces, filings,
// DSNs).  A message is known by its Message-ID; each of its recipients ends
// delivered (filed by an LDA), bounced, deferred (still queued, with the
// last reason), handed on (to a host that had not filed it when the run
// ended), queued (never tried) or refused at submission.  The block gives,
// per message, one line per outcome and place with the time since the
// message was written and the delivery attempts it took:
//
//   hello "Lunch on Friday?" from <alice@sender.test>
//     delivered  <bob@example.org> on mx1.example.org after 158ms, 2 attempts over 2 hosts
//
// Recipients alike are counted on one line ("<a1@x.test> and 73 more");
// past max_followed messages the rest are only counted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/core/trace.hpp"

namespace sim::report {

enum class rcpt_status { queued, handed_on, deferred, delivered, bounced, refused };

struct rcpt_outcome {
  std::string address;
  rcpt_status status = rcpt_status::queued;
  std::string where;   // the host that filed, bounced, deferred or was handed it
  std::string detail;  // the reason of a bounce, deferral or refusal
  std::int64_t t = -1;  // when it reached that state
  std::size_t attempts = 0;
  std::size_t hosts = 0;  // how many hosts made those attempts (one per hop)
  std::string last_host;
};

struct message_outcome {
  std::string label;  // the scenario's message id, else its Message-ID
  std::string message_id, subject, from;
  std::string dsn_about;  // for a DSN: the label of the message it is about
  std::string dsn_to;
  std::string dsn_action;  // "failed" or "delayed"
  std::int64_t start = 0;  // when it was written (or first queued)
  std::vector<rcpt_outcome> rcpts;
};

class outcome_summary {
 public:
  explicit outcome_summary(std::size_t max_followed = 10'000) : max_followed_(max_followed) {}

  // The events add() reads; others may be skipped without reading them.
  static bool wants(std::string_view event_name);
  void add(const event& e);

  const std::vector<message_outcome>& messages() const { return messages_; }
  std::size_t not_followed() const { return not_followed_; }
  // The block: a heading, then each message (at most max_shown of them,
  // then one line counting the rest by outcome).  Empty when no message moved.
  std::vector<std::string> lines(std::size_t max_shown = 40) const;

 private:
  message_outcome* by_id(const std::string& message_id, std::int64_t t, bool create);
  message_outcome* by_queue(const event& e);
  rcpt_outcome& rcpt(message_outcome& m, const std::string& address);
  void on_compose(const event& e);
  void on_enqueue(const event& e);
  void on_queue(const std::string& name, const event& e);

  struct pending_dsn {
    std::size_t about;
    std::string to, action;
  };
  std::size_t max_followed_;
  std::vector<message_outcome> messages_;
  std::unordered_map<std::string, std::size_t> ids_;     // Message-ID -> message
  std::unordered_map<std::string, std::size_t> queues_;  // "host\nqueue_id" -> message
  std::unordered_map<std::string, pending_dsn> dsns_;  // by "host\nqueue_id" of the DSN
  std::size_t not_followed_ = 0;
};

const char* status_word(rcpt_status s);

}  // namespace sim::report
