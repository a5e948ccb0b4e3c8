// sim/policy/rate_limit.hpp - a receiver's rate limits, as large mailbox providers apply them.
//
// Gmail answers "421 4.7.28" and Outlook "451 4.7.500" when one client IP
// (or one sender domain) sends more mail than they accept in a while; many
// receivers also cap the simultaneous connections of one client IP
// (Postfix's smtpd_client_connection_count_limit, 421 4.7.0).  Counted
// here: messages accepted per key within a sliding window, and the open
// connections per client IP.  Times come in as `now` (virtual time).
// Sans-I/O.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>

#include "sim/core/time.hpp"
#include "sim/policy/check_result.hpp"
#include "sim/policy/reply_template.hpp"

namespace sim::policy {

enum class rate_key { client_ip, sender_domain };

struct rate_limit_settings {
  rate_key per = rate_key::client_ip;
  std::uint64_t messages = 0;     // accepted messages per key within `window`; 0 = no limit
  std::uint64_t connections = 0;  // simultaneous connections per client IP; 0 = no limit
  sim::duration window = std::chrono::hours(1);
  // What an over-limit client hears at RCPT; $client_address, $sender_domain,
  // $seconds (until the oldest counted message leaves the window) and
  // $limit may be used.
  reply_template reply = default_rate_reply(rate_key::client_ip);
  // What a client over the connection limit hears instead of the greeting.
  reply_template connection_reply = default_connection_reply();

  static reply_template default_rate_reply(rate_key per);
  static reply_template default_connection_reply();
};

// The word of a key in the scenario format and in `policy.check` details.
std::string_view rate_key_name(rate_key per);

class rate_limiter {
 public:
  explicit rate_limiter(rate_limit_settings settings);

  // Before a recipient is accepted: "pass", or "defer" with the reply.
  // `key` is the client IP's text or the sender's domain ("" for <>).
  check_result check_message(std::string_view client_ip, std::string_view sender_domain, sim::time_point now);
  // A message from this client and sender was accepted (250 after the dot).
  void count_message(std::string_view client_ip, std::string_view sender_domain, sim::time_point now);
  // A connection opens: "pass", or "defer" with the connection reply when
  // the client IP already has `connections` open.  Every "pass" must be
  // followed by close_connection().
  check_result open_connection(std::string_view client_ip);
  void close_connection(std::string_view client_ip);

  const rate_limit_settings& settings() const { return settings_; }
  std::size_t open_connections(std::string_view client_ip) const;

 private:
  std::string key_of(std::string_view client_ip, std::string_view sender_domain) const;
  void forget_old(std::deque<sim::time_point>& log, sim::time_point now) const;

  rate_limit_settings settings_;
  std::map<std::string, std::deque<sim::time_point>, std::less<>> accepted_;  // key -> acceptance times
  std::map<std::string, std::uint64_t, std::less<>> open_;                    // client IP -> open connections
};

}  // namespace sim::policy
