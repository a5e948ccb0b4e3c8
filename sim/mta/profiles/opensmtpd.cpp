// sim/mta/profiles/opensmtpd.cpp - OpenSMTPD 7.x (usr.sbin/smtpd).
//
// Sources (github.com/OpenSMTPD/OpenSMTPD, 7.8.0p1):
//   scheduler_ramqueue.c   BACKOFF_TRANSFER 400: retry n is due at creation +
//                          400 s * n^2 (scheduler_backoff), skipping steps already
//                          past (scheduler_next); no queue runner: the scheduler
//                          wakes at that time; an envelope past its expiry is
//                          expired by the scheduler without another attempt
//   smtpd.h, config.c      SMTPD_QUEUE_EXPIRY 4 days (smtpd.conf "queue ttl");
//                          sc_bounce_warn[0] = 4h (smtpd.conf "bounce warn-interval")
//   queue.c                an expired envelope: "Envelope expired", status 5.4.7
//   mta_session.c          a 4xx at RCPT hands the envelope back to the scheduler
//                          (IMSG_MTA_DELIVERY_TEMPFAIL): no next MX in that attempt
//   mta.c                  "Network error on destination MXs" when no MX answered
//   bounce.c               the DSN: multipart/mixed (not multipart/report), "Hi!",
//                          "This is the MAILER-DAEMON, please DO NOT REPLY to this
//                          email.", one "address: error line" per recipient, a
//                          delivery-status part without Diagnostic-Code, then the
//                          original's header (its whole text for RET=FULL
//                          failures) as text/rfc822-headers
//   bounce.c               a success report (DSN NOTIFY=SUCCESS): "Your message was
//                          successfully delivered to these recipients." or, after a
//                          server without DSN, "Your message was relayed to these
//                          recipients."; action_str() "delivered" / "relayed"; the
//                          header only unless RET=FULL
//   smtp_session.c         the Received field; "550 Invalid recipient: <...>";
//                          "554 5.3.4 Message too big for system: Transaction
//                          failed, message too big"
// OpenSMTPD has no DNSBL or greylisting of its own (filters do it): mailsim's
// generic replies stand in.
#include <fmt/format.h>

#include "sim/mta/profiles/profile.hpp"
#include "sim/mta/profiles/profile_text.hpp"

namespace sim::mta {
namespace {

using std::chrono::hours;

class opensmtpd final : public profile {
 public:
  std::string_view name() const override { return "opensmtpd"; }

  queue_settings queue_defaults() const override {
    queue_settings q;
    q.algorithm = retry_algorithm::opensmtpd;
    q.min_backoff = duration::zero();
    q.max_backoff = hours(4 * 24);
    q.run_delay = duration::zero();
    q.lifetime = hours(4 * 24);
    q.bounce_lifetime = hours(4 * 24);
    q.delay_warning = hours(4);
    q.expire_without_attempt = true;
    return q;
  }

  delivery_settings delivery_defaults() const override {
    return {.mx_address_limit = 0, .mx_session_limit = 0, .next_mx_on_soft_error = false, .pipeline_data = false};
  }

  std::string describe(const delivery_problem& p) const override {
    switch (p.what) {
      case delivery_problem::kind::refused:
      case delivery_problem::kind::connect_timeout: return "Network error on destination MXs";
      case delivery_problem::kind::lost: return "Connection closed unexpectedly";
      case delivery_problem::kind::timed_out: return "Connection timeout";
      case delivery_problem::kind::reply: break;
    }
    return p.reply ? text::reply_line(*p.reply) : std::string();
  }

  dsn_subject expired(dsn_subject last, duration) const override {
    last.reason = "Envelope expired";
    last.status = "5.4.7";
    last.diagnostic.clear();
    last.remote_host.clear();
    return last;
  }

  std::string compose_dsn(const dsn_input& in) const override;

  std::string received(const message::received_stamp& s) const override {
    std::string out = fmt::format("from {} ({} [{}])\n\tby {} (OpenSMTPD) with {} id {}", s.helo,
                                  s.reverse_name.value_or("<unknown>"), s.ip, s.by_host, s.protocol, s.queue_id);
    // smtp_session.c: "(TLSv1.3:TLS_AES_256_GCM_SHA384:256:NO)" after the id.
    if (s.tls) out += fmt::format("\n\t({}:{}:{}:NO)", s.tls->protocol, s.tls->cipher, s.tls->bits);
    if (s.recipients.size() == 1) out += fmt::format("\n\tfor <{}>", s.recipients.front());
    return out + ";\n\t" + format_rfc5322_date(s.date);
  }

  smtp::reply relay_denied(std::string_view rcpt) const override {
    return {550, "", fmt::format("Invalid recipient: <{}>", rcpt)};
  }
  smtp::reply unknown_user(std::string_view rcpt) const override {
    return {550, "", fmt::format("Invalid recipient: <{}>", rcpt)};
  }
  smtp::reply message_too_big() const override {
    return {554, "5.3.4", "Message too big for system: Transaction failed, message too big"};
  }
  policy::reply_template dnsbl_reply() const override { return policy::default_dnsbl_reply(); }
  policy::reply_template greylist_reply() const override {
    return policy::default_greylist_reply();
  }
};

std::string opensmtpd_notification(const dsn_input& in) {
  std::string t = "    Hi!\n\n    This is the MAILER-DAEMON, please DO NOT REPLY to this email.\n\n";
  if (in.success)
    t += in.recipients.front().action == "relayed" ? "    Your message was relayed to these recipients.\n\n"
                                                   : "    Your message was successfully delivered to these recipients.\n\n";
  else if (in.delayed)
    t += fmt::format("    A message is delayed for more than {} for the following\n    list of recipients:\n\n",
                     text::plural_duration(in.delay_warning));
  else
    t += "    An error has occurred while attempting to deliver a message for\n"
         "    the following list of recipients:\n\n";
  for (const auto& r : in.recipients) t += fmt::format("{}: {}\n", r.address, in.success ? r.diagnostic : r.reason);
  t += "\n";
  if (in.delayed)
    t += fmt::format("    Please note that this is only a temporary failure report.\n"
                     "    The message is kept in the queue for up to {}.\n"
                     "    You DO NOT NEED to re-send the message to these recipients.\n\n",
                     text::plural_duration(in.lifetime));
  return t + "    Below is a copy of the original message:\n";
}

std::string opensmtpd_delivery_status(const dsn_input& in) {
  std::string s = message::dsn_field("Reporting-MTA", "dns; " + in.reporting_mta);
  for (const auto& r : in.recipients) {
    s += "\r\n" + message::dsn_field("Final-Recipient", "rfc822; " + r.address);
    s += message::dsn_field("Action", in.success ? r.action : in.delayed ? "delayed" : "failed");
    s += message::dsn_field("Status", r.status);
  }
  return s;
}

std::string opensmtpd::compose_dsn(const dsn_input& in) const {
  message::dsn_layout d;
  d.boundary_seed = in.message_id;
  d.container = "multipart/mixed";
  const std::string action = in.success ? in.recipients.front().action : in.delayed ? "delayed" : "failed";
  d.header = {{"Subject", "Delivery status notification: " + action},
              {"From", "Mailer Daemon <MAILER-DAEMON@" + in.reporting_mta + ">"},
              {"To", in.original_sender},
              {"Date", format_rfc5322_date(in.now)}};
  d.trailer = {{"Message-Id", in.message_id}};
  d.text_fields = {{"Content-Description", "Notification"}, {"Content-Type", "text/plain; charset=us-ascii"}};
  d.text = opensmtpd_notification(in);
  d.status_fields = {{"Content-Description", "Delivery Report"}, {"Content-Type", "message/delivery-status"}};
  d.status = opensmtpd_delivery_status(in);
  // bounce.c copies the header, and for a RET=FULL failure the whole
  // message, into a part it always calls text/rfc822-headers.
  // A success report with RET=FULL returns it whole too (bounce.c stops at the header only for RET=HDRS).
  const bool whole = !in.delayed && in.ret == message::dsn_ret::full && in.original.size() <= message::max_returned_message;
  d.returned_fields = {{"Content-Description", "Message headers"}, {"Content-Type", "text/rfc822-headers"}};
  d.returned = message::returned_original(in.original, whole);
  return message::assemble_dsn(d);
}

}  // namespace

const profile& opensmtpd_profile() {
  static const opensmtpd p;
  return p;
}

}  // namespace sim::mta
