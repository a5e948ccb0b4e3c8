// sim/pop3/login_limiter.hpp - failed POP3 logins per client address (sans-I/O).
//
// A session already ends after 10 errors (limits.hpp), but a guesser just
// opens another connection.  So a server keeps, per client address, the
// failed logins of the last `window`; at `max_failures` the address is
// refused (every PASS, right or wrong, gets -ERR [SYS/TEMP] and the
// connection closes) until the oldest failure ages out.  Dovecot's
// authentication penalty and fail2ban do this for real servers; RFC 1939
// section 13 leaves it to the server.  Takes `now`; never reads a clock.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <string>
#include <string_view>

#include "sim/core/time.hpp"
#include "sim/pop3/limits.hpp"

namespace sim::pop3 {

class login_limiter {
 public:
  explicit login_limiter(std::size_t max_failures = limits::max_client_login_failures,
                         duration window = limits::login_failure_window)
      : max_failures_(max_failures), window_(window) {}

  // True while `client` is refused.
  bool refused(std::string_view client, time_point now);
  // Counts a failed login; returns the failures of the window, this one included.
  std::size_t failed(std::string_view client, time_point now);
  std::size_t max_failures() const { return max_failures_; }
  duration window() const { return window_; }

 private:
  std::deque<time_point>& recent(std::string_view client, time_point now);

  std::size_t max_failures_;
  duration window_;
  std::map<std::string, std::deque<time_point>, std::less<>> failures_;  // at most max_failures each
};

}  // namespace sim::pop3
