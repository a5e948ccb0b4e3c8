// A small simulated world for SMTP session tests and benchmarks: a server
// host with scripted policy, a client host, virtual time, a trace.
//
// run_transactions(n) delivers n complete messages (one connection each)
// in virtual time and returns how many recipients were accepted: the
// lead's benchmark can time it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/core/trace_recorder.hpp"
#include "sim/core/virtual_clock.hpp"
#include "sim/net/network.hpp"
#include "sim/smtp/client_session.hpp"
#include "sim/smtp/server_session.hpp"

namespace sim::smtp::test {

// Accepts everything except recipients listed in `refuse`; counts messages.
// With `at_once`, the same answers come from answer_now() (and the
// awaitable hooks are asked only for the message).
struct scripted_hooks final : server_hooks {
  std::vector<std::string> refuse;
  std::vector<std::string> contents;
  bool at_once = false;
  int asked_at_once = 0;
  quick_answer answer_now(const session_info&, const envelope&, const decision_request& req) override {
    if (!at_once) return {};
    ++asked_at_once;
    if (req.what == ask::rcpt)
      for (auto& x : refuse)
        if (req.rcpt->forward_path.text() == x) return {true, reply{550, "5.1.1", "No such user"}};
    if (req.what == ask::auth && req.credentials->password != "pw")
      return {true, reply{535, "5.7.8", "Authentication credentials invalid"}};
    return {true, std::nullopt};
  }
  asio::awaitable<std::optional<reply>> on_connect(const session_info&) override { co_return std::nullopt; }
  asio::awaitable<std::optional<reply>> on_helo(const session_info&, const std::string&) override {
    co_return std::nullopt;
  }
  asio::awaitable<std::optional<reply>> on_mail(const session_info&, const mail_command&) override {
    co_return std::nullopt;
  }
  asio::awaitable<std::optional<reply>> on_rcpt(const session_info&, const envelope&, const rcpt_command& r) override {
    for (auto& x : refuse)
      if (r.forward_path.text() == x) co_return reply{550, "5.1.1", "No such user"};
    co_return std::nullopt;
  }
  asio::awaitable<std::vector<reply>> on_message(const session_info&, const envelope&, const std::string& c) override {
    contents.push_back(c);
    co_return std::vector<reply>{reply{250, "2.0.0", "Ok: queued as Q" + std::to_string(contents.size())}};
  }
  asio::awaitable<std::optional<reply>> check_auth(const session_info&, const auth_credentials& c) override {
    if (c.password == "pw") co_return std::nullopt;
    co_return reply{535, "5.7.8", "Authentication credentials invalid"};
  }
};

struct smtp_world {
  asio::io_context ctx;
  sim::virtual_clock clk{ctx, *sim::parse_rfc3339("2026-01-05T09:00:00Z")};
  sim::trace tr{&clk};
  std::optional<sim::trace_recorder> recorder{std::in_place, tr};  // events(); dropped by run_transactions()
  sim::net::network net{clk, tr};
  scripted_hooks hooks;
  server_session_options server;

  smtp_world() {
    net.add_host("client.test", "192.0.2.1");
    net.add_host("mx.test", "198.51.100.10");
    server.protocol.host_name = "mx.test";
    server.protocol.auth_offered = true;
  }

  void listen() {
    net.listen("mx.test", 25, [this](std::shared_ptr<sim::net::stream> s, const sim::net::connection_info& info) {
      spawn(run_server_session(std::move(s), info, clk, tr, hooks, server));
    });
  }

  template <typename A>
  void spawn(A&& a) {
    asio::co_spawn(ctx, std::forward<A>(a), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });
  }

  client_session_options client() const {
    client_session_options o;
    o.protocol.helo_name = "client.test";
    o.host = "client.test";
    return o;
  }

  static outgoing_message message(std::vector<std::string> to) {
    outgoing_message m;
    m.reverse_path = parse_mailbox("alice@client.test");
    for (auto& t : to) m.recipients.push_back({*parse_mailbox(t), {}});
    m.content = "Subject: hello\r\n\r\nHi.\r\n.leading dot\r\n";
    return m;
  }

  std::vector<sim::event> events(std::string_view name) const {
    std::vector<sim::event> out;
    for (const auto& e : recorder->events())
      if (e["event"] == name) out.push_back(e);
    return out;
  }
};

// n messages, one connection each, in virtual time; returns recipients accepted.
inline std::size_t run_transactions(std::size_t n, bool keep_trace = false) {
  smtp_world w;
  if (!keep_trace) w.recorder.reset();
  w.listen();
  std::size_t ok = 0;
  // Built outside the coroutine: g++ 12 rejects braced string lists inside one.
  const outgoing_message m = smtp_world::message({"bob@mx.test"});
  w.spawn([&]() -> asio::awaitable<void> {
    for (std::size_t i = 0; i < n; ++i) {
      auto c = co_await w.net.connect("client.test", "198.51.100.10", 25, std::chrono::seconds(30));
      auto report = co_await deliver_one(c.conn, w.clk, w.tr, w.client(), m);
      for (auto& r : report.recipients) ok += r.status == delivery_status::ok;
    }
  });
  w.clk.run();
  return ok;
}

}  // namespace sim::smtp::test
