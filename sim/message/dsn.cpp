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
  std::string out = dsn_field("Reporting-MTA", "dns; " + request.reporting_mta);
  if (request.envelope_id) out += dsn_field("Original-Envelope-Id", xtext_decode(*request.envelope_id));
  if (request.arrival_date) out += dsn_field("Arrival-Date", format_rfc5322_date(*request.arrival_date));
  for (const auto& r : request.recipients) {
    out += "\r\n";
    if (r.original_recipient) {
      const std::string orcpt = xtext_decode(*r.original_recipient);
      out += dsn_field("Original-Recipient", orcpt.find(';') == std::string::npos ? "rfc822;" + orcpt : orcpt);
    }
    out += dsn_field("Final-Recipient", "rfc822; " + r.final_recipient);
    out += dsn_field("Action", to_string(r.action));
    out += dsn_field("Status", r.status);
    if (r.remote_mta) out += dsn_field("Remote-MTA", "dns; " + *r.remote_mta);
    if (r.diagnostic_code) out += dsn_field("Diagnostic-Code", r.diagnostic_type + "; " + *r.diagnostic_code);
    if (r.last_attempt_date) out += dsn_field("Last-Attempt-Date", format_rfc5322_date(*r.last_attempt_date));
    if (r.will_retry_until) out += dsn_field("Will-Retry-Until", format_rfc5322_date(*r.will_retry_until));
  }
  return out;
}

bool return_full(const dsn_request& request, report_kind kind) {
  if (request.original_message.size() > max_returned_message) return false;
  if (request.ret == dsn_ret::unspecified) return kind != report_kind::delay;
  return request.ret == dsn_ret::full;
}

field_list returned_fields(const dsn_request& request, report_kind kind) {
  if (return_full(request, kind)) return {{"Content-Description", "Undelivered Message"}, {"Content-Type", "message/rfc822"}};
  return {{"Content-Description", "Undelivered Message Headers"}, {"Content-Type", "text/rfc822-headers"}};
}

std::string subject_of(report_kind kind) {
  if (kind == report_kind::failure) return "Undelivered Mail Returned to Sender";
  if (kind == report_kind::delay) return "Delayed Mail (still being retried)";
  return "Successful Mail Delivery Report";
}

bool ends_with_line_end(std::string_view text) { return text.ends_with("\n"); }

// One body part: its fields, Content-Transfer-Encoding 8bit when its
// content is not ASCII (RFC 2045 section 6.2), then the content.
std::string body_part(const field_list& fields, std::string_view content) {
  std::string out;
  bool has_cte = false;
  for (const auto& [name, value] : fields) {
    out += dsn_field(name, value);
    has_cte = has_cte || iequals(name, "Content-Transfer-Encoding");
  }
  if (!has_cte && !is_ascii(content)) out += dsn_field("Content-Transfer-Encoding", "8bit");
  out += "\r\n" + to_crlf(content);
  if (!ends_with_line_end(out)) out += "\r\n";
  return out;
}

}  // namespace

std::string xtext_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = text[i] == '+' ? decode_hex_pair(text.substr(i + 1, 2)) : std::nullopt;
    if (byte) { out += static_cast<char>(*byte); i += 2; } else { out += text[i]; }
  }
  return out;
}

std::string dsn_field(std::string_view name, std::string_view value) {
  return fmt::format("{}:{}\r\n", name, fold(name, unfold(value), "\r\n"));
}

std::string returned_original(std::string_view original, bool whole) {
  const std::string crlf = to_crlf(original);
  return whole ? crlf : message::parse(crlf).header_text();
}

std::string assemble_dsn(const dsn_layout& layout) {
  const std::string text = body_part(layout.text_fields, layout.text);
  const std::string status = body_part(layout.status_fields, layout.status);
  const std::string returned = body_part(layout.returned_fields, layout.returned);
  const std::string boundary = make_boundary(layout.boundary_seed, text + status + returned);
  std::string body = layout.preamble.empty() ? std::string() : to_crlf(layout.preamble) + "\r\n\r\n";
  for (const std::string* part : {&text, &status, &returned}) body += fmt::format("--{}\r\n{}\r\n", boundary, *part);
  body += fmt::format("--{}--\r\n", boundary);

  message m;
  for (const auto& [name, value] : layout.header) m.append(name, value);
  m.append("MIME-Version", "1.0");
  m.append("Content-Type", fmt::format("{};\n\tboundary=\"{}\"", layout.container, boundary));
  m.append("Content-Transfer-Encoding", is_ascii(body) ? "7bit" : "8bit");
  for (const auto& [name, value] : layout.trailer) m.append(name, value);
  m.set_body(std::move(body));
  return m.serialize();
}

std::string compose_dsn(const dsn_request& request) {
  const report_kind kind = kind_of(request);
  dsn_layout layout;
  layout.boundary_seed =
      !request.message_id.empty()
          ? request.message_id
          : fmt::format("<{}.dsn@{}>", request.date.time_since_epoch().count(), request.reporting_mta);
  layout.header = {{"Date", format_rfc5322_date(request.date)},
                   {"From", "MAILER-DAEMON@" + request.reporting_mta + " (Mail Delivery System)"},
                   {"To", request.original_sender},
                   {"Subject", subject_of(kind)},
                   {"Message-ID", layout.boundary_seed},
                   {"Auto-Submitted", "auto-replied"}};
  layout.text = explanation(request, kind);
  layout.text_fields = {{"Content-Description", "Notification"},
                        {"Content-Type", std::string("text/plain; charset=") + (is_ascii(layout.text) ? "us-ascii" : "utf-8")}};
  layout.status = delivery_status(request);
  layout.status_fields = {{"Content-Description", "Delivery report"}, {"Content-Type", "message/delivery-status"}};
  layout.returned_fields = returned_fields(request, kind);
  layout.returned = returned_original(request.original_message, return_full(request, kind));
  return assemble_dsn(layout);
}

}  // namespace sim::message
