// sim/smtp/limits.hpp - every SMTP limit and timeout in one place, with its source.
//
// Sizes are in octets.  Timeouts are per phase, in a table the client and
// server consult; the MTA may override them from a scenario's `limits`.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sim::smtp {

namespace limits {
// RFC 5321 4.5.3.1.4: a command line, including the verb and the CRLF.
inline constexpr std::size_t command_line = 512;
// RFC 5321 4.5.3.1.6: a text line of the message content, including the CRLF.
inline constexpr std::size_t text_line = 1000;
// RFC 5321 4.5.3.1.1: a local part (as written, quotes included).
inline constexpr std::size_t local_part = 64;
// RFC 5321 4.5.3.1.2: a domain name or address literal.
inline constexpr std::size_t domain = 255;
// RFC 5321 4.5.3.1.3: a reverse- or forward-path, angle brackets included.
inline constexpr std::size_t path = 256;
// RFC 5321 4.5.3.1.8: a server must accept at least 100 recipients.
inline constexpr std::size_t recipients = 100;
// RFC 5321 4.5.3.1.5: a reply line, including the code and the CRLF.
inline constexpr std::size_t reply_line = 512;
// RFC 3461 4.4: ENVID is at most 100 characters (xtext-decoded).
inline constexpr std::size_t envid = 100;
// Errors (protocol errors, failed AUTH, junk commands over their limit)
// before the server hangs up with 421 (Postfix smtpd_hard_error_limit).
inline constexpr int error_limit = 20;
// From this many errors on, every reply waits (Postfix smtpd_soft_error_limit),
inline constexpr int soft_error_limit = 10;
// and the wait grows by this much for each error from there (Postfix
// smtpd_error_sleep_time; Postfix 2.0 grew it by a second per error).
inline constexpr std::chrono::milliseconds error_sleep{1000};
// NOOP, RSET, VRFY and HELP a client may send before each further one
// counts as an error (Postfix smtpd_junk_command_limit); reset, with the
// error count, when a message is accepted.
inline constexpr int junk_command_limit = 100;
// Scenario default `max_message_size` (scenario-format.md), advertised with SIZE (RFC 1870).
inline constexpr std::uint64_t message_size = 10ull * 1024 * 1024;
}  // namespace limits

using timeout_duration = std::chrono::milliseconds;

// What the client is waiting for; each phase has its own timeout.
enum class client_phase { greeting, ehlo, auth, mail, rcpt, data_init, data_block, data_end, rset, quit };

struct phase_timeout {
  client_phase phase;
  std::string_view name;
  timeout_duration timeout;
  std::string_view source;
};

using namespace std::chrono_literals;

// RFC 5321 4.5.3.2 gives greeting, MAIL, RCPT, DATA initiation, data block and
// final dot; it names no value for EHLO, AUTH, RSET and QUIT, for which we
// use the general 5 minute command timeout as Postfix does (smtp_helo_timeout).
inline constexpr std::array<phase_timeout, 10> client_timeout_table{{
    {client_phase::greeting, "greeting", 5min, "RFC 5321 4.5.3.2.1"},
    {client_phase::ehlo, "ehlo", 5min, "Postfix smtp_helo_timeout"},
    {client_phase::auth, "auth", 5min, "general command timeout"},
    {client_phase::mail, "mail", 5min, "RFC 5321 4.5.3.2.2"},
    {client_phase::rcpt, "rcpt", 5min, "RFC 5321 4.5.3.2.3"},
    {client_phase::data_init, "data", 2min, "RFC 5321 4.5.3.2.4"},
    {client_phase::data_block, "data block", 3min, "RFC 5321 4.5.3.2.5"},
    {client_phase::data_end, "dot", 10min, "RFC 5321 4.5.3.2.6"},
    {client_phase::rset, "rset", 5min, "general command timeout"},
    {client_phase::quit, "quit", 5min, "Postfix smtp_quit_timeout"},
}};

// The client's timeouts, defaulting to the table; an MTA may override any.
struct client_timeouts {
  std::array<timeout_duration, client_timeout_table.size()> by_phase = [] {
    std::array<timeout_duration, client_timeout_table.size()> out{};
    for (const auto& row : client_timeout_table) out[static_cast<std::size_t>(row.phase)] = row.timeout;
    return out;
  }();
  timeout_duration operator()(client_phase p) const { return by_phase[static_cast<std::size_t>(p)]; }
  void set(client_phase p, timeout_duration d) { by_phase[static_cast<std::size_t>(p)] = d; }
};

inline std::string_view phase_name(client_phase p) { return client_timeout_table[static_cast<std::size_t>(p)].name; }

// RFC 5321 4.5.3.2.7: the server waits at least 5 minutes for the next
// command.  While the content arrives it waits `data` (the scenario's
// `data_timeout`, default 10m) for each block.
struct server_timeouts {
  timeout_duration command = 5min;
  timeout_duration data = 10min;
};

}  // namespace sim::smtp
