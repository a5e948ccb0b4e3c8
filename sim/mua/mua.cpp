// sim/mua/mua.cpp - compose and submit over SMTP, fetch over POP3 or IMAP.
#include "sim/mua/mua.hpp"

#include <algorithm>

#include "sim/imap/client_session.hpp"
#include "sim/message/message.hpp"
#include "sim/message/text.hpp"
#include "sim/pop3/client_session.hpp"
#include "sim/smtp/client_session.hpp"

namespace sim::mua {

namespace {

pop3::fetch_error pop3_error(imap::fetch_error e) {
  switch (e) {
    case imap::fetch_error::none: return pop3::fetch_error::none;
    case imap::fetch_error::greeting: return pop3::fetch_error::greeting;
    case imap::fetch_error::auth: return pop3::fetch_error::auth;
    case imap::fetch_error::select:
    case imap::fetch_error::command: return pop3::fetch_error::command;
    case imap::fetch_error::protocol: return pop3::fetch_error::protocol;
    case imap::fetch_error::closed: return pop3::fetch_error::closed;
    case imap::fetch_error::timeout: return pop3::fetch_error::timeout;
    case imap::fetch_error::tls: return pop3::fetch_error::tls;
  }
  return pop3::fetch_error::protocol;
}

// The submission's SMTP options: the sender's own name in EHLO, AUTH when
// the scenario gives a password, STARTTLS when offered.
smtp::client_session_options session_options(const submission& s, net::network& net) {
  smtp::client_session_options opts;
  opts.protocol.helo_name = s.client_host;
  if (s.password) {
    opts.protocol.auth_user = s.message.from;
    opts.protocol.auth_password = *s.password;
  }
  opts.host = s.client_host;
  opts.agent = "mua";
  opts.peer = s.via_host;
  // A mail program uses STARTTLS when the server offers it (RFC 3207); in
  // virtual time the handshake is modelled: the server's `tls` fault decides.
  opts.protocol.tls = net::tls_level::may;
  opts.start_tls = [&net, via = s.via_host, port = s.port](std::shared_ptr<net::stream>&)
      -> asio::awaitable<smtp::tls_outcome> {
    // (A real server under `mailsim world` waits for a real handshake: none is faked.)
    if (net.is_outside(via)) co_return smtp::tls_outcome{std::nullopt, true, "no TLS client toward a real server"};
    co_return net::simulated_client_tls(net.tls_fault(via, port), net::tls_level::may, via);
  };
  return opts;
}

// The envelope: every recipient that parses as a mailbox (listed in `sent`,
// in order), with its DSN parameters (RFC 3461).
smtp::outgoing_message outgoing(const submission& s, const std::vector<std::string>& rcpts, const std::string& raw,
                                std::vector<std::string>& sent) {
  smtp::outgoing_message m;
  if (!s.message.from.empty()) m.reverse_path = smtp::parse_mailbox(s.message.from);
  m.ret = s.ret;
  m.envid = s.envid;
  for (const auto& r : rcpts)
    if (auto box = smtp::parse_mailbox(r)) {
      smtp::rcpt_parameters params;
      params.notify = s.notify;
      for (const auto& [rcpt, original] : s.orcpt)
        if (message::iequals(rcpt, r)) params.orcpt = smtp::original_recipient{"rfc822", original};
      m.recipients.push_back({*box, params});
      sent.push_back(r);
    }
  m.content = raw;
  return m;
}

}  // namespace

void mua::reject(const submission& s, const std::string& message_id, const std::string& what, int code,
                 const std::string& enhanced, const std::string& text) {
  trace_.emit(s.client_host, "mua", "mua.reject",
              {{"message", s.tag}, {"message_id", message_id}, {"what", what}, {"code", code},
               {"enhanced", enhanced.empty() ? trace_value(nullptr) : trace_value(enhanced)}, {"text", text}});
}

std::vector<std::string> mua::compose(submission& s, submit_result& out) {
  s.message.date = clock_.wall_now();
  // A Message-ID the scenario writes in `headers` is the one it is known by.
  for (const auto& [name, value] : s.message.headers)
    if (message::iequals(name, "Message-ID")) s.message.message_id = value;
  if (s.message.message_id.empty())
    s.message.message_id = message::make_message_id(s.sequence, s.scenario, s.message.from);
  out.message_id = s.message.message_id;
  out.raw = message::compose(s.message);
  auto rcpts = message::envelope_recipients(s.message);
  trace_.emit(s.client_host, "mua", "mua.compose",
              {{"message", s.tag}, {"from", s.message.from}, {"to", rcpts}, {"subject", s.message.subject},
               {"message_id", out.message_id}});
  trace_.emit(s.client_host, "mua", "mua.submit", {{"message", s.tag}, {"via", s.via_host}, {"port", s.port}});
  return rcpts;
}

void mua::reject_refused(const submission& s, submit_result& out, const std::vector<std::string>& sent,
                         const std::vector<std::optional<smtp::reply>>& replies, const std::vector<bool>& accepted,
                         const std::optional<smtp::reply>& session_reply, std::string_view failure) {
  for (std::size_t i = 0; i < accepted.size(); ++i) {
    if (accepted[i]) {
      out.accepted.push_back(sent[i]);
      continue;
    }
    out.refused = true;
    const smtp::reply r = replies[i].value_or(session_reply.value_or(smtp::reply(0, "", "no reply")));
    reject(s, out.message_id, sent[i], r.code, r.enhanced, r.text());
  }
  if (accepted.empty()) {
    out.refused = true;
    const smtp::reply r = session_reply.value_or(smtp::reply(0, "", std::string(failure)));
    reject(s, out.message_id, "session", r.code, r.enhanced, r.text());
  }
}

asio::awaitable<submit_result> mua::submit(submission s) {
  submit_result out;
  auto rcpts = compose(s, out);
  auto conn = co_await net_.connect(s.client_host, s.via_ip, s.port, s.connect_timeout);
  if (!conn.conn) {
    reject(s, out.message_id, "connect", 0, "", conn.error == net::connect_error::refused ? "connection refused"
                                                                                           : "connection timed out");
    out.refused = true;
    co_return out;
  }
  std::vector<std::string> sent;  // the recipients in m, in order
  smtp::outgoing_message m = outgoing(s, rcpts, out.raw, sent);
  // A recipient limit (452 4.5.3) sends the rest in further transactions,
  // as an MTA does; each recipient's outcome is kept by its index.
  std::vector<std::optional<smtp::reply>> replies(m.recipients.size());
  std::vector<bool> accepted(m.recipients.size(), false);
  smtp::client_session session(conn.conn, clock_, trace_, session_options(s, net_));
  co_await session.open();
  smtp::transaction_sink keep = [&](const smtp::transaction_outcomes& t) -> asio::awaitable<void> {
    for (const auto& [k, o] : t.settled) {
      accepted[k] = o.status == smtp::delivery_status::ok;
      replies[k] = o.server_reply ? o.server_reply : t.report.session_reply;
    }
    co_return;
  };
  co_await smtp::deliver_all(session, std::move(m), keep);
  std::optional<smtp::reply> session_reply = session.fsm().last_reply();
  co_await session.quit();
  reject_refused(s, out, sent, replies, accepted, session_reply, smtp::result_name(session.fsm().result()));
  co_return out;
}

asio::awaitable<pop3::fetch_result> mua::fetch(fetch_request r) {
  auto conn = co_await net_.connect(r.client_host, r.server_ip, r.port, r.connect_timeout);
  if (!conn.conn) {
    pop3::fetch_result failed;
    failed.error = pop3::fetch_error::closed;
    failed.reply = conn.error == net::connect_error::refused ? "connection refused" : "connection timed out";
    trace_.emit(r.client_host, "mua", "mua.fetch",
                {{"user", r.user},
                 {"count", 0},
                 {"error", failed.reply},
                 {"protocol", r.protocol != "pop3" ? trace_value(r.protocol) : trace_value()}});
    co_return failed;
  }
  pop3::fetch_result result;
  std::string tls;  // the protocol agreed, when the reader used TLS
  std::vector<std::string> reported;
  std::string junk;
  if (r.protocol == "imap") {
    result = co_await fetch_imap(conn.conn, r, fetch_tls(r, &tls), reported, junk);
  } else {
    pop3::client_options opts;
    opts.host = r.client_host;
    opts.peer = r.server_host;
    opts.fetch = pop3::fetch_config{r.user, r.password, r.delete_messages, r.tls};
    opts.start_tls = fetch_tls(r, &tls);
    result = co_await pop3::client_session(conn.conn, clock_, trace_, opts);
  }
  // `protocol` and `folder` only for IMAP: POP3 fetches trace as they always did.
  const bool imap = r.protocol != "pop3";
  trace_.emit(r.client_host, "mua", "mua.fetch",
              {{"user", r.user},
               {"count", result.messages.size()},
               {"protocol", imap ? trace_value(r.protocol) : trace_value()},
               {"folder", imap ? trace_value(r.folder) : trace_value()},
               {"move_to", imap && !r.move_to.empty() ? trace_value(r.move_to) : trace_value()},
               {"fetch", r.tag.empty() ? trace_value() : trace_value(r.tag)},
               {"tls", tls.empty() ? trace_value() : trace_value(tls)},
               {"error", result.error != pop3::fetch_error::none ? trace_value(result.reply) : trace_value()}});
  if (!r.read.empty()) trace_reading(r, result, reported, junk);
  co_return result;
}

// RFC 2595 / RFC 9051 6.2.1 in virtual time: the server's `tls` fault on
// the port decides, as for the sending MTA (net::simulated_client_tls).
net::client_tls_handshake mua::fetch_tls(const fetch_request& r, std::string* used) {
  return [this, host = r.server_host, port = r.port, level = r.tls, used](std::shared_ptr<net::stream>&)
             -> asio::awaitable<net::tls_outcome> {
    auto out = net::simulated_client_tls(net_.tls_fault(host, port), level, host);
    if (out.agreed) *used = out.agreed->protocol;
    co_return out;
  };
}

void mua::trace_reading(const fetch_request& r, const pop3::fetch_result& got, const std::vector<std::string>& reported,
                        const std::string& junk) {
  auto reading_of = [&r](const std::string& id) -> const reading* {
    for (const auto& x : r.read)
      if (x.message_id == id) return &x;
    return nullptr;
  };
  std::vector<const reading*> opened;
  for (const auto& m : got.messages) {
    auto id = message::header_value(m.content, "Message-ID");
    const reading* x = id ? reading_of(*id) : nullptr;
    if (x && std::find(opened.begin(), opened.end(), x) == opened.end()) opened.push_back(x);
  }
  for (const reading* x : opened)
    trace_.emit(r.client_host, "mua", "mua.open",
                {{"user", r.user}, {"message", x->campaign}, {"message_id", x->message_id}, {"protocol", r.protocol}});
  for (const auto& id : reported)
    if (const reading* x = reading_of(id))
      trace_.emit(r.client_host, "mua", "mua.complaint",
                  {{"user", r.user}, {"message", x->campaign}, {"message_id", id}, {"folder", junk}});
}

asio::awaitable<pop3::fetch_result> mua::fetch_imap(std::shared_ptr<net::stream> conn, const fetch_request& r,
                                                    net::client_tls_handshake start_tls, std::vector<std::string>& reported,
                                                    std::string& junk) {
  imap::client_options opts;
  opts.host = r.client_host;
  opts.peer = r.server_host;
  opts.fetch = imap::fetch_config{r.user, r.password, r.folder, r.delete_messages, r.move_to, r.tls};
  opts.start_tls = std::move(start_tls);
  for (const auto& x : r.read) {
    opts.fetch.message_ids.push_back(x.message_id);
    if (x.report_spam) opts.fetch.report_spam.push_back(x.message_id);
  }
  auto got = co_await imap::client_session(std::move(conn), clock_, trace_, opts);
  pop3::fetch_result out;
  std::size_t n = 0;
  for (auto& m : got.messages) {
    if (std::find(got.reported.begin(), got.reported.end(), m.uid) != got.reported.end())
      if (auto id = message::header_value(m.content, "Message-ID")) reported.push_back(*id);
    out.messages.push_back({++n, std::move(m.content)});
  }
  junk = got.junk_folder;
  if (got.error != imap::fetch_error::none) {
    out.error = pop3_error(got.error);
    out.reply = got.reply.empty() ? std::string(imap::to_string(got.error)) : got.reply;
  }
  co_return out;
}

}  // namespace sim::mua
