// tests/sim/imap/server_driver.hpp - runs a server_fsm against a memory_mail_store
// the way server_session does, and records what it did.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/imap/memory_mail_store.hpp"
#include "sim/imap/server_fsm.hpp"

namespace sim::imap::test {

// 2026-01-05T09:00:00Z, the scenarios' default start.
inline wall_time start_time() { return wall_time{std::chrono::seconds{1767603600}}; }

class server_driver {
 public:
  // `tls`: the host's offer; the handshake of a STARTTLS succeeds at once
  // (tls_started()) unless `handshake_at_once` is cleared.
  explicit server_driver(memory_mail_store& store, sim::net::tls_mode tls = sim::net::tls_mode::off)
      : fsm(store, config(*this, tls)) {
    apply(fsm.start());
  }

  // Feeds bytes; returns what the server wrote meanwhile.
  std::string send(std::string_view bytes) {
    apply(fsm.receive(bytes));
    return take();
  }
  // Feeds the bytes in pieces cut at these offsets (ascending).
  std::string send_split(std::string_view bytes, const std::vector<std::size_t>& cuts) {
    std::size_t from = 0;
    for (auto cut : cuts) {
      apply(fsm.receive(bytes.substr(from, cut - from)));
      from = cut;
    }
    apply(fsm.receive(bytes.substr(from)));
    return take();
  }
  std::string poll() {
    apply(fsm.poll());
    return take();
  }
  std::string take() { return std::exchange(wire, {}); }

  server_fsm fsm;
  std::string wire;
  std::vector<std::string> commands;
  std::vector<std::string> transitions;
  std::size_t syncs = 0;
  std::size_t wakeups = 0;
  std::size_t handshakes = 0;
  bool handshake_at_once = true;
  bool closed = false;

 private:
  static server_config config(server_driver& d, sim::net::tls_mode tls) {
    server_config c;
    c.tls = tls;
    c.host_name = "mx.test";
    c.now = [] { return start_time() + std::chrono::hours(1); };
    c.on_change = [&d] { ++d.wakeups; };
    c.on_state = [&d](server_state from, server_state to) {
      d.transitions.push_back(std::string(to_string(from)) + " -> " + std::string(to_string(to)));
    };
    return c;
  }
  void handshake() {
    ++handshakes;
    if (handshake_at_once) apply(fsm.tls_started());
  }
  void apply(std::vector<server_action> actions) {
    for (auto& action : actions) {
      if (auto* s = std::get_if<send_action>(&action)) wire += s->bytes;
      else if (auto* c = std::get_if<command_action>(&action)) commands.push_back(c->line);
      else if (std::holds_alternative<sync_action>(action)) ++syncs;
      else if (std::holds_alternative<starttls_action>(action)) handshake();
      else closed = true;
    }
  }
};

// The lines of server output (CRLF removed; literal octets stay inside).
inline std::vector<std::string> lines_of(const std::string& wire) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < wire.size()) {
    auto end = wire.find("\r\n", pos);
    if (end == std::string::npos) end = wire.size();
    out.push_back(wire.substr(pos, end - pos));
    pos = end + 2;
  }
  return out;
}

// The last line (the tagged response, usually).
inline std::string last_line(const std::string& wire) {
  auto lines = lines_of(wire);
  return lines.empty() ? std::string{} : lines.back();
}

}  // namespace sim::imap::test
