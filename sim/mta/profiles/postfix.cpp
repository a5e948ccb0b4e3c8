// sim/mta/profiles/postfix.cpp - Postfix 3.x, the default profile.
//
// Sources (Postfix source tree, github.com/vdukhovni/postfix, 3.12 snapshot;
// postconf(5) documents the same defaults):
//   global/mail_params.h   queue_run_delay 300s, minimal_backoff_time 300s
//                          (= queue_run_delay), maximal_backoff_time 4000s,
//                          maximal_queue_lifetime 5d, bounce_queue_lifetime 5d,
//                          delay_warning_time 0h (off), smtp_mx_address_limit 5,
//                          smtp_mx_session_limit 2, default_rbl_reply,
//                          maps_rbl_reject_code 554
//   qmgr/qmgr_active.c     the wait is the message's age clamped to the backoff
//                          bounds; expiry is checked after an attempt
//   smtp/smtp_connect.c    "connect to %s[%s]:%d: %m"; the address and session
//                          limits; the last server is the "final" one
//   smtp/smtp_trouble.c    a soft error from a non-final server tries the next one
//   smtp/smtp_proto.c      with PIPELINING, DATA goes in the MAIL/RCPT group
//                          (when every RCPT is refused, DATA gets 554 5.5.1)
//   smtp/smtp_proto.c      "host %s said: %s (in reply to %s)" with "RCPT TO
//                          command", "end of DATA command", ...; "lost connection
//                          with %s while %s", "conversation with %s timed out
//                          while %s"; "host %s refused to talk to me: %s"
//   bounce/bounce_templates.c, bounce_notify_util.c   the DSN: its texts, its
//                          parts, X-Postfix-Queue-ID, "Diagnostic-Code: X-Postfix;"
//                          for its own words, Will-Retry-Until on delay warnings,
//                          lines wrapped at 79 with a 4-space indent
//   bounce/bounce_templates.c (the success template), bounce_notify_util.c,
//   smtp/smtp_rcpt.c       the success report (NOTIFY=SUCCESS): "Successful Mail
//                          Delivery Report", "delivery via host[ip]:25: 250 ...",
//                          Action "relayed" after a server without DSN, none after
//                          one with DSN (it takes over), "delivered" by the final
//                          LMTP hop; the headers returned, "Delivered Message"
//   smtpd/smtpd_check.c    "Relay access denied", "User unknown in local recipient
//                          table", "Message size exceeds fixed limit"
// Greylisting is not in Postfix: the reply is postgrey's (its default
// --greylist-text, returned as DEFER_IF_PERMIT through check_policy_service).
#include <fmt/format.h>

#include "sim/mta/profiles/profile.hpp"
#include "sim/mta/profiles/profile_text.hpp"

namespace sim::mta {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

// smtp_proto.c xfer_request[] (and the session's own steps).
std::string_view postfix_command_of(std::string_view phase) {
  if (phase == "mail") return "MAIL FROM command";
  if (phase == "rcpt") return "RCPT TO command";
  if (phase == "data") return "DATA command";
  if (phase == "dot" || phase == "body") return "end of DATA command";
  if (phase == "rset") return "RSET command";
  if (phase == "quit") return "QUIT command";
  if (phase == "auth") return "AUTH command";
  return "EHLO command";
}

// smtp_proto.c xfer_states[] and the handshake's "where".
std::string_view while_doing(std::string_view phase) {
  if (phase == "connect") return "receiving the initial server greeting";
  if (phase == "ehlo") return "performing the EHLO handshake";
  if (phase == "auth") return "performing the AUTH handshake";
  if (phase == "mail") return "sending MAIL FROM";
  if (phase == "rcpt") return "sending RCPT TO";
  if (phase == "data") return "sending DATA command";
  if (phase == "body") return "sending message body";
  if (phase == "dot") return "sending end of data -- message may be sent more than once";
  if (phase == "rset") return "sending final RSET";
  return "sending QUIT";
}

class postfix final : public profile {
 public:
  std::string_view name() const override { return "postfix"; }

  queue_settings queue_defaults() const override {
    queue_settings q;
    q.algorithm = retry_algorithm::postfix;
    q.min_backoff = seconds(300);
    q.max_backoff = seconds(4000);
    q.run_delay = seconds(300);
    q.lifetime = hours(5 * 24);
    q.bounce_lifetime = hours(5 * 24);
    q.delay_warning = duration::zero();
    return q;
  }

  // smtp_proto.c sends DATA in the pipelined MAIL/RCPT group.
  delivery_settings delivery_defaults() const override {
    return {.mx_address_limit = 5, .mx_session_limit = 2, .next_mx_on_soft_error = true,
            // smtp_addr.c: "does not accept mail (nullMX)" with DSN status 5.1.0.
            .pipeline_data = true, .null_mx_status = "5.1.0"};
  }

  std::string describe(const delivery_problem& p) const override {
    // An LMTP socket shows as its transport's name (lmtp(8) logs "private/..." there).
    const std::string where = fmt::format("{}[{}]", p.host, p.lmtp ? "private/lmtp" : p.ip);
    switch (p.what) {
      case delivery_problem::kind::refused: return fmt::format("connect to {}:25: Connection refused", where);
      case delivery_problem::kind::connect_timeout: return fmt::format("connect to {}:25: Connection timed out", where);
      case delivery_problem::kind::lost: return fmt::format("lost connection with {} while {}", where, while_doing(p.phase));
      case delivery_problem::kind::timed_out:
        return fmt::format("conversation with {} timed out while {}", where, while_doing(p.phase));
      case delivery_problem::kind::reply: break;
    }
    const std::string said = p.reply ? text::reply_line(*p.reply) : std::string();
    if (p.phase == "connect" || p.phase == "ehlo") return fmt::format("host {} refused to talk to me: {}", where, said);
    return fmt::format("host {} said: {} (in reply to {})", where, said, postfix_command_of(p.phase));
  }

  // qmgr reports the last deferral as it was (bounce_notify_util.c reads
  // the defer log); only the Action becomes "failed".
  dsn_subject expired(dsn_subject last, duration) const override { return last; }

  std::string compose_dsn(const dsn_input& in) const override;

  std::string received(const message::received_stamp& s) const override {
    // smtpd_tls_received_header: the TLS comment under the "from" clause.
    std::string tls = s.tls ? fmt::format("\n\t({})", message::tls_comment(*s.tls)) : std::string();
    std::string out = fmt::format("from {} ({} [{}]){}\n\tby {} (Postfix) with {} id {}", s.helo,
                                  s.reverse_name.value_or("unknown"), s.ip, tls, s.by_host, s.protocol, s.queue_id);
    // RFC 5321 section 4.4: "for" only with one recipient (smtpd.c does the same).
    if (s.recipients.size() == 1)
      return out + fmt::format("\n\tfor <{}>; {}", s.recipients.front(), format_rfc5322_date(s.date));
    return out + ";\n\t" + format_rfc5322_date(s.date);
  }

  smtp::reply relay_denied(std::string_view rcpt) const override {
    return {554, "5.7.1", fmt::format("<{}>: Relay access denied", rcpt)};
  }
  smtp::reply unknown_user(std::string_view rcpt) const override {
    return {550, "5.1.1", fmt::format("<{}>: Recipient address rejected: User unknown in local recipient table", rcpt)};
  }
  smtp::reply message_too_big() const override { return {552, "5.3.4", "Message size exceeds fixed limit"}; }
  policy::reply_template dnsbl_reply() const override {
    // default_rbl_reply with maps_rbl_reject_code 554.
    return {554, "5.7.1", {"Service unavailable; $rbl_class [$rbl_what] blocked using $rbl_domain${rbl_reason?; $rbl_reason}"}};
  }
  policy::reply_template greylist_reply() const override {
    return {450, "4.2.0", {"<$recipient>: Recipient address rejected: Greylisted, see "
                           "http://postgrey.schweikert.ch/help/$recipient_domain.html"}};
  }
};

std::string postfix_notification(const dsn_input& in) {
  std::string t = fmt::format("This is the mail system at host {}.\n\n", in.reporting_mta);
  if (in.delayed) {
    t += "####################################################################\n"
         "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n"
         "####################################################################\n\n";
    t += fmt::format("Your message could not be delivered for more than {} hour(s).\n", text::whole_hours(in.delay_warning));
    t += fmt::format("It will be retried until it is {} day(s) old.\n", text::whole_days(in.lifetime));
  } else {
    t += "I'm sorry to have to inform you that your message could not\n"
         "be delivered to one or more recipients. It's attached below.\n";
  }
  t += "\nFor further assistance, please send mail to postmaster.\n\n"
       "If you do so, please include this problem report. You can\n"
       "delete your own text from the attached returned message.\n\n"
       "                   The mail system\n";
  for (const auto& r : in.recipients) {
    t += '\n';
    t += text::wrap(fmt::format("<{}>: {}", r.address, r.reason), 79, 4);
    t += '\n';
  }
  return t;
}

// The success template (bounce(5) "success_template").
std::string success_notification(const dsn_input& in) {
  std::string t = fmt::format("This is the mail system at host {}.\n\n", in.reporting_mta);
  t += "Your message was successfully delivered to the destination(s)\n"
       "listed below. If the message was delivered to mailbox you will\n"
       "receive no further notifications. Otherwise you may still receive\n"
       "notifications of mail delivery errors from other systems.\n\n"
       "                   The mail system\n";
  for (const auto& r : in.recipients) {
    t += '\n';
    t += text::wrap(fmt::format("<{}>: delivery via {}: {}", r.address, r.reason, r.diagnostic), 79, 4);
    t += '\n';
  }
  return t;
}

std::string postfix_delivery_status(const dsn_input& in) {
  std::string s = message::dsn_field("Reporting-MTA", "dns; " + in.reporting_mta);
  if (!in.envid.empty()) s += message::dsn_field("Original-Envelope-Id", message::xtext_decode(in.envid));
  s += message::dsn_field("X-Postfix-Queue-ID", in.queue_id);
  s += message::dsn_field("X-Postfix-Sender", "rfc822; " + in.original_sender);
  s += message::dsn_field("Arrival-Date", format_rfc5322_date(in.arrival));
  for (const auto& r : in.recipients) {
    s += "\r\n" + message::dsn_field("Final-Recipient", "rfc822; " + r.address);
    if (!r.orcpt.empty()) s += message::dsn_field("Original-Recipient", message::xtext_decode(r.orcpt));
    s += message::dsn_field("Action", in.success ? r.action : in.delayed ? "delayed" : "failed");
    s += message::dsn_field("Status", r.status);
    if (!r.remote_host.empty()) s += message::dsn_field("Remote-MTA", "dns; " + r.remote_host);
    // bounce_notify_util.c: "smtp;" for a server's reply, "X-Postfix;" for its own words.
    s += message::dsn_field("Diagnostic-Code",
                            r.diagnostic.empty() ? "X-Postfix; " + r.reason : "smtp; " + r.diagnostic);
    if (in.delayed) s += message::dsn_field("Will-Retry-Until", format_rfc5322_date(in.arrival + in.lifetime));
  }
  return s;
}

std::string postfix::compose_dsn(const dsn_input& in) const {
  message::dsn_layout d;
  d.boundary_seed = in.message_id;
  d.header = {{"From", "Mail Delivery System <MAILER-DAEMON@" + in.reporting_mta + ">"},
              {"Subject", in.success   ? "Successful Mail Delivery Report"
                          : in.delayed ? "Delayed Mail (still being retried)"
                                       : "Undelivered Mail Returned to Sender"},
              {"To", in.original_sender}};
  if (auto id = text::original_message_id(in.original); !id.empty()) {
    d.header.emplace_back("References", id);
    d.header.emplace_back("In-Reply-To", id);
  }
  d.header.emplace_back("Auto-Submitted", "auto-replied");
  d.trailer = {{"Message-Id", in.message_id}, {"Date", format_rfc5322_date(in.now)}};
  d.text_fields = {{"Content-Description", "Notification"}, {"Content-Type", "text/plain; charset=us-ascii"}};
  d.text = in.success ? success_notification(in) : postfix_notification(in);
  d.status_fields = {{"Content-Description", "Delivery report"}, {"Content-Type", "message/delivery-status"}};
  d.status = postfix_delivery_status(in);
  // A success report returns the headers unless RET=FULL (as a delay warning).
  const bool whole = text::return_whole(in.ret, in.delayed || in.success, in.original.size());
  const std::string what = in.success ? "Delivered Message" : "Undelivered Message";
  d.returned_fields = {{"Content-Description", whole ? what : what + " Headers"},
                       {"Content-Type", whole ? "message/rfc822" : "text/rfc822-headers"}};
  d.returned = message::returned_original(in.original, whole);
  return message::assemble_dsn(d);
}

}  // namespace

const profile& postfix_profile() {
  static const postfix p;
  return p;
}

}  // namespace sim::mta
