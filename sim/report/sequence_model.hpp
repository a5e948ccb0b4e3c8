// sim/report/sequence_model.hpp - what the sequence diagram shows, read from the trace event by event.
//
// Rows (an arrow between two lifelines, or a mark on one) are grouped in
// blocks: one block per SMTP/LMTP/POP3 session, holding its dialogue and
// the server's own lookups while it decides (so two interleaved sessions are
// drawn one after the other, each readable), one block per burst of DNS
// lookups, and blocks of the other rows.  A row that repeats (RCPT TO for 74
// recipients, or a policy check and its reply 74 times) is merged into one
// row with a count.  Every bound in report_limits holds while reading: what
// is over it is counted, not kept.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/report/report_input.hpp"

namespace sim::report {

// The DNS lifeline's name (parentheses never occur in host names).
inline constexpr const char* dns_lane = "(DNS)";

// How a row is drawn: the colour and line style say what kind of thing it is.
enum class tone {
  command,   // a client's SMTP/LMTP/POP3 command
  ok,        // 2xx reply, +OK
  info,      // 3xx reply (354: go ahead)
  temp,      // 4xx reply, a timeout: try again later
  perm,      // 5xx reply, -ERR, a reset: refused for good
  dns,       // a DNS question or answer
  dns_fail,  // NXDOMAIN, SERVFAIL, no answer
  data,      // the message content crossing the wire
  connect,   // a TCP connection opens
  close,     // it closes
  queue,     // queue bookkeeping: queued, attempt
  route,     // an MX decision
  defer,     // deferred, delay warning
  bounce,    // gave up, DSN created
  deliver,   // handed on, filed, fetched
  fault,     // a fault begins, a crash
  heal,      // a fault ends, a restart
  policy,    // a receiving policy decided
  compose    // an MUA writes a message
};

struct seq_row {
  bool mark = false;         // a mark on lifeline `from`, else an arrow from -> to
  tone look = tone::command;
  std::string from, to;      // lane names: host names or dns_lane
  std::string label;         // one line, as it will be shown (before fitting)
  std::string last_label;    // of the last row merged into this one ("" when none)
  std::int64_t t = 0, t_last = 0;
  std::size_t repeat = 1;    // how many rows this one stands for
  bool paired = false;       // merged as one of an alternating pair
  std::string key;           // rows with the same non-empty key merge when they repeat
};

enum class block_kind { rows, session, dns };

struct seq_block {
  block_kind kind = block_kind::rows;
  std::string session;    // the trace's session id
  std::string protocol;   // "SMTP", "LMTP", "POP3", "TCP"
  std::int64_t port = 0;
  std::string client, server;  // lanes; a DNS block: the asking host and dns_lane
  std::int64_t start = 0, end = 0;
  std::vector<seq_row> rows;
  std::size_t dropped = 0;  // rows over a bound, not kept
  std::size_t commands = 0, replies = 0, filed = 0;
  std::string accepted;     // the 2xx answer to the final dot ("250 2.0.0 Ok: queued as ...")
  std::string refusal;      // the worst 4xx/5xx answer (the first of its class), or "connection reset"
  tone refusal_tone = tone::close;
  std::size_t refusals = 0;  // 4xx and 5xx answers
  bool open = true;         // the session has not ended
  bool accepting = true;    // the server's own lookups still belong to it
  bool folded = false;      // decided after reading (fold_blocks)
};

class sequence_model {
 public:
  explicit sequence_model(const report_limits& limits) : limits_(limits) {}

  void add(const json_event& e);
  // After the last event: sessions still open end at the last event's time.
  void finish();

  const std::vector<seq_block>& blocks() const { return blocks_; }
  std::vector<seq_block>& blocks() { return blocks_; }
  // Host lanes in the order they first take part in a row (a fault alone does not count).
  const std::vector<std::string>& lanes() const { return lane_order_; }
  // How many rows each lane takes part in (to choose lifelines when there are too many).
  const std::map<std::string, std::size_t>& lane_activity() const { return activity_; }
  std::size_t rows_kept() const { return rows_kept_; }
  std::size_t dropped_events() const { return dropped_events_; }
  std::int64_t dropped_from() const { return dropped_from_; }  // time of the first event not drawn
  std::int64_t last_time() const { return last_t_; }

 private:
  seq_block* session_block(const json_event& e, const std::string& id, const std::string& name);
  seq_block* block_for_free(const json_event& e, const std::string& name, bool is_dns);
  void add_session_event(seq_block& b, const json_event& e, const std::string& name);
  void add_free_event(const json_event& e, const std::string& name);
  void end_session(seq_block& b, std::int64_t t);
  bool push(seq_block& b, seq_row row);
  seq_block* new_block(block_kind kind, std::int64_t t);
  void note_lane(const std::string& lane, bool ordered);
  void drop(std::int64_t t);

  report_limits limits_;
  std::vector<seq_block> blocks_;
  std::unordered_map<std::string, std::size_t> sessions_;  // session id -> block
  std::vector<std::size_t> open_;                          // blocks of open sessions
  std::vector<std::string> lane_order_;
  std::map<std::string, std::size_t> activity_;
  std::size_t rows_kept_ = 0;
  std::size_t dropped_events_ = 0;
  std::int64_t dropped_from_ = -1;
  std::int64_t last_t_ = 0;
};

// The row for one event outside a session's dialogue (a mark, a DNS
// question, a refused connection), or nothing when the diagram does not show
// that event (queue.remove, mua.submit, expect.*).  Exposed for tests.
bool row_for_event(const json_event& e, seq_row& row);

}  // namespace sim::report
