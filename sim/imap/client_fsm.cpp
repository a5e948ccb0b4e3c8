// sim/imap/client_fsm.cpp - the MUA's IMAP fetch as a sans-I/O state machine.
#include "sim/imap/client_fsm.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "sim/core/ascii.hpp"
#include "sim/imap/command.hpp"
#include "sim/imap/limits.hpp"
#include "sim/imap/mailbox_name.hpp"
#include "sim/imap/parser.hpp"
#include "sim/imap/sequence_set.hpp"
#include "sim/imap/syntax.hpp"
#include "sim/message/message.hpp"
#include "sim/message/mime.hpp"

namespace sim::imap {

std::string_view to_string(fetch_error e) {
  switch (e) {
    case fetch_error::none: return "none";
    case fetch_error::greeting: return "greeting";
    case fetch_error::auth: return "auth";
    case fetch_error::select: return "select";
    case fetch_error::command: return "command";
    case fetch_error::protocol: return "protocol";
    case fetch_error::closed: return "closed";
    case fetch_error::timeout: return "timeout";
    case fetch_error::tls: return "tls";
  }
  return "?";
}

namespace {

reader_limits response_limits() {
  reader_limits l;
  l.line = limits::response_line;
  return l;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find("\r\n")); }

}  // namespace

client_fsm::client_fsm(fetch_config config) : config_(std::move(config)), reader_(response_limits()) {}

std::vector<client_action> client_fsm::receive(std::string_view bytes) {
  if (done()) return {};
  reader_.feed(bytes);
  while (!done()) {
    auto ev = reader_.next();
    if (!ev) break;
    if (ev->what == reader_event::kind::literal_request && ev->within_limits) {
      // A server's literal never waits for us (RFC 9051 §4.3 is one-way).
      reader_.accept_literal();
      continue;
    }
    if (ev->what != reader_event::kind::command) {
      fail(fetch_error::protocol, "response too large", false);
      break;
    }
    auto r = parse_response(ev->text);
    if (!r) fail(fetch_error::protocol, first_line(ev->text), false);
    else handle(*r, ev->text);
  }
  return std::exchange(out_, {});
}

// The session closes the connection itself, so no client_close is queued.
void client_fsm::on_eof() {
  // A server may close right after its BYE to our LOGOUT.
  if (phase_ == phase::logout) phase_ = phase::done;
  stop(fetch_error::closed);
}

void client_fsm::on_timeout() { stop(fetch_error::timeout); }

void client_fsm::stop(fetch_error e) {
  if (done()) return;
  if (result_.error == fetch_error::none) result_.error = e;
  phase_ = phase::done;
}

bool client_fsm::offers(std::string_view capability) const {
  return std::find(capabilities_.begin(), capabilities_.end(), capability) != capabilities_.end();
}

void client_fsm::handle(const response& r, const std::string& text) {
  std::string line = first_line(text);
  if (r.what == response::kind::continuation) {
    if (waiting_.empty()) return fail(fetch_error::protocol, line, false);
    auto p = std::move(waiting_.front());
    waiting_.erase(waiting_.begin());
    out_.push_back(client_send{std::move(p.bytes), std::move(p.masked)});
    return;
  }
  if (r.what == response::kind::untagged) return on_untagged(r, text);
  if (r.tag != tag_) return fail(fetch_error::protocol, line, false);
  waiting_.clear();
  on_tagged(r, line);
}

void client_fsm::on_untagged(const response& r, const std::string& text) {
  std::string line = first_line(text);
  if (r.code.starts_with("CAPABILITY ")) capabilities_ = capability_list(r.code.substr(11));
  if (phase_ == phase::greeting) {
    if (r.keyword == "PREAUTH") {
      // RFC 9051 6.2.1: no STARTTLS once authenticated.
      if (config_.tls != net::tls_level::none && config_.tls != net::tls_level::may)
        return fail(fetch_error::tls, "TLS is required, but the server logged us in without it (PREAUTH)", true);
      return command(phase::auth, {{"NOOP\r\n"}});
    }
    if (r.keyword != "OK") return fail(fetch_error::greeting, line, false);
    if (capabilities_.empty()) return command(phase::capability, {{"CAPABILITY\r\n"}});
    return open();
  }
  // RFC 9051 7.1: nothing comes between STARTTLS's OK and the handshake.
  if (phase_ == phase::tls) return fail(fetch_error::protocol, line, false);
  if (r.keyword == "BYE" && phase_ != phase::logout) return fail(fetch_error::closed, line, false);
  if (r.keyword == "CAPABILITY") capabilities_ = capability_list(r.rest);
  if (phase_ == phase::select && r.code.starts_with("UIDVALIDITY ")) {
    parser p(std::string_view(r.code).substr(12));
    result_.uidvalidity = p.number().value_or(0);
  }
  if (phase_ == phase::search && r.keyword == "SEARCH") {
    auto numbers = search_numbers(r.rest);
    if (!numbers) return fail(fetch_error::protocol, line, true);
    uids_ = std::move(*numbers);
    std::sort(uids_.begin(), uids_.end());
    uids_.erase(std::unique(uids_.begin(), uids_.end()), uids_.end());  // each message fetched once
  }
  if (phase_ == phase::fetch && r.keyword == "FETCH") {
    auto data = parse_fetch_data(r.rest);
    if (!data) return fail(fetch_error::protocol, line, true);
    std::uint32_t wanted = uids_[next_ - 1];
    // A server repeating the FETCH data does not make a second message.
    bool have = !fetched_uids_.empty() && fetched_uids_.back() == wanted;
    if (data->uid == wanted && data->body && !have) {
      if (reader()) {
        auto id = message::header_value(*data->body, "Message-ID");
        const auto& spam = config_.report_spam;
        if (id && std::find(spam.begin(), spam.end(), *id) != spam.end()) spam_uids_.push_back(wanted);
      }
      result_.messages.push_back({wanted, std::move(*data->body)});
      fetched_uids_.push_back(wanted);
    }
  }
  if (phase_ == phase::list_junk && r.keyword == "LIST") on_list(r.rest);
}

// RFC 9051 §7.3.1: "* LIST (\HasNoChildren \Junk) "/" Junk"; the first
// folder with the \Junk attribute (RFC 6154 §2) is the one.
void client_fsm::on_list(const std::string& rest) {
  if (!junk_wire_.empty()) return;
  parser p(rest);
  if (!p.skip('(')) return;
  std::string attributes(p.until(")"));
  if (!p.skip(')') || !p.space()) return;
  if (!p.word("NIL") && !p.quoted()) return;
  if (!p.space()) return;
  auto name = p.astring();
  if (!name) return;
  parser a(attributes);
  while (!a.at_end()) {
    std::string_view flag = a.until(" ");
    if (ascii::iequals(flag, "\\Junk")) {
      junk_wire_ = *name;
      result_.junk_folder = decode_mailbox(*name).name.value_or(*name);
      return;
    }
    if (!a.space()) break;
  }
}

void client_fsm::on_tagged(const response& r, const std::string& line) {
  if (r.keyword != "OK") {
    switch (phase_) {
      case phase::capability: return fail(fetch_error::protocol, line, true);
      case phase::starttls:
        if (config_.tls == net::tls_level::may) return authenticate();
        return fail(fetch_error::tls, "TLS is required, but the server refused STARTTLS: " + line, true);
      case phase::auth: return fail(fetch_error::auth, line, true);
      case phase::select: return fail(fetch_error::select, line, true);
      case phase::logout: return fail(fetch_error::command, line, false);
      // RFC 9051 §6.3.4: CREATE of a folder that exists is NO ([ALREADYEXISTS]): move on.
      case phase::create: return move_fetched();
      default: return fail(fetch_error::command, line, true);
    }
  }
  switch (phase_) {
    case phase::capability: return open();
    case phase::starttls:
      phase_ = phase::tls;
      out_.emplace_back(std::in_place_type<client_starttls>);
      return;
    case phase::auth: {
      std::vector<part> parts{{"SELECT "}};
      add_string(parts, encode_mailbox(config_.folder));
      parts.back().bytes += "\r\n";
      return command(phase::select, std::move(parts));
    }
    case phase::select: return search();
    case phase::fetch: {
      std::uint32_t uid = uids_[next_ - 1];
      // A message expunged meanwhile returns nothing: go on with the next.
      // A reader's BODY[] set \Seen already.
      if (fetched_uids_.empty() || fetched_uids_.back() != uid || reader()) return next_message();
      auto flags = config_.delete_messages ? "(\\Seen \\Deleted)" : "(\\Seen)";
      return command(phase::store, {{fmt::format("UID STORE {} +FLAGS.SILENT {}\r\n", uid, flags)}});
    }
    case phase::search:
    case phase::store: return next_message();
    case phase::move:
      if (reader()) result_.reported = spam_uids_;
      return command(phase::logout, {{"LOGOUT\r\n"}});
    case phase::expunge: return command(phase::logout, {{"LOGOUT\r\n"}});
    case phase::create: return move_fetched();
    case phase::list_junk: return on_junk_listed();
    case phase::logout: return finish();
    case phase::greeting:
    case phase::tls:
    case phase::done: return;
  }
}

void client_fsm::open() {
  if (tls_active_ || config_.tls == net::tls_level::none) return authenticate();
  if (offers("STARTTLS")) return command(phase::starttls, {{"STARTTLS\r\n"}});
  if (config_.tls == net::tls_level::may) return authenticate();
  fail(fetch_error::tls, "TLS is required, but the server does not offer STARTTLS", true);
}

// RFC 9051 6.2.1: capabilities learnt before TLS are forgotten and asked for again.
std::vector<client_action> client_fsm::tls_started() {
  if (phase_ != phase::tls) return {};
  tls_active_ = true;
  capabilities_.clear();
  command(phase::capability, {{"CAPABILITY\r\n"}});
  return std::exchange(out_, {});
}

// The connection is not trusted after a failed handshake: no LOGOUT.
void client_fsm::tls_failed(const std::string& reason) {
  if (phase_ != phase::tls) return;
  if (result_.error == fetch_error::none) {
    result_.error = fetch_error::tls;
    result_.reply = "TLS handshake failed: " + reason;
  }
  phase_ = phase::done;
  waiting_.clear();
}

// RFC 4616 PLAIN in AUTHENTICATE (RFC 4959 initial response when offered),
// else LOGIN (RFC 9051 §6.2.3).
void client_fsm::authenticate() {
  if (offers("AUTH=PLAIN")) {
    std::string credentials = std::string(1, '\0') + config_.user + std::string(1, '\0') + config_.password;
    std::string b64 = message::base64_encode(credentials, 0);
    if (offers("SASL-IR")) {
      return command(phase::auth, {{fmt::format("AUTHENTICATE PLAIN {}\r\n", b64)}});
    }
    return command(phase::auth, {{"AUTHENTICATE PLAIN\r\n"}, {b64 + "\r\n", false, "********"}});
  }
  if (offers("LOGINDISABLED")) return fail(fetch_error::auth, "the server refuses LOGIN (LOGINDISABLED)", true);
  std::vector<part> parts{{"LOGIN "}};
  add_string(parts, config_.user);
  parts.back().bytes += ' ';
  add_string(parts, config_.password);
  parts.back().bytes += "\r\n";
  command(phase::auth, std::move(parts));
}

void client_fsm::next_message() {
  if (next_ < uids_.size()) {
    std::uint32_t uid = uids_[next_++];
    return command(phase::fetch, {{fmt::format("UID FETCH {} {}\r\n", uid, reader() ? "BODY[]" : "BODY.PEEK[]")}});
  }
  if (report_spam()) return;
  if (!config_.move_to.empty() && !fetched_uids_.empty()) {
    std::vector<part> parts{{"CREATE "}};
    add_string(parts, encode_mailbox(config_.move_to));
    parts.back().bytes += "\r\n";
    return command(phase::create, std::move(parts));
  }
  if (config_.delete_messages && !fetched_uids_.empty()) {
    // RFC 4315 §2.1: UID EXPUNGE leaves other \Deleted messages alone.
    std::string line = offers("UIDPLUS") ? fmt::format("UID EXPUNGE {}\r\n", format_set(fetched_uids_)) : "EXPUNGE\r\n";
    return command(phase::expunge, {{line}});
  }
  command(phase::logout, {{"LOGOUT\r\n"}});
}

// RFC 6851 §3.2: UID MOVE, when the server offers MOVE.
void client_fsm::move_fetched() {
  if (!offers("MOVE")) return fail(fetch_error::command, "the server does not offer MOVE", true);
  std::vector<part> parts{{fmt::format("UID MOVE {} ", format_set(fetched_uids_))}};
  add_string(parts, encode_mailbox(config_.move_to));
  parts.back().bytes += "\r\n";
  command(phase::move, std::move(parts));
}

// UNSEEN, or a reader's messages by Message-ID (RFC 9051 §6.4.4 HEADER:
// a substring of the field; "OR a OR b c" for several).
void client_fsm::search() {
  if (!reader()) return command(phase::search, {{"UID SEARCH UNSEEN\r\n"}});
  std::vector<part> parts{{"UID SEARCH "}};
  const auto& ids = config_.message_ids;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i + 1 < ids.size()) parts.back().bytes += "OR ";
    parts.back().bytes += "HEADER Message-ID ";
    add_string(parts, ids[i]);
    parts.back().bytes += i + 1 < ids.size() ? " " : "\r\n";
  }
  command(phase::search, std::move(parts));
}

// RFC 6154 §5.1 (with RFC 5258's RETURN): the folders and their special use.
bool client_fsm::report_spam() {
  if (!reader() || spam_uids_.empty()) return false;
  if (!offers("SPECIAL-USE") || !offers("MOVE")) {
    fail(fetch_error::command, "the server offers no SPECIAL-USE and MOVE to report spam with", true);
    return true;
  }
  command(phase::list_junk, {{"LIST \"\" \"*\" RETURN (SPECIAL-USE)\r\n"}});
  return true;
}

void client_fsm::on_junk_listed() {
  if (junk_wire_.empty()) return fail(fetch_error::command, "the mailbox has no \\Junk folder", true);
  std::vector<part> parts{{fmt::format("UID MOVE {} ", format_set(spam_uids_))}};
  add_string(parts, junk_wire_);
  parts.back().bytes += "\r\n";
  command(phase::move, std::move(parts));
}

void client_fsm::add_string(std::vector<part>& parts, std::string_view value) {
  if (quotable(value) && value.size() <= limits::small_literal) {
    parts.back().bytes += format_astring(value);
    return;
  }
  parts.back().bytes += fmt::format("{{{}}}\r\n", value.size());
  parts.push_back({std::string(value), true});
}

void client_fsm::command(phase next, std::vector<part> parts) {
  phase_ = next;
  tag_ = fmt::format("m{}", ++tags_);
  parts.front().bytes = tag_ + " " + parts.front().bytes;
  // The trace shows the command as display_command() does (literals as
  // "{n}", credentials masked); a SASL response after "+" is its own line.
  std::string shown = parts.front().bytes;
  for (std::size_t i = 1; i < parts.size() && parts[i].literal; ++i) shown += parts[i].bytes;
  parts.front().masked = display_command(std::string_view(shown).substr(0, shown.size() - 2));
  // RFC 7888: with LITERAL+ a literal need not wait for "+".
  std::vector<part> merged;
  for (auto& p : parts) {
    if (!merged.empty() && p.literal && offers("LITERAL+")) {
      // "...{n}\r\n" becomes "...{n+}\r\n" followed by the octets.
      auto& last = merged.back().bytes;
      last.resize(last.size() - 3);
      last.append("+}\r\n").append(p.bytes);
    } else {
      merged.push_back(std::move(p));
    }
  }
  out_.push_back(client_send{std::move(merged.front().bytes), std::move(merged.front().masked)});
  waiting_.assign(std::make_move_iterator(merged.begin() + 1), std::make_move_iterator(merged.end()));
}

void client_fsm::fail(fetch_error e, const std::string& line, bool logout) {
  if (result_.error == fetch_error::none) {
    result_.error = e;
    result_.reply = line;
  }
  if (logout) return command(phase::logout, {{"LOGOUT\r\n"}});
  finish();
}

void client_fsm::finish() {
  phase_ = phase::done;
  waiting_.clear();
  out_.emplace_back(std::in_place_type<client_close>);
}

}  // namespace sim::imap
