// sim/pop3/client_fsm.cpp - the MUA's POP3 fetch as a sans-I/O state machine.
#include "sim/pop3/client_fsm.hpp"

#include <utility>

#include <fmt/format.h>

#include "sim/core/ascii.hpp"
#include "sim/pop3/command.hpp"

namespace sim::pop3 {

std::string_view to_string(fetch_error e) {
  switch (e) {
    case fetch_error::none: return "none";
    case fetch_error::greeting: return "greeting";
    case fetch_error::auth: return "auth";
    case fetch_error::in_use: return "in_use";
    case fetch_error::command: return "command";
    case fetch_error::protocol: return "protocol";
    case fetch_error::closed: return "closed";
    case fetch_error::timeout: return "timeout";
    case fetch_error::tls: return "tls";
  }
  return "?";
}

client_fsm::client_fsm(fetch_config config) : config_(std::move(config)) {}

std::vector<client_action> client_fsm::receive(std::string_view bytes) {
  if (done()) return {};
  framer_.feed(bytes);
  while (!done()) {
    auto line = framer_.next();
    if (!line) break;
    handle_line(line->text);
  }
  return std::exchange(out_, {});
}

// The session closes the connection itself, so no client_close is queued.
void client_fsm::on_eof() { stop(fetch_error::closed); }

void client_fsm::on_timeout() { stop(fetch_error::timeout); }

void client_fsm::stop(fetch_error e) {
  if (done()) return;
  if (result_.error == fetch_error::none) result_.error = e;
  phase_ = phase::done;
}

void client_fsm::handle_line(const std::string& line) {
  if (phase_ == phase::retr_body) {
    on_body_line(line);
    return;
  }
  if (phase_ == phase::capa_body) {
    on_capa_line(line);
    return;
  }
  // RFC 2595 4: nothing comes between STLS's +OK and the handshake.
  if (phase_ == phase::tls) return fail(fetch_error::protocol, line, false);
  auto status = parse_status(line);
  if (!status) {
    // Without a trustworthy dialogue, do not QUIT: no deletions happen.
    fail(fetch_error::protocol, line, false);
    return;
  }
  handle_status(*status, line);
}

void client_fsm::handle_status(const status_line& status, const std::string& line) {
  switch (phase_) {
    case phase::greeting:
      if (!status.ok) return fail(fetch_error::greeting, line, false);
      if (config_.tls != net::tls_level::none) return send(phase::capa, "CAPA");
      return login();
    case phase::capa:
      // RFC 2449 5: a server without CAPA says -ERR; then it has no STLS either.
      if (!status.ok) return after_capa();
      phase_ = phase::capa_body;
      return;
    case phase::stls: return on_stls_reply(status, line);
    case phase::user:
      if (!status.ok) return fail(fetch_error::auth, line, true);
      return send(phase::pass, "PASS " + config_.password);
    case phase::pass:
      if (!status.ok) return fail(status.code == "IN-USE" ? fetch_error::in_use : fetch_error::auth, line, true);
      return send(phase::stat, "STAT");
    case phase::stat: return on_stat_reply(status, line);
    case phase::retr:
      if (!status.ok) return fail(fetch_error::command, line, true);
      body_.clear();
      phase_ = phase::retr_body;
      return;
    case phase::dele:
      if (!status.ok) return fail(fetch_error::command, line, true);
      return next_message();
    case phase::quit:
      if (!status.ok && result_.error == fetch_error::none) {
        result_.error = fetch_error::command;
        result_.reply = line;
      }
      return finish();
    case phase::capa_body:
    case phase::tls:
    case phase::retr_body:
    case phase::done: return;
  }
}

// RFC 2449 5: one capability a line, the first word its name, "." ends it.
void client_fsm::on_capa_line(const std::string& line) {
  auto text = unstuff(line);
  if (!text) return after_capa();
  auto name = text->substr(0, text->find(' '));
  if (ascii::iequals(name, "STLS")) stls_offered_ = true;
}

void client_fsm::after_capa() {
  if (stls_offered_) return send(phase::stls, "STLS");
  if (config_.tls == net::tls_level::may) return login();
  fail(fetch_error::tls, "TLS is required, but the server does not offer STLS", true);
}

// RFC 2595 4: "+OK" and the handshake starts; "-ERR" leaves the session in
// the clear, which only `may` accepts.
void client_fsm::on_stls_reply(const status_line& status, const std::string& line) {
  if (status.ok) {
    phase_ = phase::tls;
    out_.emplace_back(std::in_place_type<client_starttls>);
    return;
  }
  if (config_.tls == net::tls_level::may) return login();
  fail(fetch_error::tls, "TLS is required, but the server refused STLS: " + line, true);
}

std::vector<client_action> client_fsm::tls_started() {
  if (phase_ != phase::tls) return {};
  tls_active_ = true;
  login();
  return std::exchange(out_, {});
}

// The connection is not trusted after a failed handshake: no QUIT.
void client_fsm::tls_failed(const std::string& reason) {
  if (phase_ != phase::tls) return;
  if (result_.error == fetch_error::none) {
    result_.error = fetch_error::tls;
    result_.reply = "TLS handshake failed: " + reason;
  }
  phase_ = phase::done;
}

void client_fsm::login() { send(phase::user, "USER " + config_.user); }

// RFC 1939 section 5: "+OK nn mm", the message count and the octets.
void client_fsm::on_stat_reply(const status_line& status, const std::string& line) {
  if (!status.ok) return fail(fetch_error::command, line, true);
  auto space = status.text.find(' ');
  auto count = parse_number(std::string_view(status.text).substr(0, space));
  if (!count) return fail(fetch_error::protocol, line, true);
  count_ = *count;
  number_ = 0;
  next_message();
}

void client_fsm::on_body_line(const std::string& line) {
  auto text = unstuff(line);
  if (text) {
    body_.append(*text);
    body_ += "\r\n";
    return;
  }
  result_.messages.push_back({number_, std::exchange(body_, {})});
  if (config_.delete_messages) return send(phase::dele, fmt::format("DELE {}", number_));
  next_message();
}

void client_fsm::next_message() {
  if (number_ >= count_) return send(phase::quit, "QUIT");
  ++number_;
  send(phase::retr, fmt::format("RETR {}", number_));
}

void client_fsm::send(phase next, std::string line) {
  phase_ = next;
  auto masked = mask_command(line);
  out_.push_back(client_send{std::move(line), std::move(masked)});
}

void client_fsm::fail(fetch_error e, const std::string& line, bool quit) {
  if (result_.error == fetch_error::none) {
    result_.error = e;
    result_.reply = line;
  }
  if (quit) return send(phase::quit, "QUIT");
  finish();
}

void client_fsm::finish() {
  phase_ = phase::done;
  out_.emplace_back(std::in_place_type<client_close>);
}

}  // namespace sim::pop3
