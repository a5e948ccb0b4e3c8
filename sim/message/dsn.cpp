// sim/message/dsn.cpp - compose RFC 3464 delivery status notifications.
#include "sim/message/dsn.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/message/message.hpp"
#include "sim/message/mime.hpp"
#include "sim/message/text.hpp"

namespace sim::message {

std::string_view to_string(dsn_action action) {
  switch (action) {
    case dsn_action::failed: return "failed";
    case dsn_action::delayed: return "delayed";
    case dsn_action::delivered: return "delivered";
    case dsn_action::relayed: return "relayed";
    case dsn_action::expanded: return "expanded";
  }
  return "failed";
}

namespace {

enum class report_kind { failure, delay, success };

report_kind kind_of(const dsn_request& request) {
  const auto has = [&](dsn_action a) {
    return std::any_of(request.recipients.begin(), request.recipients.end(),
                       [&](const dsn_recipient& r) { return r.action == a; });
  };
  if (has(dsn_action::failed)) return report_kind::failure;
  if (has(dsn_action::delayed)) return report_kind::delay;
  return report_kind::success;
}

// RFC 3461 section 4: "+XX" stands for the byte XX.  RFC 3464 sections 2.2.1
// and 2.3.1 carry ENVID and ORCPT with the xtext decoded.
std::string xtext_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = text[i] == '+' ? decode_hex_pair(text.substr(i + 1, 2)) : std::nullopt;
    if (byte) { out += static_cast<char>(*byte); i += 2; } else { out += text[i]; }
  }
  return out;
}

std::string field_line(std::string_view name, std::string_view value) {
  return fmt::format("{}:{}\r\n", name, fold(name, unfold(value), "\r\n"));
}

std::string recipient_line(const dsn_recipient& r) {
  std::string line = "<" + r.final_recipient + ">: ";
  if (r.remote_mta && r.diagnostic_code) return line + "host " + *r.remote_mta + " said: " + unfold(*r.diagnostic_code);
  if (r.diagnostic_code) return line + unfold(*r.diagnostic_code);
  return line + "delivery status " + r.status;
}

std::string explanation(const dsn_request& request, report_kind kind) {
  std::string text = fmt::format("This is the mail delivery system at host {}.\r\n\r\n", request.reporting_mta);
  if (kind == report_kind::failure) {
    text += "Your message could not be delivered to one or more of its recipients.\r\n"
            "The problem is permanent, so the system has given up on them. The\r\n"
            "reason for each recipient is given below, and your message (or its\r\n"
            "header) is attached to this report.\r\n";
  } else if (kind == report_kind::delay) {
    std::optional<sim::wall_time> until;
    for (const auto& r : request.recipients) {
      if (r.will_retry_until && (!until || *r.will_retry_until > *until)) until = r.will_retry_until;
    }
    text += "Your message has not yet been delivered to one or more of its\r\n"
            "recipients because of a temporary problem. This is only a warning:\r\n"
            "you do not need to send the message again.";
    text += until ? " The system will keep trying\r\nuntil " + format_rfc5322_date(*until) + ".\r\n"
                  : " The system will keep trying.\r\n";
  } else {
    text += "Your message was delivered to the recipients listed below.\r\n";
  }
  text += "\r\n";
  for (const auto& r : request.recipients) text += fold("", recipient_line(r), "\r\n").substr(1) + "\r\n";
  return text;
}

std::string delivery_status(const dsn_request& request) {
  std::string out = field_line("Reporting-MTA", "dns; " + request.reporting_mta);
  if (request.envelope_id) out += field_line("Original-Envelope-Id", xtext_decode(*request.envelope_id));
  if (request.arrival_date) out += field_line("Arrival-Date", format_rfc5322_date(*request.arrival_date));
  for (const auto& r : request.recipients) {
    out += "\r\n";
    if (r.original_recipient) {
      const std::string orcpt = xtext_decode(*r.original_recipient);
      out += field_line("Original-Recipient", orcpt.find(';') == std::string::npos ? "rfc822;" + orcpt : orcpt);
    }
    out += field_line("Final-Recipient", "rfc822; " + r.final_recipient);
    out += field_line("Action", to_string(r.action));
    out += field_line("Status", r.status);
    if (r.remote_mta) out += field_line("Remote-MTA", "dns; " + *r.remote_mta);
    if (r.diagnostic_code) out += field_line("Diagnostic-Code", r.diagnostic_type + "; " + *r.diagnostic_code);
    if (r.last_attempt_date) out += field_line("Last-Attempt-Date", format_rfc5322_date(*r.last_attempt_date));
    if (r.will_retry_until) out += field_line("Will-Retry-Until", format_rfc5322_date(*r.will_retry_until));
  }
  return out;
}

bool return_full(const dsn_request& request, report_kind kind) {
  if (request.original_message.size() > max_returned_message) return false;
  if (request.ret == dsn_ret::unspecified) return kind != report_kind::delay;
  return request.ret == dsn_ret::full;
}

std::string returned_part(const dsn_request& request, report_kind kind) {
  const std::string original = to_crlf(request.original_message);
  if (return_full(request, kind)) {
    std::string out = "Content-Description: Undelivered Message\r\nContent-Type: message/rfc822\r\n";
    if (!is_ascii(original)) out += "Content-Transfer-Encoding: 8bit\r\n";
    return out + "\r\n" + original;
  }
  const std::string headers = message::parse(original).header_text();
  std::string out = "Content-Description: Undelivered Message Headers\r\nContent-Type: text/rfc822-headers\r\n";
  if (!is_ascii(headers)) out += "Content-Transfer-Encoding: 8bit\r\n";
  return out + "\r\n" + headers;
}

std::string subject_of(report_kind kind) {
  if (kind == report_kind::failure) return "Undelivered Mail Returned to Sender";
  if (kind == report_kind::delay) return "Delayed Mail (still being retried)";
  return "Successful Mail Delivery Report";
}

}  // namespace

std::string compose_dsn(const dsn_request& request) {
  const report_kind kind = kind_of(request);
  const std::string message_id =
      !request.message_id.empty()
          ? request.message_id
          : fmt::format("<{}.dsn@{}>", request.date.time_since_epoch().count(), request.reporting_mta);
  const std::string text = explanation(request, kind);
  const std::string status = delivery_status(request);
  const std::string returned = returned_part(request, kind);
  const std::string boundary = make_boundary(message_id, text + status + returned);

  std::string body = "This is a MIME-encapsulated message.\r\n\r\n";
  body += fmt::format("--{}\r\nContent-Description: Notification\r\n", boundary);
  body += fmt::format("Content-Type: text/plain; charset={}\r\n", is_ascii(text) ? "us-ascii" : "utf-8");
  if (!is_ascii(text)) body += "Content-Transfer-Encoding: 8bit\r\n";
  body += "\r\n" + text;
  body += fmt::format("\r\n--{}\r\nContent-Description: Delivery report\r\n", boundary);
  body += "Content-Type: message/delivery-status\r\n\r\n" + status;
  body += fmt::format("\r\n--{}\r\n{}", boundary, returned);
  if (!returned.ends_with("\r\n")) body += "\r\n";
  body += fmt::format("\r\n--{}--\r\n", boundary);

  message m;
  m.append("Date", format_rfc5322_date(request.date));
  m.append("From", "MAILER-DAEMON@" + request.reporting_mta + " (Mail Delivery System)");
  m.append("To", request.original_sender);
  m.append("Subject", subject_of(kind));
  m.append("Message-ID", message_id);
  m.append("Auto-Submitted", "auto-replied");
  m.append("MIME-Version", "1.0");
  m.append("Content-Type", fmt::format("multipart/report; report-type=delivery-status;\n\tboundary=\"{}\"", boundary));
  const bool eight_bit = !is_ascii(body);
  m.append("Content-Transfer-Encoding", eight_bit ? "8bit" : "7bit");
  m.set_body(std::move(body));
  return m.serialize();
}

}  // namespace sim::message
