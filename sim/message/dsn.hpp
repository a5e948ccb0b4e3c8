// sim/message/dsn.hpp - delivery status notifications (RFC 3464, RFC 3461).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/time.hpp"

namespace sim::message {

// RFC 3464 section 2.3.3.
enum class dsn_action { failed, delayed, delivered, relayed, expanded };
std::string_view to_string(dsn_action action);

// RFC 3461 section 4.3: RET=FULL or RET=HDRS, or no RET parameter.
enum class dsn_ret { unspecified, full, hdrs };

// Like Postfix's bounce_size_limit: a larger original is returned as headers only.
inline constexpr std::size_t max_returned_message = 50000;

struct dsn_recipient {
  std::string final_recipient;                    // address, as in RCPT TO
  std::optional<std::string> original_recipient;  // ORCPT as received: "rfc822;bob@example.org" (xtext)
  dsn_action action = dsn_action::failed;
  std::string status;                             // RFC 3463 "5.1.1"
  std::optional<std::string> remote_mta;          // host that replied, when known
  std::optional<std::string> diagnostic_code;     // the full SMTP reply text, when there was one
  // RFC 3464 section 2.3.6: "smtp" for a server's reply; our own words
  // (a refused connection, an expired message) use "X-mailsim", as Postfix
  // uses "X-Postfix".
  std::string diagnostic_type = "smtp";
  std::optional<sim::wall_time> last_attempt_date;
  std::optional<sim::wall_time> will_retry_until;  // delays
};

struct dsn_request {
  std::string reporting_mta;                // host writing the report
  std::string original_sender;              // the original reverse path: the DSN's To
  std::optional<std::string> envelope_id;   // ENVID as received (xtext)
  std::optional<sim::wall_time> arrival_date;
  sim::wall_time date;
  std::string message_id;                   // "<...>"; empty: "<MILLIS.dsn@reporting-mta>"
  dsn_ret ret = dsn_ret::unspecified;
  std::vector<dsn_recipient> recipients;
  std::string original_message;             // raw, as queued
};

// multipart/report; report-type=delivery-status with three parts: a plain
// text explanation, message/delivery-status, and the original.  The original
// goes back whole (message/rfc822) for RET=FULL, and without RET for a
// failure report (as Postfix); as text/rfc822-headers for RET=HDRS, for a
// delay warning without RET=FULL, and when it is over max_returned_message.
// Headers: From MAILER-DAEMON@host, To, Subject, Date, Message-ID,
// Auto-Submitted: auto-replied (RFC 3834 section 5), MIME-Version.
std::string compose_dsn(const dsn_request& request);

// One per-recipient group read back; "" for an absent field.  Typed values
// ("rfc822;", "dns;", "smtp;") lose their type prefix.
struct dsn_report_recipient {
  std::string final_recipient;
  std::string original_recipient;
  std::string action;
  std::string status;
  std::string remote_mta;
  std::string diagnostic_code;
  std::string last_attempt_date;
  std::string will_retry_until;
};

struct dsn_report {
  std::string reporting_mta;
  std::string original_envelope_id;
  std::string arrival_date;
  std::vector<dsn_report_recipient> recipients;
  std::string returned_type;        // "message/rfc822", "text/rfc822-headers" or ""
  std::string original_message_id;  // from the returned message or headers
};

// nullopt unless the message is a multipart/report (or, as OpenSMTPD sends
// them, a multipart/mixed) holding a message/delivery-status part.
std::optional<dsn_report> parse_dsn(std::string_view raw);

// ---- building blocks for an MTA's own DSN form (sim/mta/profiles/) ----

using field_list = std::vector<std::pair<std::string, std::string>>;

// One DSN laid out as an MTA writes it: its header fields, its container
// (RFC 3462 multipart/report, or multipart/mixed), and three parts: the
// notification for people, the message/delivery-status fields, the
// returned original (or its header).  Lines may end in "\n" or "\r\n".
struct dsn_layout {
  field_list header;   // in order; MIME-Version, Content-Type and Content-Transfer-Encoding follow them
  field_list trailer;  // header fields after those (Postfix's cleanup adds Message-Id and Date there)
  std::string container = "multipart/report; report-type=delivery-status";  // boundary added
  std::string boundary_seed;  // the boundary is derived from it (the Message-ID)
  std::string preamble = "This is a MIME-encapsulated message.";
  field_list text_fields;      // e.g. Content-Description, Content-Type of the notification
  std::string text;
  field_list status_fields;    // Content-Type: message/delivery-status and the like
  std::string status;          // the per-message group, then one group per recipient
  field_list returned_fields;  // Content-Type: message/rfc822 or text/rfc822-headers
  std::string returned;
};
// The whole message, CRLF line ends; Content-Transfer-Encoding 8bit (on the
// top and on any part) when a part is not ASCII.
std::string assemble_dsn(const dsn_layout& layout);
// "Name: value" folded at fold_column, CRLF at the end.
std::string dsn_field(std::string_view name, std::string_view value);
// RFC 3461 section 4: "+XX" is the byte XX (ENVID, ORCPT in a report).
std::string xtext_decode(std::string_view text);
// The original message (CRLF line ends), or its header only.
std::string returned_original(std::string_view original, bool whole);

}  // namespace sim::message
