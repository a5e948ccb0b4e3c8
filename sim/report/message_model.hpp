// sim/report/message_model.hpp - each message's journey, read from the trace event by event.
//
// A message is known by its Message-ID.  Every MTA that queued it gives its
// queue id; the queue's events (attempts, deferrals, hand-overs, bounces)
// and the LDA's filings become the steps of its journey; a DSN it caused is
// linked both ways.  Bounded: the first max_listed_messages messages are
// followed (the rest are counted) and each keeps at most max_hops steps, with
// consecutive alike steps merged ("handed 74 recipients to mx.example.org").
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/report/report_input.hpp"
#include "sim/report/sequence_model.hpp"

namespace sim::report {

struct journey_step {
  std::int64_t t = 0, t_last = 0;
  std::string host;
  std::string what;       // "queued as 700550AEEA (1 recipient)"
  std::string last_what;  // of the last step merged into it
  tone look = tone::queue;
  std::size_t repeat = 1;
  std::string key;        // alike steps share a key
};

struct filing {
  std::string host, mailbox;
  std::int64_t t = 0;
  std::int64_t size = 0;
};

struct dsn_link {
  std::string message_id;  // the DSN's own Message-ID ("" until it is queued)
  std::string action;      // "failed" or "delayed"
  std::string to;
  std::vector<std::string> rcpts;
  std::string host;
  std::int64_t t = 0;
};

struct message_record {
  std::string message_id;   // "<1.tour@sender.test>"
  std::string scenario_id;  // the scenario's `id` of the send, "" when none
  std::string subject, from;
  std::vector<std::string> to;  // the first recipients
  std::size_t recipients = 0;
  std::string composed_on;
  std::int64_t composed_at = -1, first_t = 0, last_t = 0;
  bool is_dsn = false;
  std::string dsn_about;  // the original's Message-ID
  std::string dsn_action;
  std::vector<std::string> path;  // hosts that queued it, in order
  std::vector<std::pair<std::string, std::string>> handovers;  // (from, to) MTA to MTA, each once
  std::vector<journey_step> steps;
  std::size_t steps_dropped = 0;
  std::vector<filing> filings;
  std::size_t filed = 0, bounced = 0, deferred = 0, attempts = 0;
  bool refused_at_submission = false;
  std::vector<dsn_link> dsns;
};

struct fetch_note {
  std::string user, client;
  std::int64_t t = 0;
  std::int64_t count = 0;
};

// The hosts a message went through, level by level: the first MTA, then
// the hosts it handed the message to, then theirs (a newsletter fans out:
// one level holds four MX hosts).
std::vector<std::vector<std::string>> route_levels(const message_record& m);

class message_model {
 public:
  explicit message_model(const report_limits& limits) : limits_(limits) {}

  void add(const json_event& e);

  const std::vector<message_record>& messages() const { return records_; }
  std::size_t untracked() const { return untracked_; }  // messages composed or DSNs created over the bound
  const std::vector<fetch_note>& fetches() const { return fetches_; }
  const message_record* find(const std::string& message_id) const;

 private:
  message_record* record_for_id(const std::string& message_id, std::int64_t t, bool create);
  message_record* record_for_queue(const json_event& e);
  void step(message_record& m, const json_event& e, tone look, std::string what, std::string key = {});
  void on_enqueue(const json_event& e);
  void on_bounce_create(const json_event& e);
  void on_queue_event(const std::string& name, const json_event& e);

  report_limits limits_;
  std::vector<message_record> records_;
  std::unordered_map<std::string, std::size_t> by_id_;
  std::unordered_map<std::string, std::size_t> by_queue_;  // "host\nqueue_id"
  struct pending_dsn {
    std::size_t original;
    std::size_t link;
  };
  std::unordered_map<std::string, pending_dsn> pending_dsns_;  // "host\nqueue_id" of a DSN not queued yet
  std::size_t untracked_ = 0;
  std::vector<fetch_note> fetches_;
};

}  // namespace sim::report
