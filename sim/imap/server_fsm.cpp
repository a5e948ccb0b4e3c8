// sim/imap/server_fsm.cpp - the IMAP server as a sans-I/O state machine.
#include "sim/imap/server_fsm.hpp"

#include <utility>

#include <fmt/format.h>

#include "sim/imap/limits.hpp"
#include "sim/message/text.hpp"

namespace sim::imap {

std::string_view to_string(server_state s) {
  switch (s) {
    case server_state::not_authenticated: return "not authenticated";
    case server_state::authenticated: return "authenticated";
    case server_state::selected: return "selected";
    case server_state::logout: return "logout";
  }
  return "?";
}

namespace {

constexpr unsigned bit(server_state s) { return 1u << static_cast<unsigned>(s); }
constexpr unsigned not_authenticated = bit(server_state::not_authenticated);
constexpr unsigned authenticated = bit(server_state::authenticated) | bit(server_state::selected);
constexpr unsigned selected = bit(server_state::selected);
constexpr unsigned any = not_authenticated | authenticated;

}  // namespace

// One row of the command table (RFC 9051 §6): where it is allowed and what does it.
struct server_fsm::command_spec {
  std::string_view name;
  unsigned states;
  void (server_fsm::*proceed)(const command_head&, command_args&);
};

// Held by the store (weakly): store changes reach the session through it.
class server_fsm::listener final : public change_listener {
 public:
  explicit listener(server_fsm& fsm) : fsm_(fsm) {}
  void folder_changed(std::string_view folder) override { fsm_.folder_changed(folder); }

 private:
  server_fsm& fsm_;
};

const server_fsm::command_spec* server_fsm::find_command(std::string_view name) {
  static const command_spec table[] = {
      // RFC 9051 §6.1: any state.
      {"CAPABILITY", any, &server_fsm::on_capability},
      {"NOOP", any, &server_fsm::on_noop},
      {"LOGOUT", any, &server_fsm::on_logout},
      {"ID", any, &server_fsm::on_id},
      // §6.2: not authenticated.
      {"STARTTLS", not_authenticated, &server_fsm::on_starttls},
      {"LOGIN", not_authenticated, &server_fsm::on_login},
      {"AUTHENTICATE", not_authenticated, &server_fsm::on_authenticate},
      // §6.3: authenticated (and selected).  RFC 5161 §3.1: ENABLE only
      // before a mailbox is selected.
      {"ENABLE", bit(server_state::authenticated), &server_fsm::on_enable},
      {"SELECT", authenticated, &server_fsm::on_select},
      {"EXAMINE", authenticated, &server_fsm::on_select},
      {"CREATE", authenticated, &server_fsm::on_create},
      {"DELETE", authenticated, &server_fsm::on_delete},
      {"RENAME", authenticated, &server_fsm::on_rename},
      {"SUBSCRIBE", authenticated, &server_fsm::on_subscribe},
      {"UNSUBSCRIBE", authenticated, &server_fsm::on_subscribe},
      {"LIST", authenticated, &server_fsm::on_list},
      {"LSUB", authenticated, &server_fsm::on_list},
      {"NAMESPACE", authenticated, &server_fsm::on_namespace},
      {"STATUS", authenticated, &server_fsm::on_status},
      {"APPEND", authenticated, &server_fsm::on_append},
      {"IDLE", authenticated, &server_fsm::on_idle},
      // §6.4: selected.
      {"CHECK", selected, &server_fsm::on_check},
      {"CLOSE", selected, &server_fsm::on_close},
      {"UNSELECT", selected, &server_fsm::on_unselect},
      {"EXPUNGE", selected, &server_fsm::on_expunge},
      {"SEARCH", selected, &server_fsm::on_search},
      {"FETCH", selected, &server_fsm::on_fetch},
      {"STORE", selected, &server_fsm::on_store},
      {"COPY", selected, &server_fsm::on_copy},
      {"MOVE", selected, &server_fsm::on_copy},
  };
  for (const auto& spec : table) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

// RFC 2595 §3.1: without TLS offered, STARTTLS is a command we do not know.
const server_fsm::command_spec* server_fsm::offered_command(std::string_view name) const {
  if (name == "STARTTLS" && config_.tls == net::tls_mode::off) return nullptr;
  return find_command(name);
}

server_fsm::server_fsm(mail_store& store, server_config config)
    : store_(store), config_(std::move(config)), tls_active_(config_.tls_active) {}

// The listener dies with the machine, so the store never calls a dead one.
server_fsm::~server_fsm() = default;

std::string server_fsm::capabilities() const {
  std::string caps =
      "IMAP4rev1 LITERAL+ ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE SPECIAL-USE CHILDREN";
  if (state_ != server_state::not_authenticated) return caps;
  // RFC 9051 §6.2.1: STARTTLS only before TLS; §6.2.3 and §7.2.2:
  // LOGINDISABLED, and no AUTH= mechanism, while passwords are refused.
  if (config_.tls != net::tls_mode::off && !tls_active_) caps += " STARTTLS";
  caps += login_disabled() ? " LOGINDISABLED" : " SASL-IR AUTH=PLAIN";
  return caps;
}

std::vector<server_action> server_fsm::tls_started() {
  if (!awaiting_tls_) return {};
  awaiting_tls_ = false;
  tls_active_ = true;
  reader_ = command_reader{};  // the plaintext pipelined after STARTTLS is gone
  return drain();
}

std::vector<server_action> server_fsm::start() {
  untagged(fmt::format("OK [CAPABILITY {}] {} IMAP4rev1 server ready", capabilities(), config_.host_name));
  return std::exchange(out_, {});
}

std::vector<server_action> server_fsm::receive(std::string_view bytes) {
  if (state_ == server_state::logout || awaiting_tls_) return {};
  reader_.feed(bytes);
  return drain();
}

std::vector<server_action> server_fsm::drain() {
  while (state_ != server_state::logout && !awaiting_tls_) {
    if (mode_ == input_mode::commands) {
      auto ev = reader_.next();
      if (!ev) break;
      handle_event(*ev);
    } else {
      auto line = reader_.next_line();
      if (!line) break;
      handle_raw_line(*line);
    }
  }
  return std::exchange(out_, {});
}

std::vector<server_action> server_fsm::poll() {
  if (mode_ != input_mode::idle || !dirty_ || !selected_) return {};
  finish_command({pending_tag_, "IDLE", false});
  return std::exchange(out_, {});
}

std::vector<server_action> server_fsm::goodbye(std::string_view text) {
  if (state_ == server_state::logout) return {};
  bye("", text);
  return std::exchange(out_, {});
}

void server_fsm::handle_event(reader_event& ev) {
  switch (ev.what) {
    case reader_event::kind::command: handle_command(ev.text); break;
    case reader_event::kind::literal_request: handle_literal_request(ev); break;
    case reader_event::kind::too_long:
      out_.push_back(command_action{ev.text + "..."});
      bad(split_command(ev.text).tag, fmt::format("command line too long (limit {} octets)", limits::command_line));
      finish_command({});
      break;
    case reader_event::kind::literal_too_big:
      // RFC 7888 §4: the octets are on their way and cannot be refused.
      out_.push_back(command_action{display_command(ev.text)});
      bye("TOOBIG", fmt::format("non-synchronizing literal too large (limit {} octets)", limits::literal_size));
      break;
  }
}

void server_fsm::handle_command(const std::string& text) {
  if (++commands_ > limits::max_commands) {
    bye("LIMIT", "too many commands in one session");
    return;
  }
  out_.push_back(command_action{display_command(text)});
  auto split = split_command(text);
  if (!split.head) {
    bad(split.tag, text.empty() ? "empty command line" : split.error);
    return finish_command({});
  }
  const command_head& head = *split.head;
  const command_spec* spec = offered_command(head.name);
  if (!spec) {
    bad(head.tag, fmt::format("unknown command {}", head.name));
  } else if (!(spec->states & bit(state_))) {
    bad(head.tag, fmt::format("{} is not allowed in the {} state", head.name, to_string(state_)));
  } else {
    parser p(text);
    p.seek(split.arguments_at);
    if (auto args = parse_arguments(head, p)) {
      (this->*spec->proceed)(head, *args);
    } else {
      bad(head.tag, p.error());
    }
  }
  if (mode_ == input_mode::commands) finish_command(head);
}

// RFC 9051 §4.3: the server answers a synchronizing literal with "+" or
// with a tagged NO/BAD, which tells the client not to send it.
void server_fsm::handle_literal_request(const reader_event& ev) {
  auto split = split_command(ev.text);
  const command_spec* spec = split.head ? offered_command(split.head->name) : nullptr;
  bool password = spec && (spec->name == "LOGIN" || spec->name == "AUTHENTICATE");
  if (!ev.within_limits) {
    out_.push_back(command_action{display_command(ev.text)});
    no(split.tag.value_or("*"), "TOOBIG", fmt::format("literal too large (limit {} octets)", limits::literal_size));
    ++errors_;
  } else if (password && state_ == server_state::not_authenticated && login_disabled()) {
    // Refused before the client sends a password in the clear.
    out_.push_back(command_action{display_command(ev.text)});
    privacy_required(split.head->tag);
  } else if (!split.head || !spec || !(spec->states & bit(state_))) {
    // The command is refused whatever the literal holds.
    handle_command(ev.text.substr(0, ev.text.size() - 2));
    reader_.reject_literal();
    return;
  } else {
    send("+ Ready for literal data\r\n");
    reader_.accept_literal();
    return;
  }
  reader_.reject_literal();
  finish_command({});
}

void server_fsm::handle_raw_line(const raw_line& line) {
  std::string tag = std::exchange(pending_tag_, {});
  if (mode_ == input_mode::authenticate) {
    mode_ = input_mode::commands;
    out_.push_back(command_action{line.text == "*" ? "*" : "********"});
    // RFC 9051 §6.2.2: "*" cancels; so does anything that is not base64.
    if (line.too_long) bad(tag, "authentication response too long");
    else if (line.text == "*") bad(tag, "AUTHENTICATE cancelled");
    else check_plain(tag, line.text);
    return finish_command({tag, "AUTHENTICATE", false});
  }
  mode_ = input_mode::commands;
  out_.push_back(command_action{line.too_long ? "..." : line.text});
  // RFC 2177 §3: the client ends IDLE with DONE.
  if (!line.too_long && message::iequals(line.text, "DONE")) ok(tag, "", "IDLE terminated");
  else bad(tag, "expected DONE to end IDLE");
  finish_command({tag, "IDLE", false});
}

// After a command: the untagged updates it may carry (RFC 9051 §7.5.1: no
// EXPUNGE while answering FETCH, STORE or SEARCH), then its tagged
// response, then BYE if a limit was reached.
void server_fsm::finish_command(const command_head& head) {
  bool allow_expunge = head.uid || (head.name != "FETCH" && head.name != "STORE" && head.name != "SEARCH");
  if (selected_ && !logout_ && (dirty_ || (allow_expunge && selected_->pending_expunges()))) {
    bool alive = true;
    dirty_ = false;
    auto updates = selected_->sync(store_, user_, allow_expunge, alive);
    if (!alive) {
      bye("", "the selected mailbox was deleted or renamed by another session");
      return;
    }
    if (!updates.empty()) send(std::move(updates));
  }
  if (!tagged_.empty()) send(std::exchange(tagged_, {}));
  if (awaiting_tls_) {
    out_.emplace_back(std::in_place_type<starttls_action>);
  } else if (logout_) {
    enter_state(server_state::logout);
    out_.emplace_back(std::in_place_type<close_action>);
  } else if (errors_ >= limits::max_errors) {
    bye("", "too many errors, signing off");
  }
}

void server_fsm::enter_state(server_state next) {
  if (next == state_) return;
  server_state from = std::exchange(state_, next);
  if (next != server_state::selected) {
    selected_.reset();
    dirty_ = false;
  }
  if (config_.on_state) config_.on_state(from, next);
}

void server_fsm::watch_user() {
  listener_ = std::make_shared<listener>(*this);
  store_.watch(user_, listener_);
}

void server_fsm::folder_changed(std::string_view folder) {
  if (!selected_ || selected_->folder() != folder) return;
  dirty_ = true;
  if (mode_ == input_mode::idle && config_.on_change) config_.on_change();
}

void server_fsm::send(std::string bytes) { out_.push_back(send_action{std::move(bytes)}); }

void server_fsm::untagged(std::string_view text) { send(fmt::format("* {}\r\n", text)); }

void server_fsm::ok(const std::string& tag, std::string_view code, std::string_view text) {
  tagged_ = code.empty() ? fmt::format("{} OK {}\r\n", tag, text) : fmt::format("{} OK [{}] {}\r\n", tag, code, text);
}

void server_fsm::no(const std::string& tag, std::string_view code, std::string_view text) {
  tagged_ = code.empty() ? fmt::format("{} NO {}\r\n", tag, text) : fmt::format("{} NO [{}] {}\r\n", tag, code, text);
}

void server_fsm::bad(const std::optional<std::string>& tag, std::string_view text) {
  ++errors_;
  tagged_ = fmt::format("{} BAD {}\r\n", tag.value_or("*"), text);
}

// RFC 9051 §7.1.5: the server is about to close the connection.
void server_fsm::bye(std::string_view code, std::string_view text) {
  if (!tagged_.empty()) send(std::exchange(tagged_, {}));
  untagged(code.empty() ? fmt::format("BYE {}", text) : fmt::format("BYE [{}] {}", code, text));
  mode_ = input_mode::commands;
  enter_state(server_state::logout);
  out_.emplace_back(std::in_place_type<close_action>);
}

void server_fsm::store_refused(const std::string& tag, store_status status, std::string_view what) {
  switch (status) {
    case store_status::ok: ok(tag, "", fmt::format("{} completed", what)); return;
    case store_status::nonexistent: no(tag, "NONEXISTENT", "no such mailbox"); return;
    case store_status::already_exists: no(tag, "ALREADYEXISTS", "mailbox already exists"); return;
    case store_status::has_children: no(tag, "HASCHILDREN", "mailbox has mailboxes under it"); return;
    case store_status::cannot: no(tag, "CANNOT", fmt::format("{} cannot be done on that mailbox", what)); return;
    case store_status::over_quota: no(tag, "OVERQUOTA", "quota exceeded"); return;
    case store_status::limit: no(tag, "LIMIT", "too many mailboxes or keywords"); return;
  }
}

}  // namespace sim::imap
