// tests/sim/pop3/server_driver.hpp - runs a server_fsm against a memory_maildrop
// the way server_session does, and records what it did.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/pop3/memory_maildrop.hpp"
#include "sim/pop3/server_fsm.hpp"

namespace sim::pop3::test {

class server_driver {
 public:
  explicit server_driver(memory_maildrop& drop, tls_settings tls = {}) : fsm(tls), drop_(drop) { apply(fsm.start()); }

  void feed(std::string_view bytes) { apply(fsm.receive(bytes)); }
  // Feeds the bytes in pieces cut at these offsets (ascending).
  void feed_split(std::string_view bytes, const std::vector<std::size_t>& cuts) {
    std::size_t from = 0;
    for (auto cut : cuts) {
      feed(bytes.substr(from, cut - from));
      from = cut;
    }
    feed(bytes.substr(from));
  }
  // What the server sent since the last call.
  std::string take_sent() { return std::exchange(sent, {}); }
  // The session ends: the lock goes, deletions do not happen without a commit.
  void drop_connection() {
    if (!locked_user.empty()) drop_.unlock(locked_user);
    locked_user.clear();
  }

  server_fsm fsm;
  std::string sent;
  std::vector<std::string> commands;
  std::vector<std::vector<std::string>> commits;
  std::string locked_user;
  bool closed = false;
  int handshakes = 0;
  // When set, every PASS is answered so (as a session's login limiter would).
  std::optional<authorization::status> answer_with;

 private:
  void apply(std::vector<server_action> actions) {
    for (auto& action : actions) {
      if (auto* s = std::get_if<send_action>(&action)) {
        sent += s->bytes;
      } else if (auto* c = std::get_if<command_action>(&action)) {
        commands.push_back(c->line);
      } else if (auto* a = std::get_if<authorize_action>(&action)) {
        auto answer = answer_with ? authorization{*answer_with, {}} : authorize(drop_, a->user, a->password);
        if (answer.result == authorization::status::granted) locked_user = a->user;
        apply(fsm.authorized(std::move(answer)));
      } else if (auto* m = std::get_if<commit_action>(&action)) {
        commits.push_back(m->deleted_uids);
        drop_.commit(locked_user, m->deleted_uids);
      } else if (std::holds_alternative<starttls_action>(action)) {
        ++handshakes;  // the session's handshake, here always agreed
        apply(fsm.tls_started());
      } else {
        closed = true;
        drop_connection();
      }
    }
  }

  memory_maildrop& drop_;
};

}  // namespace sim::pop3::test
