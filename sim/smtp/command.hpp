// sim/smtp/command.hpp - SMTP command lines: verbs, MAIL and RCPT with their parameters.
//
// Parameters implemented: SIZE (RFC 1870), BODY (RFC 6152), SMTPUTF8
// (RFC 6531; parsed, refused by our server since it does not offer it),
// RET and ENVID (RFC 3461 4.3, 4.4), AUTH (RFC 4954 5), NOTIFY and ORCPT
// (RFC 3461 4.1, 4.2).  Formatters produce what the client sends.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/smtp/mailbox.hpp"
#include "sim/smtp/reply.hpp"

namespace sim::smtp {

enum class verb {
  ehlo, helo, lhlo, mail, rcpt, data, rset, noop, quit, vrfy, help, auth,
  starttls, expn, bdat, etrn, turn,  // known verbs this server does not offer: 502 (RFC 5321 4.2.4)
  unknown
};

struct command {
  verb what = verb::unknown;
  std::string name;      // the verb as sent, upper-cased
  std::string argument;  // everything after the first space
};

// The verb is case-insensitive (RFC 5321 2.4).
command parse_command(std::string_view line);
// Octets an SMTP command must not contain: NUL, CR, LF and the other C0
// controls except TAB, and DEL (RFC 5321 4.1.1: commands are ASCII text).
bool has_control_bytes(std::string_view line);

enum class body_type { unspecified, seven_bit, eight_bit_mime };
enum class dsn_ret { unspecified, full, hdrs };

struct mail_parameters {
  std::optional<std::uint64_t> size;
  body_type body = body_type::unspecified;
  bool smtputf8 = false;
  dsn_ret ret = dsn_ret::unspecified;
  std::optional<std::string> envid;  // decoded
  std::optional<std::string> auth;   // decoded; "<>" is kept as "<>"
  bool operator==(const mail_parameters&) const = default;
};

struct mail_command {
  std::optional<mailbox> reverse_path;  // empty: the null path
  mail_parameters params;
};

// RFC 3461 4.1: NEVER alone, or any of SUCCESS, FAILURE, DELAY.
struct dsn_notify {
  bool never = false, success = false, failure = false, delay = false;
  bool operator==(const dsn_notify&) const = default;
};

struct original_recipient {
  std::string addr_type;  // "rfc822"
  std::string address;    // decoded
  bool operator==(const original_recipient&) const = default;
};

struct rcpt_parameters {
  std::optional<dsn_notify> notify;
  std::optional<original_recipient> orcpt;
  bool operator==(const rcpt_parameters&) const = default;
};

struct rcpt_command {
  mailbox forward_path;
  rcpt_parameters params;
};

// A parse either gives the command or the reply the server should send.
template <typename T>
struct parsed {
  std::optional<T> value;
  reply error;
};

// The argument after "MAIL" / "RCPT": "FROM:<path> params" / "TO:<path> params".
parsed<mail_command> parse_mail(std::string_view argument);
parsed<rcpt_command> parse_rcpt(std::string_view argument);

std::string format_mail(const mail_command& m);
std::string format_rcpt(const rcpt_command& r);

// The line as it may appear in a trace: AUTH credentials become "********".
std::string mask_auth_line(std::string_view line);

}  // namespace sim::smtp
