// sim/mta/rcpt_restrictions.cpp - the smtpd role's decision on RCPT TO.
//
// Postfix's usual order: postmaster (RFC 5321 section 4.5.1), relay control
// (permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination),
// unknown local users (reject_unlisted_recipient), then for outside clients
// the host's allow and block lists (check_client_access,
// check_sender_access), DNSBL (reject_rbl_client), SPF, greylisting, rate
// limits and the IP's reputation.  Only the DNSBL and SPF look-ups wait (DNS);
// when neither is due, the decision is made at once (decide_rcpt_now), with
// the same checks and trace events.
#include "sim/lda/lda.hpp"
#include "sim/mta/mta.hpp"
#include "sim/mta/mta_client_info.hpp"
#include "sim/policy/dnsbl.hpp"
#include "sim/policy/spf_eval.hpp"

namespace sim::mta {

namespace {

smtp::reply policy_reply(const policy::reply& r) {
  std::vector<std::string> lines{r.text};
  lines.insert(lines.end(), r.more_lines.begin(), r.more_lines.end());
  return smtp::reply(r.code, r.enhanced, std::move(lines));
}

}  // namespace

// What the restrictions after the lists need to know of them.
struct mta::restriction_pass {
  std::optional<policy::ip_address> ip;  // empty: an address no restriction applies to
  bool allowed = false;                  // the lists allow the client or sender
  bool whitelisted = false;              // allowed, or in the DNSBL whitelist
};

// The checks before the client restrictions: postmaster, relay control,
// unknown local users.  A refusal, or nothing.
std::optional<smtp::reply> mta::recipient_checks(const smtp::decision_request& req, client_info& client) {
  const smtp::mailbox& box = req.rcpt->forward_path;
  std::string rcpt = box.text();
  if (is_postmaster(box)) {
    // Accepted from anyone (RFC 5321 section 4.5.1: MUST), before relay
    // control; the other policies below still apply.
    if (!config_.postmaster) {
      policy_event("recipient", "reject", "<" + rcpt + ">: this host has no postmaster", client);
      return smtp::reply(550, "5.1.1", "<" + rcpt + ">: Recipient address rejected: no postmaster here");
    }
    policy_event("recipient", "ok", "<" + rcpt + ">: postmaster, delivered to <" + *config_.postmaster + ">", client);
  } else {
    smtp::reply relay = relay_check(rcpt, client);
    if (!relay.positive()) return relay;
  }
  if (!is_postmaster(box) && is_local_domain(box.domain) && !(lda_ && lda_->mailboxes().exists(rcpt))) {
    policy_event("recipient", "reject", "<" + rcpt + ">: no such mailbox", client);
    note_unknown_user(req, client);
    return config_.mta_profile->unknown_user(rcpt);
  }
  return std::nullopt;
}

asio::awaitable<smtp::reply> mta::decide_rcpt(const smtp::decision_request& req, client_info& client) {
  if (auto refused = recipient_checks(req, client)) co_return *refused;
  if (auto refused = co_await client_restrictions(req, client)) co_return *refused;
  co_return req.proposed;
}

// Neither the DNSBL nor SPF has a look-up to make for this client: the
// decision needs no waiting.
bool mta::restrictions_wait(const client_info& client) const {
  if (client.trusted || client.authenticated) return false;
  return (!config_.policy.dnsbl.empty() && !client.dnsbl) ||
         (config_.policy.spf != policy::spf_mode::off && !client.spf);
}

smtp::reply mta::decide_rcpt_now(const smtp::decision_request& req, client_info& client) {
  if (auto refused = recipient_checks(req, client)) return *refused;
  if (client.trusted || client.authenticated) return req.proposed;
  restriction_pass pass;
  if (auto refused = list_restrictions(req, client, pass)) return *refused;
  if (!pass.ip) return req.proposed;
  // Both answers are known (restrictions_wait() is false).
  if (!config_.policy.dnsbl.empty() && !pass.whitelisted && client.dnsbl->reply)
    return policy_reply(*client.dnsbl->reply);
  if (config_.policy.spf != policy::spf_mode::off && client.spf_decision->reply)
    return policy_reply(*client.spf_decision->reply);
  if (auto refused = later_restrictions(req, client, pass)) return *refused;
  return req.proposed;
}

// The restrictions on outside clients, in Postfix's order: the host's
// allow and block lists (check_client_access, check_sender_access), the
// DNSBL (reject_rbl_client), SPF, greylisting.  An allowed client or sender
// skips the DNSBL and greylisting (and, after the dot, the content filter);
// never relay control, recipient checks, SPF, size or antivirus.
asio::awaitable<std::optional<smtp::reply>> mta::client_restrictions(const smtp::decision_request& req,
                                                                     client_info& client) {
  if (client.trusted || client.authenticated) co_return std::nullopt;
  restriction_pass pass;
  if (auto refused = list_restrictions(req, client, pass)) co_return refused;
  if (!pass.ip) co_return std::nullopt;
  if (!config_.policy.dnsbl.empty() && !pass.whitelisted) {
    if (!client.dnsbl) {
      policy::dnsbl_listing listed;
      client.dnsbl = co_await policy::check_dnsbl(svc_.resolver, config_.host, *pass.ip, config_.policy.dnsbl,
                                                  config_.mta_profile->dnsbl_reply(), &listed);
      if (client.dnsbl->reply && config_.policy.dnsbl_scored) {
        // Scored, not refused: the content filter's DNSBL_LISTED reads it.
        client.dnsbl->reply.reset();
        client.dnsbl->detail += "; scored by the content filter, not refused";
        client.dnsbl_listings.push_back(std::move(listed));
      }
      policy_event(client.dnsbl->check, client.dnsbl->result, client.dnsbl->detail, client);
    }
    if (client.dnsbl->reply) co_return policy_reply(*client.dnsbl->reply);
  }
  if (config_.policy.spf != policy::spf_mode::off) {
    std::string sender = req.mail && req.mail->reverse_path
                             ? req.mail->reverse_path->local_part + "@" + req.mail->reverse_path->domain : "";
    if (!client.spf) co_await evaluate_client_spf(client, sender, config_.policy.spf);
    if (client.spf_decision->reply) co_return policy_reply(*client.spf_decision->reply);
  }
  co_return later_restrictions(req, client, pass);
}

// The host's allow and block lists (once per transaction).
std::optional<smtp::reply> mta::list_restrictions(const smtp::decision_request& req, client_info& client,
                                                  restriction_pass& pass) {
  pass.ip = policy::parse_ip(client.conn.client.ip);
  if (!pass.ip) return std::nullopt;
  if (!config_.policy.access.empty() && !client.access) {
    std::optional<std::string> sender;
    if (req.mail) sender = req.mail->reverse_path ? req.mail->reverse_path->text() : "";
    client.access = policy::check_host_access(config_.policy.access, *pass.ip, sender);
    auto r = client.access->as_check_result();
    policy_event(r.check, r.result, r.detail, client);
  }
  if (client.access && client.access->reply) return policy_reply(*client.access->reply);
  pass.allowed = client.access && client.access->action == policy::access_action::allow;
  pass.whitelisted = pass.allowed || policy::contains_any(config_.policy.whitelist, *pass.ip);
  return std::nullopt;
}

// After SPF: greylisting, rate limits, the IP's reputation.
std::optional<smtp::reply> mta::later_restrictions(const smtp::decision_request& req, client_info& client,
                                                   const restriction_pass& pass) {
  if (config_.policy.greylist && !pass.allowed) {
    std::string sender = req.mail && req.mail->reverse_path ? req.mail->reverse_path->text() : "";
    auto g = greylist_.check(*pass.ip, sender, req.rcpt->forward_path.text(), svc_.clock.now());
    policy_event(g.check, g.result, g.detail, client);
    if (g.reply) return policy_reply(*g.reply);
  }
  if (!pass.allowed && !pass.whitelisted && !rate_limits_.empty()) {
    if (auto refused = check_rate(req, client)) return refused;
  }
  if (auto refused = check_ip_reputation(client)) return refused;
  return std::nullopt;
}

}  // namespace sim::mta
