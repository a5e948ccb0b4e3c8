// sim/smtp/server_fsm.cpp - server_fsm: the input loop, decisions, state changes.
#include "sim/smtp/server_fsm.hpp"

#include <algorithm>
#include <array>

#include "sim/smtp/capabilities.hpp"

namespace sim::smtp {

std::string_view state_name(server_state s) {
  static constexpr std::array<std::string_view, 9> names{"connected", "refused", "greeted", "ready", "mail",
                                                         "rcpt",      "data",    "auth",    "closed"};
  return names[static_cast<std::size_t>(s)];
}

std::string_view phase_name(phase p) {
  static constexpr std::array<std::string_view, 8> names{"connect", "ehlo", "mail", "rcpt",
                                                         "data",    "dot",  "quit", "other"};
  return names[static_cast<std::size_t>(p)];
}

std::string_view limit_name(limit_kind k) { return k == limit_kind::junk_commands ? "junk_commands" : "errors"; }

server_fsm::server_fsm(server_options options, server_observer observer)
    : options_(std::move(options)), observer_(std::move(observer)), tls_(options_.implicit_tls) {
  ask_for(ask::connect, phase::connect, "", reply{220, "", options_.host_name + (options_.lmtp ? " LMTP" : " ESMTP")});
}

void server_fsm::feed(std::string_view bytes) {
  // Plaintext arriving while the handshake is due is never a command
  // (RFC 3207 4.2; the command injection of CVE-2011-0411).
  if (state_ == server_state::closed || awaiting_tls_) return;
  if (pos_ > 0 && pos_ == in_.size()) {
    in_.clear();
    pos_ = 0;
  }
  in_.append(bytes);
}

server_action server_fsm::next() {
  while (true) {
    if (!out_.empty()) return out_.take_front();
    if (awaiting_tls_) return server_action{server_action::kind::start_tls, {}, phase::other, false, nullptr};
    if (pending_) return server_action{server_action::kind::decide, {}, pending_->at, false, &*pending_};
    if (state_ == server_state::closed) return server_action{server_action::kind::close, {}, phase::other, false, nullptr};
    if (!process_input()) return server_action{server_action::kind::need_input, {}, phase::other, false, nullptr};
  }
}

// Consumes one line (or a piece of content); false when nothing complete is buffered.
bool server_fsm::process_input() {
  if (pos_ >= in_.size()) return false;
  std::string_view rest = std::string_view(in_).substr(pos_);
  if (state_ == server_state::data) {
    pos_ += reader_.feed(rest);
    if (reader_.done()) end_of_data();
    return reader_.done() || pos_ < in_.size();
  }
  std::size_t used = 0;
  auto r = framer_.feed(rest, used);
  pos_ += used;
  if (r == line_framer::result::need_more) return false;
  if (r == line_framer::result::overlong) {
    error(reply{500, "5.5.2", "Line too long"});  // RFC 5321 4.5.3.1.4
  } else {
    handle_line(framer_.line());
  }
  return true;
}

void server_fsm::enter_state(server_state to) {
  if (to == state_) return;
  server_state from = state_;
  state_ = to;
  if (observer_.on_state) observer_.on_state(from, to);
}

void server_fsm::emit(reply r, phase at, bool decided) {
  bool closing = r.code == 421;  // RFC 5321 3.8: 421 means the server closes
  auto delay = closing ? std::chrono::milliseconds{0} : penalty();
  out_.push_back(server_action{server_action::kind::reply, std::move(r), at, decided, nullptr, delay, errors_});
  if (closing) {
    pending_.reset();
    enter_state(server_state::closed);
  }
}

// Postfix's tarpit: once a client has made soft_error_limit errors, every
// reply waits, and the wait grows by error_sleep with each further error
// (1s, 2s, ... with the defaults), so guessing passwords or pipelining
// junk gets slower and slower until the hard limit closes the session.
std::chrono::milliseconds server_fsm::penalty() const {
  if (errors_ < options_.soft_error_limit) return std::chrono::milliseconds{0};
  return options_.error_sleep * (errors_ - options_.soft_error_limit + 1);
}

// Protocol errors (500-504, 555) count toward the hard error limit, as
// Postfix's smtpd_hard_error_limit does; policy refusals do not.
void server_fsm::error(reply r) {
  bool protocol = (r.code >= 500 && r.code <= 504) || r.code == 555;
  if (protocol) ++errors_;
  emit(std::move(r));
  if (protocol) check_error_limit();
}

// Postfix smtpd_junk_command_limit: NOOP, RSET, VRFY and HELP are free up
// to the limit, then each one is also an error, so a client cannot keep a
// session (and its memory) busy for ever without sending mail.
void server_fsm::note_junk() {
  if (++junk_ <= options_.junk_command_limit) return;
  if (junk_ == options_.junk_command_limit + 1 && observer_.on_limit)
    observer_.on_limit({limit_kind::junk_commands, junk_, options_.junk_command_limit});
  ++errors_;
}

void server_fsm::check_error_limit() {
  if (state_ == server_state::closed || errors_ < options_.error_limit) return;
  if (observer_.on_limit) observer_.on_limit({limit_kind::errors, errors_, options_.error_limit});
  emit(reply{421, "4.7.0", options_.host_name + " Error: too many errors"});
}

void server_fsm::ask_for(ask what, phase at, std::string argument, reply proposed) {
  decision_request req;
  req.what = what;
  req.at = at;
  req.argument = std::move(argument);
  req.proposed = std::move(proposed);
  if (what == ask::mail) req.mail = next_mail_;
  if (what == ask::rcpt) req.rcpt = next_rcpt_;
  pending_ = std::move(req);
}

void server_fsm::reset_transaction() {
  envelope_ = envelope{};
  content_.clear();
}

void server_fsm::decide(reply answer) { decide_or_propose(std::move(answer)); }

void server_fsm::decide_or_propose(std::optional<reply> answer) {
  if (!pending_ || pending_->what == ask::message) return;
  decision_request req = std::move(*pending_);
  pending_.reset();
  reply chosen = answer ? std::move(*answer) : std::move(req.proposed);
  apply_decision(req, std::move(chosen));
}

void server_fsm::apply_decision(const decision_request& req, reply answer) {
  bool ok = answer.positive();
  bool counts_as_error = false;
  switch (req.what) {
    case ask::connect:
      // RFC 5321 3.1: after a 554 greeting only QUIT is useful; 4xx ends it.
      if (ok) enter_state(server_state::greeted);
      else if (answer.permanent()) enter_state(server_state::refused);
      else {
        emit(std::move(answer), phase::connect, true);
        return enter_state(server_state::closed);
      }
      break;
    case ask::helo:
      if (!ok) break;
      reset_transaction();  // RFC 5321 4.1.4: EHLO resets like RSET
      helo_name_ = req.argument;
      enter_state(server_state::ready);
      if (hello_verb_ != verb::helo) answer = ehlo_reply(answer);
      break;
    case ask::mail:
      if (ok) {
        envelope_ = envelope{req.mail->reverse_path, req.mail->params, {}};
        enter_state(server_state::mail);
      }
      break;
    case ask::rcpt:
      if (ok) {
        envelope_.recipients.push_back(*req.rcpt);
        enter_state(server_state::rcpt);
      }
      break;
    case ask::data:
      if (answer.code == 354) {
        reader_.reset(options_.max_message_size ? options_.max_message_size + 1 : UINT64_MAX);
        enter_state(server_state::data);
      }
      break;
    case ask::auth:
      // A failed AUTH is an error like any other (Postfix counts it), so
      // password guessing meets the tarpit and the hard limit.
      if (ok) auth_identity_ = req.credentials->authcid;
      else counts_as_error = true;
      enter_state(server_state::ready);
      break;
    case ask::quit:
      emit(std::move(answer), req.at, true);
      return enter_state(server_state::closed);
    case ask::message:
      break;
  }
  if (counts_as_error) ++errors_;
  emit(std::move(answer), req.at, true);
  if (counts_as_error) check_error_limit();
}

namespace {

// The keyword lines depend on four settings only, and a host's sessions
// ask for the same ones over and over: each set is made once per thread.
const std::vector<std::string>& ehlo_keywords(std::uint64_t size, bool dsn, bool starttls, bool auth) {
  struct made {
    std::uint64_t size;
    bool dsn, starttls, auth;
    std::vector<std::string> lines;
  };
  thread_local std::vector<made> sets;
  for (const auto& m : sets)
    if (m.size == size && m.dsn == dsn && m.starttls == starttls && m.auth == auth) return m.lines;
  capabilities caps;
  caps.pipelining = true;
  caps.size = size;
  caps.eight_bit_mime = true;
  caps.enhanced_status_codes = true;
  caps.dsn = dsn;
  caps.starttls = starttls;
  if (auth) caps.auth = {"PLAIN", "LOGIN"};
  if (sets.size() == 16) sets.erase(sets.begin());  // (a test's many settings)
  sets.push_back({size, dsn, starttls, auth, capability_lines(caps)});
  return sets.back().lines;
}

}  // namespace

reply server_fsm::ehlo_reply(const reply& answer) const {
  // RFC 3207 4: STARTTLS is offered until TLS is on; AUTH waits for TLS
  // where it is required (Postfix smtpd_tls_auth_only).
  const auto& keywords =
      ehlo_keywords(options_.max_message_size, options_.dsn_offered,
                    !options_.lmtp && options_.tls != net::tls_mode::off && !tls_,
                    options_.auth_offered && !tls_required_first());
  // RFC 2034 3: the EHLO reply itself carries no enhanced status.
  reply out;
  out.code = 250;
  out.lines.reserve(1 + keywords.size());
  out.lines.push_back(answer.text());
  out.lines.insert(out.lines.end(), keywords.begin(), keywords.end());
  return out;
}

// The final dot (RFC 5321 4.1.1.4); in LMTP one reply per accepted
// recipient, in RCPT order (RFC 2033 4.2).
void server_fsm::end_of_data() {
  if (observer_.on_data) observer_.on_data(reader_.size(), reader_.lines());
  enter_state(server_state::ready);
  if (options_.max_message_size && reader_.size() > options_.max_message_size) {
    std::size_t n = options_.lmtp ? envelope_.recipients.size() : 1;
    for (std::size_t i = 0; i < n; ++i) emit(reply{552, "5.3.4", "Message size exceeds fixed limit"}, phase::dot);
    return reset_transaction();
  }
  content_ = reader_.take_content();
  ask_for(ask::message, phase::dot, "", reply{250, "2.0.0", "Ok"});
}

void server_fsm::decide_message(std::vector<reply> answers) {
  if (!pending_ || pending_->what != ask::message || answers.empty()) return;
  pending_.reset();
  // Postfix's error and junk counts are "without delivering mail": a
  // message taken starts them again.
  if (answers.front().positive()) {
    errors_ = 0;
    junk_ = 0;
  }
  std::size_t n = options_.lmtp ? envelope_.recipients.size() : 1;
  for (std::size_t i = 0; i < n && state_ != server_state::closed; ++i)
    emit(answers[std::min(i, answers.size() - 1)], phase::dot, true);
  reset_transaction();
}

void server_fsm::on_timeout() {
  if (state_ == server_state::closed) return;
  pending_.reset();
  emit(reply{421, "4.4.2", options_.host_name + " Error: timeout exceeded"});
}

void server_fsm::on_end_of_input() {
  pending_.reset();
  awaiting_tls_ = false;
  enter_state(server_state::closed);
}

// RFC 3207 4.2: the server discards what it knew from the client (the
// EHLO argument, AUTH, the transaction) and waits for EHLO again.
void server_fsm::tls_started(net::tls_info agreed) {
  if (!awaiting_tls_ || state_ == server_state::closed) return;
  awaiting_tls_ = false;
  tls_ = std::move(agreed);
  reset_transaction();
  helo_name_.clear();
  auth_identity_.clear();
  in_.clear();
  pos_ = 0;
  framer_ = line_framer{};
  enter_state(server_state::greeted);
}

bool server_fsm::tls_required_first() const { return options_.tls == net::tls_mode::require && !tls_; }

}  // namespace sim::smtp
