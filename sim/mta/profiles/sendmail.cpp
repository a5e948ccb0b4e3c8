// sim/mta/profiles/sendmail.cpp - Sendmail 8.17 with the m4 configuration defaults.
//
// Sources (the sendmail 8.x distribution: cf/README, doc/op/op.me, sendmail/*.c):
//   cf/README              confTO_QUEUEWARN 4h (Timeout.queuewarn),
//                          confTO_QUEUERETURN 5d (Timeout.queuereturn),
//                          confMIN_QUEUE_AGE 0 (MinQueueAge): every queue run
//                          tries every queued message
//   sendmail -bd -q30m     the usual daemon flags (FreeBSD's rc.conf default
//                          sendmail_flags="-L sm-mta -bd -q30m"): a queue run every 30m
//   deliver.c              the next MX only while the mailer cannot be opened
//                          (connection, greeting, HELO): "try next MX site"; a 4xx
//                          at MAIL or RCPT queues the recipient (markfailure)
//   envelope.c             dropenvelope(): "Cannot send message for %s" (status
//                          4.4.7) and "Warning: could not send message for past %s",
//                          "Will keep trying until message is %s old"
//   savemail.c             the DSN: "Returned mail: see transcript for details",
//                          "The original message was received at ...", "-----
//                          The following addresses had permanent fatal errors
//                          -----", the transcript, Auto-Submitted, RFC822;/DNS;/SMTP;
//   savemail.c, deliver.c  the return receipt (NOTIFY=SUCCESS): Subject "Return
//                          receipt", Auto-Submitted "auto-generated (return-receipt)",
//                          "----- The following addresses had successful delivery
//                          notifications -----", "(successfully delivered to mailbox)",
//                          "(relayed to non-DSN-aware mailer)", the header only
//                          (RTSF_NO_BODY); no transcript (it holds only what a
//                          verbose delivery wrote)
//   cf/feature/dnsbl.m4    "Rejected: $&{client_addr} listed at ZONE"
//   ruleset messages       "Relaying denied", "User unknown", "Message size
//                          exceeds maximum value" (5.2.3)
// Sendmail has no greylisting of its own (milter-greylist does it): mailsim's
// generic reply stands in.
#include <fmt/format.h>

#include "sim/message/received.hpp"
#include "sim/mta/profiles/profile.hpp"
#include "sim/mta/profiles/profile_text.hpp"

namespace sim::mta {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

std::string sendmail_command_of(const dsn_subject& r, std::string_view sender) {
  if (r.phase == "mail") return fmt::format("MAIL From:<{}>", sender);
  if (r.phase == "rcpt") return fmt::format("RCPT To:<{}>", r.address);
  if (r.phase == "data") return "DATA";
  if (r.phase == "dot" || r.phase == "body") return ".";
  if (r.phase == "ehlo") return "EHLO";
  return "";
}

std::string during(std::string_view phase) {
  if (phase == "connect") return "client greeting";
  if (phase == "ehlo") return "client EHLO";
  if (phase == "mail") return "client MAIL";
  if (phase == "rcpt") return "client RCPT";
  if (phase == "data") return "client DATA";
  return "client DATA status";
}

class sendmail final : public profile {
 public:
  std::string_view name() const override { return "sendmail"; }

  queue_settings queue_defaults() const override {
    queue_settings q;
    q.algorithm = retry_algorithm::sendmail;
    q.min_backoff = duration::zero();  // MinQueueAge
    q.max_backoff = hours(5 * 24);     // no cap of its own
    q.run_delay = minutes(30);
    q.lifetime = hours(5 * 24);
    q.bounce_lifetime = hours(5 * 24);
    q.delay_warning = hours(4);
    return q;
  }

  delivery_settings delivery_defaults() const override {
    return {.mx_address_limit = 0, .mx_session_limit = 0, .next_mx_on_soft_error = false, .pipeline_data = false};
  }

  std::string describe(const delivery_problem& p) const override {
    switch (p.what) {
      case delivery_problem::kind::refused: return fmt::format("Deferred: Connection refused by {}.", p.host);
      case delivery_problem::kind::connect_timeout: return fmt::format("Deferred: Connection timed out with {}.", p.host);
      case delivery_problem::kind::lost: return fmt::format("Deferred: Connection reset by {}.", p.host);
      case delivery_problem::kind::timed_out:
        return fmt::format("Deferred: timeout waiting for input from {}. during {}", p.host, during(p.phase));
      case delivery_problem::kind::reply: break;
    }
    const std::string said = p.reply ? text::reply_line(*p.reply) : std::string();
    return p.reply && p.reply->permanent() ? said : "Deferred: " + said;
  }

  dsn_subject expired(dsn_subject last, duration lifetime) const override {
    last.reason = fmt::format("Cannot send message for {}", text::plural_duration(lifetime));
    last.status = "4.4.7";
    last.phase = "expired";
    last.diagnostic.clear();
    last.remote_host.clear();
    return last;
  }

  std::string compose_dsn(const dsn_input& in) const override;

  std::string received(const message::received_stamp& s) const override {
    std::string from = s.reverse_name ? fmt::format("{} [{}]", *s.reverse_name, s.ip) : fmt::format("[{}]", s.ip);
    std::string out = fmt::format("from {} ({})\n\tby {} (8.17.1/8.17.1) with {} id {}", s.helo, from, s.by_host,
                                  s.protocol, s.queue_id);
    // ${tls_version} and ${cipher} in Debian's Received template.
    if (s.tls)
      out += fmt::format("\n\t(version={} cipher={} bits={} verify=NO)", s.tls->protocol, s.tls->cipher, s.tls->bits);
    if (s.recipients.size() == 1)
      return out + fmt::format("\n\tfor <{}>; {}", s.recipients.front(), format_rfc5322_date(s.date));
    return out + ";\n\t" + format_rfc5322_date(s.date);
  }

  smtp::reply relay_denied(std::string_view rcpt) const override {
    return {550, "5.7.1", fmt::format("<{}>... Relaying denied", rcpt)};
  }
  smtp::reply unknown_user(std::string_view rcpt) const override {
    return {550, "5.1.1", fmt::format("<{}>... User unknown", rcpt)};
  }
  smtp::reply message_too_big() const override { return {552, "5.2.3", "Message size exceeds maximum value"}; }
  policy::reply_template dnsbl_reply() const override {
    return {550, "5.7.1", {"Rejected: $client_address listed at $rbl_domain"}};
  }
  policy::reply_template greylist_reply() const override {
    return policy::default_greylist_reply();
  }
};

// "from mail.sender.test [192.0.2.25]": where the original came from, as
// its top Received field says.
std::string sendmail_received_from(std::string_view original) {
  auto field = text::original_field(original, "Received");
  auto r = field.empty() ? std::nullopt : message::parse_received(field);
  if (!r) return "";
  std::string name = r->reverse_name.empty() || r->reverse_name == "unknown" ? r->from_host : r->reverse_name;
  return fmt::format("from {} [{}]\n", name, r->ip);
}

std::string transcript(const dsn_input& in, const dsn_subject& r) {
  if (r.diagnostic.empty()) return fmt::format("<{}>... {}\n", r.address, r.reason);
  std::string t = fmt::format("... while talking to {}.:\n", r.remote_host);
  if (auto cmd = sendmail_command_of(r, in.original_sender); !cmd.empty()) t += ">>> " + cmd + "\n";
  return t + "<<< " + r.diagnostic + "\n";
}

std::string sendmail_notification(const dsn_input& in) {
  std::string t;
  if (in.delayed)
    t += "    **********************************************\n"
         "    **      THIS IS A WARNING MESSAGE ONLY      **\n"
         "    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **\n"
         "    **********************************************\n\n";
  t += fmt::format("The original message was received at {}\n{}\n", format_rfc5322_date(in.arrival),
                   sendmail_received_from(in.original));
  if (in.success) {
    t += "   ----- The following addresses had successful delivery notifications -----\n";
    for (const auto& r : in.recipients)
      t += fmt::format("<{}>  ({})\n", r.address,
                       r.action == "relayed" ? "relayed to non-DSN-aware mailer" : "successfully delivered to mailbox");
    return t + "\n";
  }
  if (!in.delayed) {
    t += "   ----- The following addresses had permanent fatal errors -----\n";
    for (const auto& r : in.recipients)
      t += fmt::format("<{}>\n    (reason: {})\n", r.address, r.diagnostic.empty() ? r.reason : r.diagnostic);
    t += "\n";
  }
  t += "   ----- Transcript of session follows -----\n";
  bool timed_out = false;
  for (const auto& r : in.recipients) {
    t += transcript(in, r);
    timed_out = timed_out || r.phase == "expired";
  }
  if (in.delayed) {
    t += fmt::format("Warning: message still undelivered after {}\n", text::plural_duration(in.delay_warning));
    t += fmt::format("Will keep trying until message is {} old\n", text::plural_duration(in.lifetime));
  } else if (timed_out) {
    t += fmt::format("Message could not be delivered for {}\nMessage will be deleted from queue\n",
                     text::plural_duration(in.lifetime));
  }
  return t;
}

std::string sendmail_delivery_status(const dsn_input& in) {
  std::string s = message::dsn_field("Reporting-MTA", "dns; " + in.reporting_mta);
  if (!in.envid.empty()) s += message::dsn_field("Original-Envelope-Id", message::xtext_decode(in.envid));
  s += message::dsn_field("Arrival-Date", format_rfc5322_date(in.arrival));
  for (const auto& r : in.recipients) {
    s += "\r\n";
    if (!r.orcpt.empty()) s += message::dsn_field("Original-Recipient", message::xtext_decode(r.orcpt));
    s += message::dsn_field("Final-Recipient", "RFC822; " + r.address);
    s += message::dsn_field("Action", in.success ? r.action : in.delayed ? "delayed" : "failed");
    s += message::dsn_field("Status", r.status);
    // A local delivery names no remote MTA (q_statmta is set by SMTP mailers only).
    const bool remote = !r.remote_host.empty() && !(in.success && r.action == "delivered");
    if (remote) s += message::dsn_field("Remote-MTA", "DNS; " + r.remote_host);
    if (remote && !r.diagnostic.empty()) s += message::dsn_field("Diagnostic-Code", "SMTP; " + r.diagnostic);
    s += message::dsn_field("Last-Attempt-Date", format_rfc5322_date(in.now));
    if (in.delayed) s += message::dsn_field("Will-Retry-Until", format_rfc5322_date(in.arrival + in.lifetime));
  }
  return s;
}

std::string sendmail::compose_dsn(const dsn_input& in) const {
  message::dsn_layout d;
  d.boundary_seed = in.message_id;
  d.header = {{"From", "Mail Delivery Subsystem <MAILER-DAEMON@" + in.reporting_mta + ">"},
              {"Date", format_rfc5322_date(in.now)},
              {"Message-Id", in.message_id},
              {"To", "<" + in.original_sender + ">"}};
  if (in.success)
    d.trailer = {{"Subject", "Return receipt"}, {"Auto-Submitted", "auto-generated (return-receipt)"}};
  else
    d.trailer = {{"Subject", in.delayed ? "Warning: could not send message for past " + text::plural_duration(in.delay_warning)
                                        : "Returned mail: see transcript for details"},
                 {"Auto-Submitted", in.delayed ? "auto-generated (warning-timeout)" : "auto-generated (failure)"}};
  d.preamble = "This is a MIME-encapsulated message";
  d.text = sendmail_notification(in);
  d.status_fields = {{"Content-Type", "message/delivery-status"}};
  d.status = sendmail_delivery_status(in);
  const bool whole = text::return_whole(in.ret, in.delayed || in.success, in.original.size());
  d.returned_fields = {{"Content-Type", whole ? "message/rfc822" : "text/rfc822-headers"}};
  d.returned = message::returned_original(in.original, whole);
  return message::assemble_dsn(d);
}

}  // namespace

const profile& sendmail_profile() {
  static const sendmail p;
  return p;
}

}  // namespace sim::mta
