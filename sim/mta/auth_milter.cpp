// sim/mta/auth_milter.cpp - mail authentication at the MTA, as milters beside it do.
//
// Outbound (a signing milter such as OpenDKIM at the outgoing MTA): mail
// from this host's own users (authenticated, or from mynetworks) whose From
// domain is a signer's domain (or below it) gets one DKIM-Signature per
// such signer (RFC 6376 section 5, RFC 8463).
// Inbound (OpenDKIM and OpenDMARC verifying), after the final dot: every
// signature verified (RFC 6376 section 6), DMARC evaluated on SPF and DKIM
// (RFC 7489 section 6.6), Authentication-Results added (RFC 8601), and with
// `dmarc` enforce a reject answered 550 5.7.26 (RFC 7372 section 3.4).
// Also here: how a host rewrites mail it passes on, as a mailing list does.
#include <fmt/format.h>

#include "sim/auth/auth.hpp"
#include "sim/auth/author_domain.hpp"
#include "sim/auth/domain_name.hpp"
#include "sim/message/text.hpp"
#include "sim/mta/mta.hpp"
#include "sim/mta/mta_client_info.hpp"

namespace sim::mta {

namespace {

std::int64_t epoch_seconds(const sim::clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.wall_now().time_since_epoch()).count();
}

std::string from_domain_of(std::string_view raw) {
  return auth::author_domain(auth::from_fields(raw)).domain;
}

std::string replace_all(std::string text, std::string_view what, std::string_view with) {
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
    text.replace(at, what.size(), with);
  return text;
}

// A generated value's CRLF folds as prepend() and with_fields_on_top()
// want them ("\n" + space).
std::string lf_folds(std::string value) { return replace_all(std::move(value), "\r\n", "\n"); }

}  // namespace

bool mta::signs_for(const client_info& client) const {
  return !config_.auth.signers.empty() && (client.trusted || client.authenticated);
}

// DKIM and DMARC are checked on mail from outside only (a host's own users
// are signed, not verified).
bool mta::checks_for(const client_info& client) const {
  const auth_config& ac = config_.auth;
  return (ac.dkim != dkim_mode::off || ac.dmarc != dmarc_mode::off) && !client.trusted && !client.authenticated;
}

// Only mail from outside is rewritten (a list rewrites what it passes on).
bool mta::rewrites_for(const client_info& client) const {
  const auth_config& ac = config_.auth;
  return (!ac.subject_prefix.empty() || !ac.footer.empty()) && !client.trusted && !client.authenticated;
}

std::string mta::sign_outgoing(std::string raw, const std::string& queue_id, const client_info& client) {
  const std::string domain = from_domain_of(raw);
  for (const auto& signer : config_.auth.signers) {
    if (domain.empty() || !auth::is_same_or_subdomain(domain, signer.config.domain)) continue;
    auto request = auth::make_sign_request(signer.config, epoch_seconds(svc_.clock));
    auth::dkim_signed sig = auth::sign_message(raw, request, *signer.key);
    raw = auth::add_signature(raw, sig);
    std::string headers;
    for (const auto& h : sig.signed_headers) headers += (headers.empty() ? "" : ":") + h;
    svc_.trace.emit(config_.host, "mta", "dkim.sign",
                    {{"session", client.conn.session},
                     {"queue_id", queue_id},
                     {"domain", signer.config.domain},
                     {"selector", signer.config.selector},
                     {"algorithm", auth::algorithm_name(signer.config.algorithm)},
                     {"bits", signer.key->bits()},
                     {"canonicalization", auth::canonicalization_text(signer.config.canonicalization)},
                     {"headers", headers},
                     {"body_hash", sig.body_hash}});
  }
  return raw;
}

// RFC 7489 section 4.1: DMARC uses the identity SPF authenticated; the SPF
// check is made here when the host's `spf` policy did not make it at RCPT.
asio::awaitable<void> mta::spf_for_dmarc(const smtp::envelope& env, client_info& client) {
  if (client.spf) co_return;
  std::string sender = env.reverse_path ? env.reverse_path->local_part + "@" + env.reverse_path->domain : "";
  co_await evaluate_client_spf(client, sender, policy::spf_mode::tag);
}

void mta::emit_dkim_results(const std::vector<auth::dkim_verification>& results, const client_info& client) {
  if (results.empty())
    svc_.trace.emit(config_.host, "mta", "policy.check",
                    {{"session", client.conn.session}, {"peer", client.conn.client.host}, {"check", "dkim"},
                     {"result", "none"}, {"domain", ""}, {"selector", ""}, {"reason", "no DKIM-Signature field"},
                     {"detail", "DKIM: none, the message is not signed"}});
  for (const auto& v : results) {
    std::string detail = fmt::format("DKIM signature of {} (selector {}): {}", v.domain.empty() ? "?" : v.domain,
                                     v.selector.empty() ? "?" : v.selector, auth::dkim_result_name(v.result));
    if (!v.reason.empty()) detail += ", " + v.reason;
    svc_.trace.emit(config_.host, "mta", "policy.check",
                    {{"session", client.conn.session}, {"peer", client.conn.client.host}, {"check", "dkim"},
                     {"result", auth::dkim_result_name(v.result)}, {"domain", v.domain}, {"selector", v.selector},
                     {"reason", v.reason}, {"detail", detail}});
  }
}

void mta::emit_dmarc_result(const auth::dmarc_evaluation& e, const client_info& client) {
  std::string detail = fmt::format("DMARC for {}: {}", e.from_domain.empty() ? "?" : e.from_domain,
                                   auth::dmarc_result_name(e.result));
  if (e.record) detail += fmt::format(", policy {}", auth::policy_name(e.policy));
  if (e.sampled_out) detail += fmt::format(" (pct={} spared this message: {})", e.record->pct,
                                           auth::policy_name(e.disposition));
  if (!e.reason.empty()) detail += ", because " + e.reason;
  svc_.trace.emit(config_.host, "mta", "policy.check",
                  {{"session", client.conn.session}, {"peer", client.conn.client.host}, {"check", "dmarc"},
                   {"result", auth::dmarc_result_name(e.result)}, {"domain", e.from_domain},
                   {"policy", auth::policy_name(e.policy)}, {"disposition", auth::policy_name(e.disposition)},
                   {"reason", e.reason}, {"detail", detail}});
}

// After the final dot, on the message as received: DKIM, DMARC and the
// Authentication-Results value.  A reply when DMARC enforcement rejects.
asio::awaitable<mta::auth_outcome> mta::check_authentication(const smtp::envelope& env, const std::string& content,
                                                             client_info& client) {
  const auth_config& ac = config_.auth;
  auth_outcome out;
  if (!checks_for(client)) co_return out;
  // DMARC needs the DKIM results, so DKIM is verified whenever either is on.
  // A named request, moved in: g++ 12 copies a braced temporary argument of
  // a coroutine bytewise, so its short strings would point into our frame.
  auth::dkim_request dreq;
  dreq.asker = config_.host;
  dreq.message = content;
  dreq.now = epoch_seconds(svc_.clock);
  auto dkim = co_await auth::verify_dkim(svc_.resolver, std::move(dreq));
  emit_dkim_results(dkim, client);
  std::optional<auth::dmarc_evaluation> dmarc;
  if (ac.dmarc != dmarc_mode::off) {
    co_await spf_for_dmarc(env, client);
    auth::dmarc_request req;
    req.asker = config_.host;
    req.from_fields = auth::from_fields(content);
    req.spf = {client.spf->result, client.spf->domain};
    req.dkim = dkim;
    // RFC 7489 section 6.3 pct: one draw per message from the host's own seeded stream.
    req.pct_draw = static_cast<unsigned>(dmarc_draws_.below(100));
    dmarc = co_await auth::evaluate_dmarc(svc_.resolver, std::move(req));
    emit_dmarc_result(*dmarc, client);
  }
  out.dkim.emplace();
  for (const auto& v : dkim) out.dkim->push_back(v.result);
  // The sending domain for reputation (reputation.cpp): the d= of a passing
  // signature aligned with From (RFC 7489 3.1.1, relaxed).
  if (dmarc) {
    out.aligned_dkim_domain = dmarc->aligned_dkim_domain;
  } else if (std::string from = from_domain_of(content); !from.empty()) {
    for (const auto& v : dkim)
      if (v.result == policy::dkim_result::pass && auth::is_aligned(v.domain, from, auth::alignment_mode::relaxed)) {
        out.aligned_dkim_domain = v.domain;
        break;
      }
  }
  if (dmarc) {
    out.dmarc = dmarc->result;
    out.dmarc_policy = dmarc->disposition == auth::dmarc_policy::reject       ? policy::dmarc_disposition::reject
                            : dmarc->disposition == auth::dmarc_policy::quarantine ? policy::dmarc_disposition::quarantine
                                                                                   : policy::dmarc_disposition::none;
  }
  auto ar = auth::receiver_results(config_.host, client.spf ? &*client.spf : nullptr, &dkim, dmarc ? &*dmarc : nullptr);
  out.results = lf_folds(auth::format_authentication_results(ar));
  if (dmarc && ac.dmarc == dmarc_mode::enforce && dmarc->disposition == auth::dmarc_policy::reject)
    out.refused = smtp::reply(550, "5.7.26", replace_all(ac.dmarc_reject_text, "{domain}", dmarc->from_domain));
  co_return out;
}

// A mailing list's changes to a message it passes on (Mailman's
// subject_prefix and msg_footer): the Subject in its place gets the prefix
// (unless it already has it), the body gets the footer.
void mta::rewrite_relayed(message::message& msg) const {
  const auth_config& ac = config_.auth;
  if (!ac.subject_prefix.empty()) {
    std::string subject = msg.get("Subject").value_or("");
    if (!subject.starts_with(ac.subject_prefix)) {
      message::message out;
      std::string raw;
      for (const auto& f : msg.fields())
        raw += message::iequals(f.name, "Subject") ? f.name + ": " + ac.subject_prefix + subject + f.line_end
                                                   : f.name + ":" + f.value + f.line_end;
      if (!msg.get("Subject")) raw = "Subject: " + ac.subject_prefix + msg.line_end() + raw;
      std::string body = msg.body();
      msg = message::message::parse(raw + msg.line_end() + body);
    }
  }
  if (!ac.footer.empty()) {
    std::string body = msg.body();
    const std::string& eol = msg.line_end();
    if (!body.empty() && !body.ends_with("\n")) body += eol;
    body += "-- " + eol + replace_all(ac.footer, "\n", eol) + eol;
    msg.set_body(std::move(body));
  }
}

}  // namespace sim::mta
