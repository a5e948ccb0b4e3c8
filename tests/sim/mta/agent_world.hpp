// A small world of real agents for the MTA's own tests: a virtual clock, the
// simulated network, the fake DNS, and MTA hosts (each with its spool, its
// mailboxes and its LDA), built by hand so that a test can reach what a
// scenario file cannot: the envelope's DSN parameters, a raw message with
// many Received fields, the storage's durability delay, a crash at an
// exact moment.  Clients are smtp::client_session coroutines.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/core/trace_recorder.hpp"
#include "fake_dns/fake_resolver.hpp"
#include "fake_dns/reverse.hpp"
#include "fake_dns/zone_store.hpp"
#include "sim/core/task_group.hpp"
#include "sim/core/virtual_clock.hpp"
#include "sim/lda/lda.hpp"
#include "sim/mta/mta.hpp"
#include "sim/smtp/client_session.hpp"
#include "sim/storage/memory_store.hpp"

namespace sim::mta::test {

using namespace std::chrono_literals;

inline wall_time world_start() { return *parse_rfc3339("2026-01-05T09:00:00Z"); }

// What a client saw; `done` once the session is over.
struct client_result {
  bool done = false;
  bool connected = false;
  smtp::delivery_report report;
  bool accepted() const {
    for (const auto& r : report.recipients)
      if (r.status == smtp::delivery_status::ok) return true;
    return false;
  }
};

struct client_spec {
  std::string from_host;  // the client machine
  std::string to_host;    // the server
  std::uint16_t port = smtp_port;
  std::string helo;       // default: from_host
  std::optional<std::string> auth_user;
  std::string auth_password;
};

class agent_world {
 public:
  struct host_parts {
    std::unique_ptr<storage::memory_store> spool;
    std::unique_ptr<storage::memory_store> mail;
    std::unique_ptr<lda::mailbox_store> boxes;
    std::unique_ptr<lda::lda> lda;
    std::unique_ptr<task_group> upkeep;  // the mailbox store's background removals
    std::unique_ptr<mta> agent;
  };

  explicit agent_world(std::uint64_t seed = 1) : random(seed) {}
  ~agent_world() {
    hosts.clear();
    tasks.cancel_all();
  }

  // One resource record in presentation format ("example.org MX 10 mx.example.org").
  void dns(std::string_view rr) { zones.add(dns::parse_record(rr)); }

  // A machine on the network with A and PTR records.
  void add_machine(const std::string& name, const std::string& ip) {
    net.add_host(name, ip);
    for (auto& r : dns::auto_host_records(name, ip))
      if (!zones.has(r.name, r.type)) zones.add(std::move(r));
  }

  // An MTA host; `mailboxes` (with optional passwords) live in its LDA.
  // `durability` is the simulated fsync delay of both of its stores.
  mta& add_mta(mta_config config, const std::map<std::string, lda::mailbox_settings>& mailboxes = {},
               duration durability = storage::default_durability_delay) {
    add_machine(config.host, config.ip);
    host_parts& h = hosts[config.host];
    h.spool = std::make_unique<storage::memory_store>(clk, durability);
    h.mail = std::make_unique<storage::memory_store>(clk, durability);
    h.upkeep = std::make_unique<task_group>(clk.executor());
    if (!config.local_domains.empty()) {
      h.boxes = std::make_unique<lda::mailbox_store>(*h.mail);
      for (const auto& [address, settings] : mailboxes) h.boxes->add_mailbox(address, settings);
      h.boxes->set_background(h.upkeep.get());
      h.lda = std::make_unique<lda::lda>(config.host, *h.boxes, clk, tr);
    }
    services svc{clk, tr, net, resolver, random};
    h.agent = std::make_unique<mta>(svc, std::move(config), *h.spool, h.lda.get());
    h.agent->start();
    return *h.agent;
  }

  // A client session started at `at`: connect, EHLO (AUTH), one message, QUIT.
  std::shared_ptr<client_result> send_at(time_point at, const client_spec& who, smtp::outgoing_message message) {
    auto out = std::make_shared<client_result>();
    clk.call_at(at, [this, who, message = std::move(message), out]() mutable {
      tasks.spawn(client(who, std::move(message), out));
    });
    return out;
  }

  // A raw dialogue started at `at`: each element is written with CRLF
  // after it and answered by one reply; the replies (last line of each,
  // the greeting first) are collected.  For words a client_session will
  // not say (source routes, odd local parts).
  std::shared_ptr<std::vector<std::string>> dialogue_at(time_point at, const client_spec& who,
                                                        std::vector<std::string> lines) {
    auto out = std::make_shared<std::vector<std::string>>();
    clk.call_at(at, [this, who, lines = std::move(lines), out]() mutable {
      tasks.spawn(dialogue(who, std::move(lines), out));
    });
    return out;
  }

  // Kills a host as a scenario's `crash` does: connections, tasks, memory, in-flight writes.
  void crash(const std::string& host) {
    tr.emit(host, "sim", "host.crash");
    net.crash(host);
    host_parts& h = hosts.at(host);
    h.agent->crash();
    h.upkeep->cancel_all();
    if (h.boxes) h.boxes->crash();
    h.spool->crash();
    h.mail->crash();
  }

  // Brings it back: mailboxes and queue recovered from what was durable.
  void restart(const std::string& host) {
    net.restart(host);
    tasks.spawn([](agent_world& w, std::string name) -> asio::awaitable<void> {
      host_parts& h = w.hosts.at(name);
      if (h.boxes) co_await h.boxes->recover();
      auto found = co_await h.agent->restart();
      if (found.corrupt > 0)
        w.tr.emit(name, "sim", "host.restart", {{"recovered", found.recovered}, {"corrupt", found.corrupt}});
      else
        w.tr.emit(name, "sim", "host.restart", {{"recovered", found.recovered}});
    }(*this, host));
  }

  void at(time_point t, std::function<void()> fn) { clk.call_at(t, std::move(fn)); }

  // Runs until idle (or `limit`); a coroutine that died of a bug fails the test.
  void run(time_point limit = time_point::max()) {
    clk.run(limit);
    if (failure) std::rethrow_exception(failure);
  }

  std::vector<event> events(std::string_view name, std::string_view host = {}) const {
    std::vector<event> out;
    for (const auto& e : tr.events())
      if (e["event"] == name && (host.empty() || e["host"] == host)) out.push_back(e);
    return out;
  }
  std::size_t count(std::string_view name, std::string_view host = {}) const { return events(name, host).size(); }

  const lda::message_list& mailbox(const std::string& host, const std::string& address) const {
    return hosts.at(host).boxes->messages(address);
  }
  mta& agent(const std::string& host) { return *hosts.at(host).agent; }

  asio::io_context ctx;
  virtual_clock clk{ctx, world_start()};
  recording_trace tr{&clk};
  dns::zone_store zones;
  dns::fake_resolver resolver{clk, tr, zones};
  net::network net{clk, tr};
  random_source random;
  std::exception_ptr failure;
  std::map<std::string, host_parts> hosts;
  task_group tasks{clk.executor(), [this](std::exception_ptr e) {
                     if (!failure) failure = e;
                   }};

 private:
  // One reply: lines up to the one whose fourth octet is a space (RFC 5321 4.2.1).
  static asio::awaitable<std::string> read_reply(net::stream& conn, std::string& buffer) {
    for (;;) {
      for (std::size_t eol; (eol = buffer.find("\r\n")) != std::string::npos;) {
        std::string line = buffer.substr(0, eol);
        buffer.erase(0, eol + 2);
        if (line.size() < 4 || line[3] == ' ') co_return line;
      }
      char chunk[512];
      auto r = co_await conn.read_some(std::span<char>(chunk, sizeof chunk));
      if (r.ec) co_return std::string("(closed)");
      buffer.append(chunk, r.bytes);
    }
  }

  asio::awaitable<void> dialogue(client_spec who, std::vector<std::string> lines,
                                 std::shared_ptr<std::vector<std::string>> out) {
    auto c = co_await net.connect(who.from_host, net.ip_of(who.to_host).value_or(""), who.port, 30s);
    if (!c.conn) co_return;
    std::string buffer;
    out->push_back(co_await read_reply(*c.conn, buffer));
    for (const auto& line : lines) {
      co_await c.conn->write_all(line + "\r\n");
      out->push_back(co_await read_reply(*c.conn, buffer));
    }
    c.conn->close();
  }

  asio::awaitable<void> client(client_spec who, smtp::outgoing_message message, std::shared_ptr<client_result> out) {
    auto ip = net.ip_of(who.to_host).value_or("");
    auto c = co_await net.connect(who.from_host, ip, who.port, 30s);
    out->connected = c.conn != nullptr;
    if (c.conn) {
      smtp::client_session_options opts;
      opts.protocol.helo_name = who.helo.empty() ? who.from_host : who.helo;
      opts.protocol.auth_user = who.auth_user;
      opts.protocol.auth_password = who.auth_password;
      opts.host = who.from_host;
      opts.agent = "mua";
      opts.peer = who.to_host;
      out->report = co_await smtp::deliver_one(c.conn, clk, tr, opts, std::move(message));
    }
    out->done = true;
  }
};

// A message with a plain envelope: `from` ("" = <>) to each of `to`.
inline smtp::outgoing_message envelope(const std::string& from, const std::vector<std::string>& to,
                                       std::string content) {
  smtp::outgoing_message m;
  if (!from.empty()) m.reverse_path = smtp::parse_mailbox(from);
  for (const auto& t : to) {
    smtp::outgoing_recipient r;
    r.forward_path = *smtp::parse_mailbox(t);
    m.recipients.push_back(std::move(r));
  }
  m.content = std::move(content);
  return m;
}

inline std::string simple_message(const std::string& subject) {
  return "From: alice@sender.test\r\nTo: bob@example.org\r\nSubject: " + subject +
         "\r\nMessage-ID: <" + subject + "@sender.test>\r\n\r\nHello Bob.\r\n";
}

// A reply or line that begins with `want`.
inline bool starts_with(const std::string& got, std::string_view want) { return got.rfind(want, 0) == 0; }

}  // namespace sim::mta::test
