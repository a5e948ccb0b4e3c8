// sim/mta/profiles/exim.cpp - Exim 4.9x with the configure file it ships.
//
// Sources (github.com/Exim/exim; the Exim specification, doc/doc-docbook/spec.xfpt):
//   src/src/configure.default  the retry rule "* * F,2h,15m; G,16h,1h,1.5; F,4d,6h";
//                              "relay not permitted"; verify = recipient ("Unrouteable
//                              address"); the commented dnslists example's message
//   src/src/retry.c            rules chosen by the time since the first failure; G
//                              multiplies the last interval; past the last cutoff the
//                              address times out ("retry timeout exceeded") at its
//                              next failure
//   src/src/globals.c          retry_interval_max 24h, delay_warning 24h, the
//                              received_header_text
//   spec "Retry parameters"    queue runners only try what is past its retry time;
//                              "exim -bd -q30m" is the spec's example (Debian's
//                              QUEUEINTERVAL is 30m too)
//   spec "Outgoing SMTP and LMTP over TCP/IP"   after a 4xx for an address "if there
//                              are other hosts ... they are tried in this run";
//                              hosts_max_try 5 (no session limit)
//   src/src/transports/smtp.c  "SMTP error from remote mail server after %s: "
//   src/src/deliver.c          the bounce and the warning: texts, multipart/report,
//                              X-Failed-Recipients, Status 5.0.0 (failed) / 4.0.0
//                              (delayed), Diagnostic-Code only for a server's reply,
//                              print_address_error()'s line breaks
//   src/src/deliver.c      the success report (NOTIFY=SUCCESS): "Delivery Status
//                          Notification", "----- The following addresses had
//                          successful delivery notifications -----", "(relayed via
//                          non DSN router)" for a local delivery, "(relayed to
//                          non-DSN-aware mailer)" for a server without DSN; Action
//                          "delivered" in both; "Diagnostic-Code: smtp; 250 Ok" with
//                          the Remote-MTA, "X-Exim; relayed via non DSN router"
//                          without; the header only, Auto-Submitted: auto-generated
//   src/src/host.c             the Received "from" part: "name ([ip] helo=...)"
// Exim repeats its delay warning every 24h; mailsim sends one.
#include <fmt/format.h>

#include "sim/mta/profiles/profile.hpp"
#include "sim/message/text.hpp"
#include "sim/mta/profiles/profile_text.hpp"

namespace sim::mta {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

std::string exim_command_of(const delivery_problem& p) {
  if (p.phase == "connect") return "initial connection";
  if (p.phase == "ehlo") return "EHLO " + p.helo;
  if (p.phase == "mail") return "MAIL FROM:<" + p.sender + ">";
  if (p.phase == "rcpt") return "RCPT TO:<" + p.rcpt + ">";
  if (p.phase == "data") return "DATA";
  if (p.phase == "quit") return "QUIT";
  return "end of data";
}

// print_address_error(): after a ": " past column 45 the text goes on the next line.
std::string error_lines(std::string_view text) {
  std::string out = "    ";
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    ++count;
    if (text[i] == ':' && i + 1 < text.size() && text[i + 1] == ' ' && count > 45) {
      out += "\n   ";
      count = 0;
    }
  }
  return out;
}

// "host NAME [IP]: rest" -> the address's lines in a bounce or a warning.
std::string address_block(const dsn_subject& r, std::string_view label) {
  std::string out = "  " + r.address;
  std::string_view reason = r.reason;
  if (reason.starts_with("host ")) {
    auto colon = reason.find("]: ");
    if (colon != std::string_view::npos) {
      out += "\n    " + std::string(reason.substr(0, colon + 1));
      reason.remove_prefix(colon + 3);
    }
  }
  return out + "\n" + error_lines(std::string(label) + std::string(reason)) + "\n";
}

std::string exim_received_from(const message::received_stamp& s) {
  if (!s.reverse_name) return fmt::format("[{}] (helo={})", s.ip, s.helo);
  if (message::iequals(*s.reverse_name, s.helo)) return fmt::format("{} ([{}])", *s.reverse_name, s.ip);
  return fmt::format("{} ([{}] helo={})", *s.reverse_name, s.ip, s.helo);
}

std::string lower(std::string text) {
  for (auto& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

class exim final : public profile {
 public:
  std::string_view name() const override { return "exim"; }

  queue_settings queue_defaults() const override {
    queue_settings q;
    q.algorithm = retry_algorithm::exim;
    q.exim_rules = {{'F', hours(2), minutes(15), 1.0}, {'G', hours(16), hours(1), 1.5}, {'F', hours(4 * 24), hours(6), 1.0}};
    q.min_backoff = duration::zero();
    q.max_backoff = hours(24);  // retry_interval_max
    q.run_delay = minutes(30);
    q.lifetime = hours(4 * 24);  // the last rule's cutoff
    q.bounce_lifetime = hours(4 * 24);
    q.delay_warning = hours(24);
    return q;
  }

  delivery_settings delivery_defaults() const override {
    return {.mx_address_limit = 5, .mx_session_limit = 0, .next_mx_on_soft_error = true, .pipeline_data = false};
  }

  std::string describe(const delivery_problem& p) const override {
    const std::string host = p.lmtp ? fmt::format("host {} [lmtp]", p.host) : fmt::format("host {} [{}]", p.host, p.ip);
    const char* protocol = p.lmtp ? "LMTP" : "SMTP";
    switch (p.what) {
      case delivery_problem::kind::refused: return host + ": Connection refused";
      case delivery_problem::kind::connect_timeout: return host + ": Connection timed out";
      case delivery_problem::kind::lost:
        return fmt::format("{}: Remote host closed connection in response to {}", host, exim_command_of(p));
      case delivery_problem::kind::timed_out: return fmt::format("{}: {} timeout after {}", host, protocol, exim_command_of(p));
      case delivery_problem::kind::reply: break;
    }
    return fmt::format("{}: {} error from remote mail server after {}: {}", host, protocol, exim_command_of(p),
                       p.reply ? text::reply_line(*p.reply) : std::string());
  }

  dsn_subject expired(dsn_subject last, duration) const override {
    last.reason += ": retry timeout exceeded";
    return last;
  }

  std::string compose_dsn(const dsn_input& in) const override;

  std::string received(const message::received_stamp& s) const override {
    // received_header_text: "(TLS1.3) tls TLS_AES_256_GCM_SHA384" after the protocol.
    std::string tls;
    if (s.tls) {
      std::string version = s.tls->protocol;
      if (version.starts_with("TLSv")) version.erase(3, 1);
      tls = fmt::format("\n\t({}) tls {}", version, s.tls->cipher);
    }
    std::string out =
        fmt::format("from {}\n\tby {} with {}{} (Exim 4.96)", exim_received_from(s), s.by_host, lower(s.protocol), tls);
    if (!s.envelope_from.empty()) out += fmt::format("\n\t(envelope-from <{}>)", s.envelope_from);
    out += "\n\tid " + s.queue_id;
    if (s.recipients.size() == 1) out += "\n\tfor " + s.recipients.front();
    return out + ";\n\t" + format_rfc5322_date(s.date);
  }

  smtp::reply relay_denied(std::string_view) const override { return {550, "", "relay not permitted"}; }
  smtp::reply unknown_user(std::string_view) const override { return {550, "", "Unrouteable address"}; }
  smtp::reply message_too_big() const override { return {552, "", "Message size exceeds maximum permitted"}; }
  policy::reply_template dnsbl_reply() const override {
    return {550, "", {"rejected because $client_address is in a black list at $rbl_domain${rbl_reason?\n$rbl_reason}"}};
  }
  policy::reply_template greylist_reply() const override {
    return policy::default_greylist_reply();
  }
};

std::string failure_text(const dsn_input& in) {
  std::string t = "This message was created automatically by mail delivery software.\n\n"
                  "A message that you sent could not be delivered to one or more of its\n"
                  "recipients. This is a permanent error. The following address(es) failed:\n\n";
  for (const auto& r : in.recipients) t += address_block(r, "") + "\n";
  return t;
}

std::string warning_text(const dsn_input& in) {
  std::string t = "This message was created automatically by mail delivery software.\n\n"
                  "A message that you sent has not yet been delivered to one or more of its\n";
  t += fmt::format("recipients after more than {} on the queue on {}.\n\n", text::plural_duration(in.delay_warning),
                   in.reporting_mta);
  t += fmt::format("The message identifier is:     {}\n", in.queue_id);
  if (auto s = text::original_field(in.original, "Subject"); !s.empty()) t += "The subject of the message is: " + s + "\n";
  if (auto d = text::original_field(in.original, "Date"); !d.empty()) t += "The date of the message is:    " + d + "\n";
  t += fmt::format("\nThe address{} to which the message has not yet been delivered {}:\n\n",
                   in.recipients.size() == 1 ? "" : "es", in.recipients.size() == 1 ? "is" : "are");
  for (const auto& r : in.recipients) t += address_block(r, "Delay reason: ");
  t += "\nNo action is required on your part. Delivery attempts will continue for\n"
       "some time, and this warning may be repeated at intervals if the message\n"
       "remains undelivered. Eventually the mail delivery software will give up,\n"
       "and when that happens, the message will be returned to you.\n";
  return t;
}

std::string success_text(const dsn_input& in) {
  std::string t = "This message was created automatically by mail delivery software.\n"
                  " ----- The following addresses had successful delivery notifications -----\n";
  for (const auto& r : in.recipients)
    t += fmt::format("<{}> (relayed {})\n\n", r.address,
                     r.action == "delivered" ? "via non DSN router" : "to non-DSN-aware mailer");
  return t;
}

// deliver.c says "Action: delivered" for every address it reports, the
// relayed ones too.
std::string success_status(const dsn_input& in) {
  std::string s = message::dsn_field("Reporting-MTA", "dns; " + in.reporting_mta);
  if (!in.envid.empty()) s += message::dsn_field("Original-Envelope-ID", in.envid);
  for (const auto& r : in.recipients) {
    s += "\r\n";
    if (!r.orcpt.empty()) s += message::dsn_field("Original-Recipient", r.orcpt);
    s += message::dsn_field("Action", "delivered");
    s += message::dsn_field("Final-Recipient", "rfc822;" + r.address);
    s += message::dsn_field("Status", "2.0.0");
    if (r.action == "relayed" && !r.remote_host.empty()) {
      s += message::dsn_field("Remote-MTA", "dns; " + r.remote_host);
      s += message::dsn_field("Diagnostic-Code", "smtp; 250 Ok");
    } else {
      s += message::dsn_field("Diagnostic-Code", "X-Exim; relayed via non DSN router");
    }
  }
  return s;
}

std::string exim_delivery_status(const dsn_input& in) {
  std::string s = message::dsn_field("Reporting-MTA", "dns; " + in.reporting_mta);
  if (!in.envid.empty()) s += message::dsn_field("Original-Envelope-ID", in.envid);
  for (const auto& r : in.recipients) {
    s += "\r\n";
    if (!r.orcpt.empty()) s += message::dsn_field("Original-Recipient", r.orcpt);
    s += message::dsn_field("Action", in.delayed ? "delayed" : "failed");
    s += message::dsn_field("Final-Recipient", "rfc822;" + r.address);
    s += message::dsn_field("Status", in.delayed ? "4.0.0" : "5.0.0");
    if (!r.remote_host.empty()) {
      s += message::dsn_field("Remote-MTA", "dns; " + r.remote_host);
      if (!r.diagnostic.empty()) s += message::dsn_field("Diagnostic-Code", "smtp; " + r.diagnostic);
    }
  }
  return s;
}

// The success report: its own header order, no Message-Id of Exim's own
// until its submission adds one (mailsim's goes in the trailer).
std::string compose_success(const dsn_input& in) {
  message::dsn_layout d;
  d.boundary_seed = in.message_id;
  d.header = {{"Auto-Submitted", "auto-generated"},
              {"From", "Mail Delivery System <Mailer-Daemon@" + in.reporting_mta + ">"},
              {"To", in.original_sender},
              {"Subject", "Delivery Status Notification"}};
  d.trailer = {{"Message-Id", in.message_id}, {"Date", format_rfc5322_date(in.now)}};
  d.preamble = "";
  d.text_fields = {{"Content-type", "text/plain; charset=us-ascii"}};
  d.text = success_text(in);
  d.status_fields = {{"Content-type", "message/delivery-status"}};
  d.status = success_status(in);
  d.returned_fields = {{"Content-type", "text/rfc822-headers"}};
  d.returned = message::returned_original(in.original, false);
  return message::assemble_dsn(d);
}

std::string exim::compose_dsn(const dsn_input& in) const {
  if (in.success) return compose_success(in);
  message::dsn_layout d;
  d.boundary_seed = in.message_id;
  if (!in.delayed) {
    std::string failed;
    for (const auto& r : in.recipients) failed += (failed.empty() ? "" : ",\n  ") + r.address;
    d.header.emplace_back("X-Failed-Recipients", failed);
  }
  d.header.emplace_back("Auto-Submitted", "auto-replied");
  d.header.emplace_back("From", "Mail Delivery System <Mailer-Daemon@" + in.reporting_mta + ">");
  d.header.emplace_back("To", in.original_sender);
  if (auto id = text::original_message_id(in.original); !id.empty()) d.header.emplace_back("References", id);
  d.trailer = {{"Subject", in.delayed ? fmt::format("Warning: message {} delayed {}", in.queue_id,
                                                    text::plural_duration(in.delay_warning))
                                      : "Mail delivery failed: returning message to sender"},
               {"Message-Id", in.message_id},
               {"Date", format_rfc5322_date(in.now)}};
  d.preamble = "";
  d.text_fields = {{"Content-type", "text/plain; charset=us-ascii"}};
  d.text = in.delayed ? warning_text(in) : failure_text(in);
  d.status_fields = {{"Content-type", "message/delivery-status"}};
  d.status = exim_delivery_status(in);
  // A warning returns the header only (deliver.c: "header only as required by RFC").
  const bool whole = !in.delayed && text::return_whole(in.ret, false, in.original.size());
  d.returned_fields = {{"Content-type", whole ? "message/rfc822" : "text/rfc822-headers"}};
  d.returned = message::returned_original(in.original, whole);
  return message::assemble_dsn(d);
}

}  // namespace

const profile& exim_profile() {
  static const exim p;
  return p;
}

}  // namespace sim::mta
