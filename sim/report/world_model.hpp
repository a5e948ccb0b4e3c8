// sim/report/world_model.hpp - the routes, faults and totals of a run, read from the trace event by event.
//
// What the map draws (every connection between two hosts, with how many
// messages it carried, how often it was refused or timed out, and the replies
// that turned mail away; every fault with when it began and ended) and what
// the summary counts.  Bounded: at most max_edges routes and max_faults faults
// are kept, the rest counted.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "sim/report/report_input.hpp"

namespace sim::report {

// pop3: a reader fetching mail (POP3 on 110, IMAP on 143): drawn from the mailbox host to the reader.
enum class route_kind { submission, smtp, pop3, other };

struct route {
  std::string from, to;  // the connecting host and the one it connected to
  std::int64_t port = 0;
  route_kind kind = route_kind::smtp;
  std::size_t sessions = 0;    // connections made
  std::size_t messages = 0;    // messages accepted over it (a 2xx after the final dot)
  std::size_t recipients = 0;  // recipients handed over it (queue.delivered)
  std::size_t refused = 0;     // connection refused
  std::size_t timeouts = 0;    // no answer to the connection
  std::size_t rejected = 0;    // sessions that ended with a 5xx and no message taken
  std::size_t deferred = 0;    // ... with a 4xx (or a reset) and no message taken
  std::int64_t first = -1;     // time of the first attempt
};

struct fault_span {
  std::string target;  // host name, or the DNS name for a DNS fault
  bool dns = false;
  std::string words;   // "refuses connections", "answers 451 4.7.1 at rcpt (3 times)"
  std::int64_t on = 0, off = -1;  // off < 0: until the end
};

struct run_totals {
  std::size_t composed = 0, submitted_refused = 0;
  std::size_t queued = 0, attempts = 0, deferrals = 0, bounced_rcpts = 0, dsns = 0, warnings = 0;
  std::size_t filed = 0, lda_refusals = 0, fetches = 0, fetched = 0;
  std::size_t sessions = 0, dns_queries = 0, dns_failures = 0;
  std::size_t events = 0, unreadable_lines = 0;
  std::int64_t first_compose = -1, last_filed = -1, end = 0;
};

class world_model {
 public:
  static constexpr std::size_t max_edges = 2000;
  static constexpr std::size_t max_faults = 200;
  static constexpr std::size_t max_hosts = 20000;

  void add(const json_event& e);
  void unreadable_line() { ++totals_.unreadable_lines; }

  std::vector<route> routes() const;  // in order of first attempt
  const std::vector<fault_span>& faults() const { return faults_; }
  const run_totals& totals() const { return totals_; }
  // Every host named in the trace (as host or peer), in order of appearance.
  const std::vector<std::string>& hosts_seen() const { return hosts_order_; }
  std::size_t faults_dropped() const { return faults_dropped_; }

 private:
  using route_key = std::tuple<std::string, std::string, std::int64_t>;
  struct session_state {
    route_key key;
    bool data = false, taken = false;
    std::int64_t worst = 0;
  };
  route* route_for(const json_event& e);
  void session_event(const json_event& e, const std::string& name);
  void fault_event(const json_event& e, const std::string& name);
  void note_host(const std::string& h);

  std::map<route_key, route> routes_;
  std::unordered_map<std::string, session_state> sessions_;
  std::vector<fault_span> faults_;
  std::size_t faults_dropped_ = 0;
  run_totals totals_;
  std::unordered_map<std::string, bool> hosts_;
  std::vector<std::string> hosts_order_;
};

// A fault event's fields in words: {"kind":"reply","phase":"rcpt","code":451} -> "answers 451 at rcpt".
std::string fault_words(const json_event& e);

}  // namespace sim::report
