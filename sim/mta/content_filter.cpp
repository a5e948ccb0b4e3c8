// sim/mta/content_filter.cpp - the content filter after the final dot, as
// a milter (spamass-milter, rspamd's proxy) runs for Postfix's smtpd.
//
// The message is scored (sim/policy/spam_filter.hpp) with what the session
// learnt: the client's address and greeting, the SPF result when the host
// checks SPF, the DKIM and DMARC results (and the DMARC disposition) when it
// checks those (auth_milter.cpp), DNSBL listings it scores instead of
// refusing.  Then:
//   reject  550 5.7.1 with the score: the client keeps the message (RFC 5321
//           section 4.2.5: no responsibility was taken);
//   junk    X-Spam-Status / X-Spam-Flag, and "X-Spam: Yes", the header
//           rspamd adds for its "add header" action and that the LDA's
//           filing rule reads (as a Sieve `if header :is "X-Spam" "Yes"
//           { fileinto "Junk"; }` does for Dovecot);
//   inbox   X-Spam-Status (and X-Spam-Flag: YES from tag_at).
// Whatever a sender wrote in these fields is removed first (rspamd's
// remove_upstream_spam_flag), also for mail that is not scored.
// Skipped: authenticated and mynetworks clients (outgoing mail; rspamd's
// skip_authenticated and skip_local) and a client or sender on the host's
// allow list (Postfix's OK before the filter).
#include <fmt/format.h>

#include "sim/mta/mta_client_info.hpp"

namespace sim::mta {
namespace {

policy::spam_context context_of(const mta::client_info& client, const policy_config& config) {
  policy::spam_context ctx;
  ctx.client_ip = policy::parse_ip(client.conn.client.ip);
  ctx.helo = client.helo;
  if (client.spf && config.spf != policy::spf_mode::off) ctx.spf = client.spf->result;
  ctx.dnsbl = client.dnsbl_listings;
  return ctx;
}

// Why a message is not scored, or "" when it is.
std::string skip_reason(const mta::client_info& client) {
  if (client.authenticated) return "authenticated client: outgoing mail is not scored";
  if (client.trusted) return "client [" + client.conn.client.ip + "] in mynetworks: outgoing mail is not scored";
  if (client.access && client.access->action == policy::access_action::allow)
    return "on the allow list (entry " + client.access->entry + "): not scored";
  return "";
}

}  // namespace

inline constexpr std::string_view junk_field = "X-Spam";  // "Yes": file in Junk (the LDA reads it)

std::optional<smtp::reply> mta::filter_content(message::message& msg, const std::string& content,
                                               client_info& client, const auth_outcome& checked) {
  client.spam_action.reset();
  if (!filter_) return std::nullopt;
  msg.remove(junk_field);
  if (std::string why = skip_reason(client); !why.empty()) {
    msg.remove("X-Spam-Flag");
    msg.remove("X-Spam-Status");
    policy_event("spam", "skipped", why, client);
    return std::nullopt;
  }
  policy::spam_context ctx = context_of(client, config_.policy);
  ctx.dkim = checked.dkim;  // none unless the host checks DKIM or DMARC
  ctx.dmarc = checked.dmarc;
  ctx.dmarc_policy = checked.dmarc_policy;
  const policy::spam_verdict v = filter_->score(content, ctx);
  spam_event(v, msg.get("Message-ID").value_or(""), client);
  client.spam_action = v.action;  // a signal for the sender's reputation (reputation.cpp)
  if (v.action == policy::spam_action::reject) {
    const policy::reply r = policy::spam_reject_reply(v);
    return smtp::reply(r.code, r.enhanced, r.text);
  }
  policy::add_spam_fields(msg, v);
  if (v.action == policy::spam_action::junk) msg.prepend(junk_field, "Yes");
  return std::nullopt;
}

// policy.check with check "spam": result and action the verdict, detail the
// learner's line, and the numbers: score, required (the threshold the
// action was measured against), rules (each rule that hit with its score).
void mta::spam_event(const policy::spam_verdict& v, const std::string& message_id, const client_info& client) {
  const auto points = [](int tenths) { return static_cast<double>(tenths) / 10.0; };
  const int required = v.action == policy::spam_action::reject ? v.reject_at : v.junk_at;
  event rules = event::object();
  for (const auto& h : v.hits) rules[h.name] = points(h.score);
  const auto check = policy::spam_check_result(v);
  event fields{{"session", client.conn.session}, {"peer", client.conn.client.host}, {"check", check.check},
               {"result", check.result}, {"detail", check.detail}, {"score", points(v.score)},
               {"required", points(required)}, {"rules", std::move(rules)}, {"action", check.result}};
  if (!message_id.empty()) fields["message_id"] = message_id;
  svc_.trace.emit(config_.host, "mta", "policy.check", std::move(fields));
}

}  // namespace sim::mta
