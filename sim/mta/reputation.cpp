// sim/mta/reputation.cpp - the receiving host's reputation of its senders
// (policy.reputation; the model is sim/policy/reputation.hpp).
//
// Subjects: the client IP, and the sending domain of each message: the d=
// of a passing DKIM signature aligned with the From domain (RFC 7489 3.1,
// relaxed), else the domain SPF validated (MAIL FROM, or HELO for <>),
// else the MAIL FROM domain.  Gmail's Postmaster Tools judge the same two.
// Signals: an unknown user at RCPT (the IP at once; the domain once the
// transaction's domain is known), the content filter's junk or reject,
// trap hits, and a reader's complaint (complaint()).  Volume: recipients.
// Where the verdict is given:
//   the IP     at RCPT (after the DNSBL, SPF, greylisting and rate
//              limits: Postfix's delayed reject, so the log has sender
//              and recipient), once per transaction;
//   the domain after the final dot, where DKIM says who it is.
// Block is the block reply (550 5.7.1), throttle the throttle reply (421
// 4.7.28, closing the session) once the window's allowance is used; a
// message let through in junk or throttle gets `X-Reputation: junk (...)`
// above the Received field, which the LDA files in Junk (sim/lda/filing.hpp).
// Trusted, authenticated, whitelisted and allowed clients are not judged.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "sim/auth/dmarc_decision.hpp"
#include "sim/message/message.hpp"
#include "sim/message/received.hpp"
#include "sim/message/text.hpp"
#include "sim/mta/mta.hpp"
#include "sim/mta/mta_client_info.hpp"

namespace sim::mta {
namespace {

using policy::reputation_state;
using policy::reputation_subject;

smtp::reply reputation_reply(const policy::reply& r) {
  std::vector<std::string> lines{r.text};
  lines.insert(lines.end(), r.more_lines.begin(), r.more_lines.end());
  return smtp::reply(r.code, r.enhanced, std::move(lines));
}

double rounded(double v, double scale) { return std::round(v * scale) / scale; }

std::string subject_words(reputation_subject s, std::string_view key) {
  return s == reputation_subject::ip ? fmt::format("IP address {}", key) : fmt::format("domain {}", key);
}

}  // namespace

static bool judged_client(const mta_config& config, const mta::client_info& client) {
  if (client.trusted || client.authenticated) return false;
  if (client.access && client.access->action == policy::access_action::allow) return false;
  auto ip = policy::parse_ip(client.conn.client.ip);
  return ip && !policy::contains_any(config.policy.whitelist, *ip);
}

// The message's sending domain, as the header comment above says.
static std::string sending_domain(const smtp::envelope& env, const mta::client_info& client,
                                  const std::string& aligned_dkim_domain) {
  if (!aligned_dkim_domain.empty()) return message::to_lower(aligned_dkim_domain);
  if (client.spf && client.spf->result == policy::spf_result::pass && !client.spf->domain.empty())
    return message::to_lower(client.spf->domain);
  return env.reverse_path ? message::to_lower(env.reverse_path->domain) : std::string();
}

void mta::trace_reputation(const std::vector<policy::reputation_change>& changes) {
  const auto& s = reputation_->settings();
  for (const auto& c : changes) {
    const double threshold = c.to == reputation_state::block      ? s.block_at
                             : c.to == reputation_state::throttle ? s.throttle_at
                             : c.to == reputation_state::junk     ? s.junk_at
                                                                  : (c.from == reputation_state::block ? s.block_at
                                                                     : c.from == reputation_state::throttle
                                                                         ? s.throttle_at
                                                                         : s.junk_at);
    event fields{{"subject", std::string(policy::reputation_subject_name(c.subject))}, {"key", c.key},
                 {"from", std::string(policy::reputation_state_name(c.from))},
                 {"to", std::string(policy::reputation_state_name(c.to))}, {"score", rounded(c.score, 1000)},
                 {"threshold", threshold}, {"volume", rounded(c.volume, 10)}, {"signal", c.why}};
    svc_.trace.emit(config_.host, "mta", "reputation.change", std::move(fields));
  }
}

void mta::note_unknown_user(const smtp::decision_request& req, client_info& client) {
  if (!reputation_ || !judged_client(config_, client)) return;
  if (req.mail && req.mail->reverse_path) client.mail_domain = message::to_lower(req.mail->reverse_path->domain);
  std::vector<policy::reputation_change> changes;
  if (reputation_->settings().by_ip)
    reputation_->record(reputation_subject::ip, client.conn.client.ip, 1, policy::reputation_signal::unknown_user, 1,
                        svc_.clock.now(), changes);
  if (reputation_->settings().by_domain) ++client.unknown_users;
  trace_reputation(changes);
}

// Unknown users of a transaction that ended without a message: told to
// the MAIL FROM domain's score.
void mta::flush_reputation(client_info& client) {
  if (!reputation_ || client.unknown_users == 0) return;
  std::vector<policy::reputation_change> changes;
  if (!client.mail_domain.empty())
    reputation_->record(reputation_subject::domain, client.mail_domain, client.unknown_users,
                        policy::reputation_signal::unknown_user, client.unknown_users, svc_.clock.now(), changes);
  client.unknown_users = 0;
  trace_reputation(changes);
}

std::optional<smtp::reply> mta::check_ip_reputation(client_info& client) {
  if (!reputation_ || !reputation_->settings().by_ip || !judged_client(config_, client)) return std::nullopt;
  if (!client.reputation_checked) {
    client.reputation_checked = true;
    std::vector<policy::reputation_change> changes;
    const auto& ip = client.conn.client.ip;
    auto v = reputation_->judge(reputation_subject::ip, ip, ip, svc_.clock.now(), changes);
    trace_reputation(changes);
    if (v.state != reputation_state::accept) {
      std::string detail = fmt::format("{}: reputation {} (score {:.3f})", subject_words(reputation_subject::ip, ip),
                                       policy::reputation_state_name(v.state), v.score);
      if (v.refusal) client.reputation_refusal = reputation_reply(*v.refusal);
      else client.reputation_junk = detail;
      policy_event("reputation", std::string(policy::reputation_state_name(v.state)),
                   detail + (v.refusal ? "; refused" : "; filed in Junk if accepted"), client);
    }
  }
  return client.reputation_refusal;
}

std::optional<smtp::reply> mta::check_domain_reputation(const smtp::envelope& env, client_info& client,
                                                        const auth_outcome& checked) {
  client.reputation_domain.clear();
  if (!reputation_ || !judged_client(config_, client)) return std::nullopt;
  if (!reputation_->settings().by_domain) return std::nullopt;
  client.reputation_domain = sending_domain(env, client, checked.aligned_dkim_domain);
  const auto& domain = client.reputation_domain;
  if (domain.empty()) return std::nullopt;
  std::vector<policy::reputation_change> changes;
  auto v = reputation_->judge(reputation_subject::domain, domain, client.conn.client.ip, svc_.clock.now(), changes);
  trace_reputation(changes);
  if (v.state == reputation_state::accept) return std::nullopt;
  std::string detail = fmt::format("{}: reputation {} (score {:.3f})", subject_words(reputation_subject::domain, domain),
                                   policy::reputation_state_name(v.state), v.score);
  policy_event("reputation", std::string(policy::reputation_state_name(v.state)),
               detail + (v.refusal ? "; refused" : "; filed in Junk"), client);
  if (v.refusal) {
    client.mail_domain = domain;  // its unknown users go to the domain judged
    flush_reputation(client);
    return reputation_reply(*v.refusal);
  }
  if (client.reputation_junk.empty()) client.reputation_junk = detail;
  return std::nullopt;
}

void mta::note_content_rejected(const smtp::envelope& env, client_info& client, const auth_outcome& checked) {
  if (!reputation_ || !judged_client(config_, client)) return;
  const auto n = static_cast<double>(env.recipients.size());
  std::vector<policy::reputation_change> changes;
  const auto now = svc_.clock.now();
  if (reputation_->settings().by_ip)
    reputation_->record(reputation_subject::ip, client.conn.client.ip, n, policy::reputation_signal::spam_reject, n,
                        now, changes);
  trace_reputation(changes);
  if (!reputation_->settings().by_domain) return;
  client.mail_domain = sending_domain(env, client, checked.aligned_dkim_domain);
  flush_reputation(client);
  changes.clear();
  if (!client.mail_domain.empty())
    reputation_->record(reputation_subject::domain, client.mail_domain, n, policy::reputation_signal::spam_reject, n,
                        now, changes);
  trace_reputation(changes);
}

// A message was accepted: its recipients are volume, junked by the filter
// they are bad signals, and its traps count once each.
void mta::note_reputation(const smtp::envelope& env, const std::string& queue_id, client_info& client) {
  if (!reputation_ || !judged_client(config_, client)) return;
  const auto n = static_cast<double>(env.recipients.size());
  double traps = 0;
  for (const auto& r : env.recipients)
    if (std::find(config_.spamtraps.begin(), config_.spamtraps.end(), message::to_lower(r.forward_path.text())) !=
        config_.spamtraps.end())
      ++traps;
  const bool junked = client.spam_action == policy::spam_action::junk;
  const auto now = svc_.clock.now();
  std::vector<policy::reputation_change> changes;
  auto judge = [&](reputation_subject s, const std::string& key) {
    if (junked) reputation_->record(s, key, n, policy::reputation_signal::spam_junk, n, now, changes);
    else reputation_->record_volume(s, key, n, now, changes);
    if (traps > 0) reputation_->record(s, key, 0, policy::reputation_signal::trap_hit, traps, now, changes);
    reputation_->count_accepted(s, key, now);
  };
  if (reputation_->settings().by_ip) judge(reputation_subject::ip, client.conn.client.ip);
  trace_reputation(changes);
  if (!client.reputation_domain.empty()) {
    client.mail_domain = client.reputation_domain;
    flush_reputation(client);
    changes.clear();
    judge(reputation_subject::domain, client.reputation_domain);
    trace_reputation(changes);
  }
  senders_.insert_or_assign(queue_id, std::pair{client.conn.client.ip, client.reputation_domain});
  client.spam_action.reset();
  client.reputation_junk.clear();
}

// The message as filed here has this host's Received on top (under the
// LDA's Return-Path and Delivered-To): its id is the queue id that
// senders_ knows.
void mta::complaint(const std::string& mailbox, std::string_view raw_message) {
  if (!reputation_) return;
  auto header = message::message::parse(raw_message.substr(0, message::header_end(raw_message)));
  std::string id;
  for (const auto& f : header.fields()) {
    if (!message::iequals(f.name, "Received")) continue;
    auto r = message::parse_received(f.value);
    if (r && message::iequals(r->by_host, config_.host)) id = r->id;
    break;
  }
  auto found = senders_.find(id);
  if (id.empty() || found == senders_.end()) return;
  const auto& [ip, domain] = found->second;
  svc_.trace.emit(config_.host, "mta", "reputation.complaint",
                  {{"mailbox", mailbox}, {"queue_id", id}, {"ip", ip}, {"domain", domain}});
  std::vector<policy::reputation_change> changes;
  const auto now = svc_.clock.now();
  if (reputation_->settings().by_ip)
    reputation_->record(reputation_subject::ip, ip, 0, policy::reputation_signal::complaint, 1, now, changes);
  if (reputation_->settings().by_domain && !domain.empty())
    reputation_->record(reputation_subject::domain, domain, 0, policy::reputation_signal::complaint, 1, now, changes);
  trace_reputation(changes);
}

}  // namespace sim::mta
