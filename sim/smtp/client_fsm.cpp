// sim/smtp/client_fsm.cpp - client_fsm: the reply loop, opening the session, failures.
#include "sim/smtp/client_fsm.hpp"

#include <array>

#include "sim/core/ascii.hpp"
#include "sim/smtp/base64.hpp"

namespace sim::smtp {

std::string_view status_name(delivery_status s) {
  static constexpr std::array<std::string_view, 3> names{"ok", "tempfail", "permfail"};
  return names[static_cast<std::size_t>(s)];
}

std::string_view result_name(session_result r) {
  static constexpr std::array<std::string_view, 9> names{
      "ok", "connection_lost", "timeout", "reply_421", "greeting_rejected", "helo_rejected", "auth_failed",
      "protocol_error", "tls_failed"};
  return names[static_cast<std::size_t>(r)];
}

client_fsm::client_fsm(client_options options) : options_(std::move(options)) {
  awaiting_.push_back({expect::greeting});
}

client_phase client_fsm::phase_of(expect e) {
  // (STARTTLS is timed as EHLO is: Postfix's smtp_starttls_timeout is separate, 300s too.)
  static constexpr std::array<client_phase, 11> phases{
      client_phase::greeting, client_phase::ehlo, client_phase::ehlo,     client_phase::auth,
      client_phase::rset,     client_phase::mail, client_phase::rcpt,     client_phase::data_init,
      client_phase::data_end, client_phase::quit, client_phase::ehlo};
  return phases[static_cast<std::size_t>(e)];
}

client_action client_fsm::next() {
  while (true) {
    if (!out_.empty()) return out_.take_front();
    if (state_ == st::closed) return client_action{client_action::kind::closed};
    if (awaiting_.empty()) return client_action{client_action::kind::idle};
    // Replies already buffered are handled before reading more.
    std::size_t used = parser_.feed(in_);
    in_.erase(0, used);
    if (parser_.state() == reply_parser::status::complete) {
      handle(parser_.take());
      continue;
    }
    if (parser_.state() == reply_parser::status::malformed) {
      fail(session_result::protocol_error, std::nullopt);
      continue;
    }
    client_action read{client_action::kind::read};
    read.at = phase_of(awaiting_.front().what);
    read.timeout = options_.timeouts(read.at);
    return read;
  }
}

void client_fsm::on_bytes(std::string_view bytes) { in_.append(bytes); }

void client_fsm::on_timeout() { fail(session_result::timeout, std::nullopt); }

void client_fsm::on_connection_lost() {
  // Losing the connection while waiting for the QUIT reply loses nothing.
  if (state_ == st::quitting) {
    awaiting_.clear();
    state_ = st::closed;
    return;
  }
  fail(session_result::connection_lost, std::nullopt);
}

std::string_view client_action::trace_line(std::size_t i) const {
  for (const auto& [at, text] : masked)
    if (at == i) return text;
  std::size_t start = i == 0 ? 0 : line_ends[i - 1] + 2;
  return std::string_view(bytes).substr(start, line_ends[i] - start);
}

void client_action::add_line(std::string_view line) {
  bytes.append(line).append("\r\n");
  line_ends.push_back(bytes.size() - 2);
  // Only an AUTH line is traced otherwise (mask_auth_line).
  if (line.size() >= 4 && ascii::iequals(line.substr(0, 4), "AUTH")) {
    std::string traced = mask_auth_line(line);
    if (traced != line) masked.emplace_back(line_ends.size() - 1, std::move(traced));
  }
}

void client_fsm::send_command(std::string line, expect what, std::size_t index) {
  client_action a{client_action::kind::send};
  a.bytes.reserve(line.size() + 2);
  a.add_line(line);
  a.at = phase_of(what);
  a.timeout = options_.timeouts(a.at);
  out_.push_back(std::move(a));
  awaiting_.push_back({what, index});
}

void client_fsm::send_commands(std::vector<std::string> lines, std::vector<awaited> what) {
  client_action a{client_action::kind::send};
  std::size_t size = 0;
  for (const auto& line : lines) size += line.size() + 2;
  a.bytes.reserve(size);
  a.line_ends.reserve(lines.size());
  for (const auto& line : lines) a.add_line(line);
  a.at = phase_of(what.front().what);
  a.timeout = options_.timeouts(a.at);
  out_.push_back(std::move(a));
  for (auto& w : what) awaiting_.push_back(w);
}

void client_fsm::handle(reply r) {
  awaited a = awaiting_.front();
  awaiting_.pop_front();
  current_ = phase_of(a.what);
  // RFC 5321 3.8: 421 means the server is closing; every pending recipient
  // is retried later.  (A 421 to QUIT is still the end of the session.)
  if (r.code == 421 && a.what != expect::quit) return fail(session_result::reply_421, std::move(r));
  switch (a.what) {
    case expect::greeting:
    case expect::ehlo:
    case expect::helo:
    case expect::auth:
    case expect::starttls:
      return handle_opening(a.what, std::move(r));
    case expect::quit:
      awaiting_.clear();
      state_ = st::closed;
      return;
    default:
      return handle_transaction(a, std::move(r));
  }
}

void client_fsm::handle_opening(expect what, reply r) {
  bool ok = r.code / 100 == 2;
  switch (what) {
    case expect::greeting:
      if (!ok) return give_up(session_result::greeting_rejected, std::move(r));
      return send_command((options_.lmtp ? "LHLO " : "EHLO ") + options_.helo_name, expect::ehlo);
    case expect::ehlo:
    case expect::helo:
      if (!ok) {
        // RFC 5321 3.2: a server that does not know EHLO answers 5xx; try HELO.
        if (what == expect::ehlo && r.permanent() && !options_.lmtp && !tried_helo_) {
          tried_helo_ = true;
          return send_command("HELO " + options_.helo_name, expect::helo);
        }
        return give_up(session_result::helo_rejected, std::move(r));
      }
      if (what == expect::ehlo) caps_ = parse_capabilities(r);
      if (!tls_ && !options_.lmtp && options_.tls != net::tls_level::none) {
        if (caps_.starttls) return send_command("STARTTLS", expect::starttls);
        if (options_.tls != net::tls_level::may) return tls_give_up(tls_failure::not_offered, std::nullopt);
      }
      return after_hello();
    case expect::starttls:
      // RFC 3207 4: 220, then the handshake; `may` goes on in the clear.
      if (r.code == 220) {
        out_.push_back(client_action{client_action::kind::start_tls});
        return;
      }
      if (options_.tls != net::tls_level::may) return tls_give_up(tls_failure::refused, std::move(r));
      return after_hello();
    case expect::auth:
      if (r.code != 235) return give_up(session_result::auth_failed, std::move(r));
      state_ = st::idle;
      return;
    default:
      return;
  }
}

// After EHLO (and STARTTLS): AUTH when there are credentials, else ready.
void client_fsm::after_hello() {
  if (options_.auth_user && caps_.offers_auth("PLAIN")) {
    // RFC 4616: authzid NUL authcid NUL passwd, as an initial response.
    std::string raw = std::string(1, '\0') + *options_.auth_user + '\0' + options_.auth_password;
    return send_command("AUTH PLAIN " + base64_encode(raw), expect::auth);
  }
  state_ = st::idle;
}

// RFC 3207 4.2: the client discards what it knew of the server and says
// EHLO again.
void client_fsm::tls_started(net::tls_info agreed) {
  if (state_ != st::greeting || tls_) return;  // (the opening is all in st::greeting)
  tls_ = std::move(agreed);
  caps_ = capabilities{};
  in_.clear();
  send_command("EHLO " + options_.helo_name, expect::ehlo);
}

void client_fsm::tls_failed(bool lost) {
  if (lost) {
    tls_failure_ = tls_failure::handshake;
    return fail(session_result::tls_failed, std::nullopt);
  }
  tls_give_up(tls_failure::certificate, std::nullopt);
}

// The sender's policy forbids going on in the clear: QUIT, as give_up().
void client_fsm::tls_give_up(tls_failure why, std::optional<reply> r) {
  tls_failure_ = why;
  result_ = session_result::tls_failed;
  last_reply_ = std::move(r);
  awaiting_.clear();
  state_ = st::quitting;
  send_command("QUIT", expect::quit);
}

// The server refused the session: say QUIT politely, then close.
void client_fsm::give_up(session_result why, reply r) {
  result_ = why;
  last_reply_ = r;
  for (std::size_t i = 0; i < outcomes_.size(); ++i) settle(i, r, client_phase::greeting);
  awaiting_.clear();
  state_ = st::quitting;
  send_command("QUIT", expect::quit);
}

// The session ended abnormally: every recipient not yet settled tempfails.
void client_fsm::fail(session_result why, std::optional<reply> r) {
  if (state_ == st::closed) return;
  result_ = why;
  last_reply_ = r;
  for (std::size_t i = 0; i < outcomes_.size(); ++i) {
    if (settled_[i]) continue;
    outcomes_[i].status = delivery_status::tempfail;
    outcomes_[i].server_reply = r;
    outcomes_[i].at = awaiting_.empty() ? current_ : phase_of(awaiting_.front().what);
    settled_[i] = true;
  }
  if (!outcomes_.empty()) message_done_ = true;
  awaiting_.clear();
  out_.clear();
  state_ = st::closed;
}

void client_fsm::quit() {
  if (state_ != st::idle) return;
  state_ = st::quitting;
  send_command("QUIT", expect::quit);
}

}  // namespace sim::smtp
