// sim/mta/smtp_server.cpp - the smtpd role: who may send what, and taking responsibility.
//
// Recipient restrictions run in Postfix's usual order: relay control
// (permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination),
// unknown local users (reject_unlisted_recipient), then for outside clients
// the host's allow and block lists (check_client_access,
// check_sender_access), DNSBL (reject_rbl_client), SPF and greylisting.
// After the final dot: size, antivirus, the hop count, DKIM and DMARC
// (auth_milter.cpp), a list host's rewrite, the content filter
// (content_filter.cpp, with the DKIM and DMARC results); then
// Authentication-Results, Received-SPF and the Received field go on top,
// mail from our own users is DKIM-signed, and the message is made durable
// before the 250 (RFC 5321 section 6.1).
// The replies of these rejections, and the Received field's form, are the
// host's profile's (sim/mta/profiles/); a scenario may set the DNSBL and
// greylisting replies itself.
#include <algorithm>

#include <fmt/format.h>

#include "fake_dns/address.hpp"
#include "fake_dns/reverse.hpp"
#include "sim/auth/auth_results.hpp"
#include "sim/lda/lda.hpp"
#include "sim/message/eicar.hpp"
#include "sim/message/message.hpp"
#include "sim/message/received.hpp"
#include "sim/message/text.hpp"
#include "sim/mta/mta.hpp"
#include "sim/mta/mta_client_info.hpp"
#include "sim/policy/dnsbl.hpp"
#include "sim/policy/spf_eval.hpp"
#include "sim/policy/spf_report.hpp"
#include "sim/smtp/server_session.hpp"

namespace sim::mta {

namespace {

// The message as queued: Received on top, Received-SPF (tagging mode) under
// it (RFC 7208 section 9.1), then Authentication-Results (RFC 8601 section
// 5), each absent when empty; the text received is copied once, not parsed.
std::string with_trace_fields(std::string_view raw, std::string_view received, std::string_view spf,
                              std::string_view results) {
  constexpr std::string_view ar = auth::authentication_results_field;
  if (results.empty())
    return spf.empty() ? message::with_fields_on_top(raw, {{"Received", received}})
                       : message::with_fields_on_top(raw, {{"Received", received}, {"Received-SPF", spf}});
  return spf.empty() ? message::with_fields_on_top(raw, {{"Received", received}, {ar, results}})
                     : message::with_fields_on_top(raw, {{"Received", received}, {"Received-SPF", spf}, {ar, results}});
}

// MAIL FROM's parameters as the queue keeps them (RFC 3461, RFC 1870, RFC 6152).
envelope_params queued_params(const smtp::envelope& env) {
  envelope_params p;
  p.ret = env.mail_params.ret == smtp::dsn_ret::full ? dsn_ret::full
        : env.mail_params.ret == smtp::dsn_ret::hdrs ? dsn_ret::hdrs : dsn_ret::unspecified;
  p.envid = env.mail_params.envid.value_or("");
  p.size = env.mail_params.size;
  p.body = env.mail_params.body == smtp::body_type::eight_bit_mime ? body_type::eight_bit_mime
         : env.mail_params.body == smtp::body_type::seven_bit ? body_type::seven_bit : body_type::unspecified;
  return p;
}

smtp::fault_action smtp_fault(phase_fault_table& table, smtp::phase at, const std::string& argument) {
  smtp::fault_action out;
  if (at == smtp::phase::other || table.empty()) return out;
  auto a = table.at(at, {argument});
  out.replace = a.replace;
  out.reset = a.reset;
  out.reset_after_reply = a.reset_after_reply;
  out.delay = a.delay;
  return out;
}

}  // namespace

// One inbound session's hooks: the decisions of server_fsm are made here,
// at once (answer_now) unless a DNS look-up is due at RCPT.
class smtpd_hooks final : public smtp::server_hooks {
 public:
  smtpd_hooks(mta& m, mta::client_info& c) : m_(m), c_(c) {}
  smtp::quick_answer answer_now(const smtp::session_info& s, const smtp::envelope& env,
                                const smtp::decision_request& req) override;
  asio::awaitable<std::optional<smtp::reply>> on_connect(const smtp::session_info&) override {
    co_return m_.open_rate_limited(c_);
  }
  asio::awaitable<std::optional<smtp::reply>> on_helo(const smtp::session_info&, const std::string&) override {
    co_return std::nullopt;
  }
  asio::awaitable<std::optional<smtp::reply>> on_mail(const smtp::session_info& s, const smtp::mail_command&) override {
    co_return mail(s);
  }
  asio::awaitable<std::optional<smtp::reply>> on_rcpt(const smtp::session_info& s, const smtp::envelope& env,
                                                      const smtp::rcpt_command& rcpt) override {
    co_return co_await m_.decide_rcpt(rcpt_request(s, env, rcpt), c_);
  }
  asio::awaitable<std::vector<smtp::reply>> on_message(const smtp::session_info& s, const smtp::envelope& env,
                                                       const std::string& content) override {
    c_.helo = s.helo_name;
    c_.authenticated = !s.auth_identity.empty();
    c_.tls = s.tls;
    smtp::reply answer = co_await m_.receive_message(env, content, c_);
    std::vector<smtp::reply> out;
    out.push_back(std::move(answer));
    co_return out;
  }
  asio::awaitable<std::optional<smtp::reply>> check_auth(const smtp::session_info&,
                                                         const smtp::auth_credentials& c) override {
    co_return auth(c);
  }

 private:
  std::optional<smtp::reply> mail(const smtp::session_info& s);
  smtp::decision_request rcpt_request(const smtp::session_info& s, const smtp::envelope& env,
                                      const smtp::rcpt_command& rcpt);
  std::optional<smtp::reply> auth(const smtp::auth_credentials& c);

  mta& m_;
  mta::client_info& c_;
};

smtp::quick_answer smtpd_hooks::answer_now(const smtp::session_info& s, const smtp::envelope& env,
                                           const smtp::decision_request& req) {
  switch (req.what) {
    case smtp::ask::connect: return {true, m_.open_rate_limited(c_)};
    case smtp::ask::helo: return {true, std::nullopt};
    case smtp::ask::mail: return {true, mail(s)};
    case smtp::ask::auth: return {true, auth(*req.credentials)};
    case smtp::ask::rcpt: {
      smtp::decision_request r = rcpt_request(s, env, *req.rcpt);
      if (m_.restrictions_wait(c_)) return {};
      return {true, m_.decide_rcpt_now(r, c_)};
    }
    default: return {};
  }
}

// MAIL FROM: a new transaction's checks start afresh.
std::optional<smtp::reply> smtpd_hooks::mail(const smtp::session_info& s) {
  c_.spf.reset();
  c_.spf_decision.reset();
  c_.access.reset();
  c_.rate_checked = false;
  c_.rate_refusal.reset();
  m_.flush_reputation(c_);  // the previous transaction's unknown users
  c_.reputation_checked = false;
  c_.reputation_refusal.reset();
  c_.reputation_junk.clear();
  // RFC 6409 section 4.3 (and Postfix smtpd_sender_restrictions on 587):
  // the submission port serves authenticated users only.
  if ((c_.port == submission_port || c_.port == smtps_port) && s.auth_identity.empty())
    return smtp::reply(530, "5.7.0", "Authentication required");
  return std::nullopt;
}

// The RCPT decision's request (what decide_rcpt() reads); the client's
// HELO and authentication as the session knows them.
smtp::decision_request smtpd_hooks::rcpt_request(const smtp::session_info& s, const smtp::envelope& env,
                                                 const smtp::rcpt_command& rcpt) {
  smtp::decision_request req;
  req.what = smtp::ask::rcpt;
  req.rcpt = rcpt;
  req.mail = smtp::mail_command{env.reverse_path, env.mail_params};
  c_.helo = s.helo_name;
  c_.authenticated = !s.auth_identity.empty();
  req.proposed = smtp::reply(250, "2.1.5", "Ok");
  return req;
}

std::optional<smtp::reply> smtpd_hooks::auth(const smtp::auth_credentials& c) {
  // RFC 4954: the identity is the mailbox address; its password (or any,
  // when the mailbox has none).  RFC 4616 section 2: an authorization
  // identity other than the authentication identity is refused, since no
  // mailbox here may act as another.
  const lda::lda* local = m_.local_agent();
  std::string why;
  if (!c.authzid.empty() && !message::iequals(c.authzid, c.authcid))
    why = "<" + c.authcid + "> may not act as <" + c.authzid + ">";
  else if (!local || !local->mailboxes().check_password(c.authcid, c.password))
    why = "<" + c.authcid + ">: no such user or wrong password";
  if (why.empty()) return smtp::reply(235, "2.7.0", "Authentication successful");
  m_.policy_event("auth", "reject", c.mechanism + " " + why, c_);
  return smtp::reply(535, "5.7.8", "Error: authentication failed");
}

asio::awaitable<void> mta::smtpd_session(std::shared_ptr<net::stream> conn, net::connection_info info,
                                         std::uint16_t port, bool trace_client_lines) {
  client_info client;
  client.conn = info;
  client.port = port;
  auto client_ip = policy::parse_ip(info.client.ip);
  client.trusted = client_ip && policy::contains_any(config_.mynetworks, *client_ip);
  if (auto ip = dns::parse_ip(info.client.ip)) {
    auto ptr = co_await svc_.resolver.query(config_.host, dns::reverse_name(*ip), dns::rr_type::PTR);
    for (const auto& r : ptr.records)
      if (r.type == dns::rr_type::PTR) {
        client.reverse_name = r.data;
        break;
      }
  }
  // RFC 8314 3.3: on smtps the handshake comes first, before the greeting.
  std::optional<net::tls_info> implicit;
  if (port == smtps_port) {
    implicit = co_await tls_accept(conn, port);
    if (!implicit) {
      conn->reset();
      co_return;
    }
  }
  smtpd_hooks hooks(*this, client);
  smtp::server_session_options opts;
  opts.protocol.host_name = config_.host;
  opts.protocol.auth_offered = lda_ != nullptr && (port == submission_port || port == smtps_port || config_.submission);
  opts.protocol.implicit_tls = implicit;
  opts.protocol.max_message_size = config_.policy.max_message_size;
  opts.protocol.dsn_offered = config_.offer_dsn;
  opts.protocol.max_recipients = config_.limits.max_recipients;
  opts.protocol.error_limit = config_.limits.hard_error_limit;
  opts.protocol.soft_error_limit = config_.limits.soft_error_limit;
  opts.protocol.error_sleep = std::chrono::duration_cast<std::chrono::milliseconds>(config_.limits.error_sleep);
  opts.protocol.junk_command_limit = config_.limits.junk_command_limit;
  opts.host = config_.host;
  opts.agent = "mta";
  opts.timeouts.command = config_.limits.command_timeout;
  opts.timeouts.data = config_.limits.data_timeout;
  opts.trace_client_lines = trace_client_lines;
  opts.faults = [this](smtp::phase at, const std::string& argument) { return smtp_fault(faults_, at, argument); };
  // The connections this session holds under policy.rate_limit are given
  // back however it ends (also when a crash destroys it).
  struct release {
    mta& m;
    client_info& c;
    ~release() { m.close_rate_limited(c); }
  } held{*this, client};
  opts.protocol.tls = config_.tls;
  opts.start_tls = [this, port](std::shared_ptr<net::stream>& stream) { return tls_accept(stream, port); };
  co_await smtp::run_server_session(std::move(conn), info, svc_.clock, svc_.trace, hooks, opts);
  flush_reputation(client);
}

// STARTTLS on our server: live mode's real handshake, or in the
// simulation the agreement the host's settings give (no crypto in virtual
// time).
asio::awaitable<std::optional<net::tls_info>> mta::tls_accept(std::shared_ptr<net::stream>& stream,
                                                              std::uint16_t port) {
  if (svc_.tls_accept) co_return co_await svc_.tls_accept(stream, config_.host);
  if (svc_.network.tls_fault(config_.host, port) == net::tls_problem::handshake) {
    // The failure shows when the client's hello arrives, after the 220 has
    // reached it (a round trip), not before.
    co_await svc_.clock.sleep_for(svc_.network.latency() * 2);
    co_return std::nullopt;
  }
  co_return net::simulated_tls();
}

void mta::policy_event(const std::string& check, const std::string& result, const std::string& detail,
                       const client_info& client) {
  svc_.trace.emit(config_.host, "mta", "policy.check",
                  {{"session", client.conn.session}, {"peer", client.conn.client.host}, {"check", check},
                   {"result", result}, {"detail", detail}});
}

// reject_unauth_destination: only our own domains, our relay domains, or a
// trusted or authenticated client.  The domain is the one after the last
// '@' of the parsed mailbox, so "user%other@local", a quoted "@" or a bang
// path stay local (and unknown), and source routes were already dropped.
smtp::reply mta::relay_check(const std::string& rcpt, const client_info& client) {
  std::string domain = message::to_lower(rcpt.substr(rcpt.rfind('@') + 1));
  std::string why;
  bool ok = true;
  if (is_local_domain(domain)) why = "local domain " + domain;
  else if (is_relay_domain(domain)) why = "relay domain " + domain;
  else if (client.trusted) why = "client [" + client.conn.client.ip + "] in mynetworks";
  else if (client.authenticated) why = "authenticated client";
  else ok = false;
  if (!ok) {
    policy_event("relay", "reject", "<" + rcpt + ">: relay to " + domain + " denied for [" + client.conn.client.ip + "]",
                 client);
    return config_.mta_profile->relay_denied(rcpt);
  }
  policy_event("relay", "ok", why, client);
  return smtp::reply(250, "2.1.5", "Ok");
}

// RFC 5321 section 4.5.1: <postmaster> (any case, no domain) and
// postmaster@ each local domain.
bool mta::is_postmaster(const smtp::mailbox& box) const {
  return box.is_bare_postmaster() || (message::iequals(box.local_part, "postmaster") && is_local_domain(box.domain));
}

// Where a recipient goes in the queue file: postmaster is rewritten to the
// address the host names for it (as Postfix's aliases(5) send postmaster
// to a person), everything else keeps its canonical form (a quoted local
// part stays quoted).
std::string mta::queue_address(const smtp::mailbox& box) const {
  if (is_postmaster(box) && config_.postmaster) return *config_.postmaster;
  return box.text();
}

asio::awaitable<void> mta::evaluate_client_spf(client_info& client, const std::string& sender, policy::spf_mode mode) {
  policy::spf_request sreq;
  sreq.client_ip = client.conn.client.ip;
  sreq.mail_from = sender;
  sreq.helo = client.helo;
  sreq.asker = config_.host;
  sreq.receiver = config_.host;
  sreq.timestamp = std::chrono::duration_cast<std::chrono::seconds>(svc_.clock.wall_now().time_since_epoch()).count();
  client.spf = co_await policy::evaluate_spf(svc_.resolver, sreq);
  client.spf_decision = policy::spf_check(*client.spf, mode);
  policy_event(client.spf_decision->check, client.spf_decision->result, client.spf_decision->detail, client);
}

// RCPT TO's forward paths as the queue keeps them, with ORCPT and NOTIFY (RFC 3461).
std::vector<recipient_state> mta::queued_recipients(const smtp::envelope& env) const {
  std::vector<recipient_state> out;
  for (const auto& r : env.recipients) {
    recipient_state st;
    st.address = queue_address(r.forward_path);
    if (r.params.orcpt) st.orcpt = r.params.orcpt->addr_type + ";" + r.params.orcpt->address;
    else if (st.address != r.forward_path.text()) st.orcpt = "rfc822;" + r.forward_path.text();
    if (r.params.notify) st.notify = {r.params.notify->never, r.params.notify->success, r.params.notify->failure,
                                      r.params.notify->delay};
    out.push_back(std::move(st));
  }
  return out;
}

std::optional<smtp::reply> mta::refuse_before_parsing(const std::string& content, client_info& client) {
  if (content.size() > config_.policy.max_message_size) {
    policy_event("size", "reject", fmt::format("{} octets over the limit of {}", content.size(),
                                               config_.policy.max_message_size), client);
    return config_.mta_profile->message_too_big();
  }
  if (config_.policy.antivirus) {
    bool infected = message::contains_eicar(content);
    policy_event("antivirus", infected ? "infected" : "clean",
                 infected ? "EICAR test signature found" : "no known signature", client);
    if (infected) return smtp::reply(554, "5.7.1", "Message content rejected: virus found (Eicar-Test-Signature)");
  }
  return std::nullopt;
}

std::pair<std::string, std::string> mta::trace_fields(const smtp::envelope& env, const client_info& client,
                                                      const std::string& id) {
  message::received_stamp stamp;
  stamp.helo = client.helo.empty() ? client.conn.client.ip : client.helo;
  stamp.reverse_name = client.reverse_name;
  stamp.ip = client.conn.client.ip;
  stamp.by_host = config_.host;
  stamp.protocol = message::received_protocol(client.tls.has_value(), client.authenticated);
  stamp.tls = client.tls;
  stamp.queue_id = id;
  for (const auto& r : env.recipients) stamp.recipients.push_back(r.forward_path.text());
  stamp.date = svc_.clock.wall_now();
  stamp.envelope_from = env.reverse_path ? env.reverse_path->text() : "";
  // Received on top (in the profile's form), Received-SPF (tagging mode) under it (RFC 7208 9.1).
  std::string received = config_.mta_profile->received(stamp), spf;
  if (client.spf && config_.policy.spf == policy::spf_mode::tag) {
    std::string header = policy::received_spf_header(*client.spf, config_.host);
    auto colon = header.find(": ");
    spf = colon == std::string::npos ? header : header.substr(colon + 2);
  }
  return {std::move(received), std::move(spf)};
}

std::string mta::queued_text(message::message& msg, const std::string& content, bool parsed, bool rewrites,
                             const auth_outcome& checked, const std::pair<std::string, std::string>& fields,
                             const client_info& client) {
  const auto& [received, spf] = fields;
  if (parsed) {
    // The rewritten or filtered message (X-Spam fields added, forged ones removed).
    if (!rewrites && !checked.results.empty()) msg.prepend(auth::authentication_results_field, checked.results);
    if (!spf.empty()) msg.prepend("Received-SPF", spf);
    msg.prepend("Received", received);
    if (!client.reputation_junk.empty()) msg.prepend(lda::reputation_field, fmt::format("junk ({})", client.reputation_junk));
    return msg.serialize();
  }
  std::string text = with_trace_fields(content, received, spf, checked.results);
  if (!client.reputation_junk.empty()) {
    const std::string mark = fmt::format("junk ({})", client.reputation_junk);
    text = message::with_fields_on_top(text, {{lda::reputation_field, mark}});
  }
  return text;
}

asio::awaitable<smtp::reply> mta::receive_message(const smtp::envelope& env, const std::string& content,
                                                  client_info& client) {
  if (auto refused = refuse_before_parsing(content, client)) co_return *refused;
  // Parsed only where a list rewrites the message or the content filter
  // runs: their changes go into the message that is queued.  Otherwise the
  // two fields asked for (the hop count, the Message-ID) are read where
  // they stand, and nothing is copied.
  const bool rewrites = rewrites_for(client);
  const bool parsed = rewrites || filter_.has_value();
  message::message msg;
  if (parsed) msg = message::message::parse(content);
  // RFC 5321 section 6.3: a message with too many Received fields is looping.
  std::size_t hops = parsed ? msg.count("Received") : message::header_count(content, "Received");
  if (hops >= config_.limits.max_hops) {
    policy_event("hops", "reject", fmt::format("{} Received fields, limit {}", hops, config_.limits.max_hops), client);
    co_return smtp::reply(554, "5.4.6", "Too many hops: mail forwarding loop detected");
  }
  // A coroutine frame only where DKIM or DMARC is checked.
  auth_outcome checked;
  if (checks_for(client)) checked = co_await check_authentication(env, content, client);
  if (checked.refused) co_return *checked.refused;
  if (rewrites) {
    // Authentication-Results describes the message as it came: on it before the rewrite.
    if (!checked.results.empty()) msg.prepend(auth::authentication_results_field, checked.results);
    rewrite_relayed(msg);
  }
  if (auto refused = filter_content(msg, content, client, checked)) {
    note_content_rejected(env, client, checked);
    co_return *refused;
  }
  if (auto refused = check_domain_reputation(env, client, checked)) co_return *refused;
  std::string id = queue_.new_id();
  queue_file file;
  file.queue_id = id;
  file.arrival = svc_.clock.now();
  file.arrival_wall = svc_.clock.wall_now();
  file.reverse_path = env.reverse_path ? env.reverse_path->text() : "";
  file.params = queued_params(env);
  file.message = queued_text(msg, content, parsed, rewrites, checked, trace_fields(env, client, id), client);
  // Signed last, on the text as it will be sent on.
  if (signs_for(client)) file.message = sign_outgoing(std::move(file.message), id, client);
  file.recipients = queued_recipients(env);
  // The same forward path twice (also after a source route is dropped or
  // postmaster rewritten) is one recipient: Postfix's cleanup(8) does the same.
  file.merge_duplicates();
  auto message_id = parsed ? msg.get("Message-ID") : message::header_value(content, "Message-ID");
  co_await queue_.enqueue(std::move(file), message_id.value_or(""));
  count_rate(env, client);
  note_trap_hits(env, client);
  note_reputation(env, id, client);
  schedule(id, svc_.clock.now());
  co_return smtp::reply(250, "2.0.0", "Ok: queued as " + id);
}

}  // namespace sim::mta
