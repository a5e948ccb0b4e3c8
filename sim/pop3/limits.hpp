// sim/pop3/limits.hpp - every POP3 limit in one place, with where it comes from.
#pragma once

#include <chrono>
#include <cstddef>

namespace sim::pop3::limits {

// RFC 2449 section 4: a command line is at most 255 octets including the
// CRLF.  We accept twice that (passwords and user names from real clients
// can be long); a longer line is discarded up to its CRLF and answered -ERR.
inline constexpr std::size_t max_command_line = 512;

// After this many -ERR replies the server says goodbye and closes the
// connection (no UPDATE state), so a confused or hostile client cannot keep
// a maildrop locked by sending garbage.
inline constexpr std::size_t max_errors = 10;

// Commands a client may send in the AUTHORIZATION state before it has
// logged in (CAPA, USER, PASS...); then the server signs off.  A client that
// never logs in cannot keep a session going for ever.
inline constexpr std::size_t max_authorization_commands = 30;

// Failed logins from one client address within the window before every
// further PASS from it is refused (login_limiter.hpp).
inline constexpr std::size_t max_client_login_failures = 10;
inline constexpr std::chrono::hours login_failure_window{1};

// RFC 1939 section 3: the inactivity autologout timer must be at least
// 10 minutes.
inline constexpr std::chrono::minutes idle_timeout{10};

// How long the MUA waits for each response before it gives up: as long as
// the server's own autologout timer.
inline constexpr std::chrono::minutes reply_timeout{10};

// Digits accepted in a message number or line count; more can only be
// an overflow attempt (RFC 1939 section 3 keeps arguments to 40 octets).
inline constexpr std::size_t max_number_digits = 9;

}  // namespace sim::pop3::limits
