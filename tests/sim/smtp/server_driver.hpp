// A test driver for server_fsm: feeds input, answers decisions, collects the wire output.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/smtp/server_fsm.hpp"

namespace sim::smtp::test {

struct server_driver {
  using decider = std::function<std::optional<reply>(const decision_request&, const server_fsm&)>;

  explicit server_driver(server_options options = default_options(), decider d = {})
      : fsm(std::move(options), observer()), decide(std::move(d)) {
    run();
  }

  static server_options default_options() {
    server_options o;
    o.host_name = "mx.test";
    return o;
  }

  server_observer observer() {
    server_observer o;
    o.on_state = [this](server_state from, server_state to) {
      transitions.push_back(std::string(state_name(from)) + " -> " + std::string(state_name(to)));
    };
    o.on_command = [this](const std::string& line) { commands.push_back(line); };
    o.on_limit = [this](const limit_event& l) { limits.push_back(l); };
    return o;
  }

  // Feeds `input`, runs until more input is needed; returns what the server wrote.
  std::string send(std::string_view input) {
    std::size_t before = wire.size();
    fsm.feed(input);
    run();
    return wire.substr(before);
  }

  void run() {
    while (true) {
      auto a = fsm.next();
      switch (a.what) {
        case server_action::kind::need_input: return;
        case server_action::kind::close: closed = true; return;
        case server_action::kind::start_tls:
          // The session's handshake (RFC 3207): agreed, or failed and closed.
          ++handshakes;
          if (!handshake) {
            fsm.on_end_of_input();
            closed = true;
            return;
          }
          fsm.tls_started(*handshake);
          break;
        case server_action::kind::reply:
          wire += format_reply(a.out);
          phases.push_back(a.at);
          delays.push_back(a.delay);
          break;
        case server_action::kind::decide: {
          requests.push_back(*a.request);
          std::optional<reply> r = decide ? decide(*a.request, fsm) : std::nullopt;
          if (a.request->what == ask::message) {
            contents.push_back(fsm.content());
            fsm.decide_message({r.value_or(a.request->proposed)});
          } else {
            fsm.decide_or_propose(std::move(r));  // the request's own reply when r is empty
          }
          break;
        }
      }
    }
  }

  server_fsm fsm;
  decider decide;
  std::string wire;
  std::vector<phase> phases;
  std::vector<std::chrono::milliseconds> delays;  // one per reply: the error tarpit's wait
  std::vector<limit_event> limits;
  std::vector<std::string> transitions, commands, contents;
  std::vector<decision_request> requests;
  bool closed = false;
  std::optional<net::tls_info> handshake = net::simulated_tls();  // what a STARTTLS handshake gives
  int handshakes = 0;
};

}  // namespace sim::smtp::test
