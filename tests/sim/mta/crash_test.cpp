// Taking responsibility (RFC 5321 section 6.1): the MTA answers 250 only
// once the message is durable in its spool.  A crash before that loses the
// message and the client never heard 250; a crash after it loses nothing:
// the queue is recovered and the message delivered once.  The spool's
// simulated fsync takes a full second here, so the window is wide.
#include <catch2/catch.hpp>

#include "tests/sim/mta/agent_world.hpp"

using namespace sim::mta;
using namespace sim::mta::test;

namespace {

constexpr sim::duration fsync_delay = 1s;

struct crash_world : agent_world {
  crash_world() {
    dns("example.org MX 10 mx.example.org");
    mta_config mx;
    mx.host = "mx.example.org";
    mx.ip = "198.51.100.10";
    mx.local_domains = {"example.org"};
    add_mta(mx, {{"bob@example.org", {}}}, fsync_delay);
    add_machine("client.outside.test", "203.0.113.7");
  }

  std::shared_ptr<client_result> send_payroll() {
    client_spec who{"client.outside.test", "mx.example.org", smtp_port, "", std::nullopt, ""};
    return send_at(sim::at_millis(1000), who,
                   envelope("carol@outside.test", {"bob@example.org"}, simple_message("payroll")));
  }

  // Calls `fn` once, when the first event named `name` on `host` passes
  // `test`, at that same virtual moment (not inside the emit).
  void when(std::string host, std::string name, std::function<bool(const sim::event&)> test,
            std::function<void()> fn) {
    auto fired = std::make_shared<bool>(false);
    tr.on_event([this, host, name, test, fn, fired](const sim::event_view& v) {
      if (*fired || v.name() != name || v.host() != host) return;
      if (!test(v.to_json())) return;
      *fired = true;
      at(clk.now(), fn);
    });
  }

  std::size_t delivered() const { return mailbox("mx.example.org", "bob@example.org").size(); }
  bool server_said_queued() const {
    for (const auto& e : events("smtp.reply", "mx.example.org"))
      if (e["code"] == 250 && e["text"].get<std::string>().rfind("Ok: queued as", 0) == 0) return true;
    return false;
  }
};

}  // namespace

TEST_CASE("crash: before the durable point the message is lost, and the client never heard 250") {
  crash_world w;
  auto sent = w.send_payroll();
  // The client has sent the final dot; half a second later the spool write is in flight.
  w.when("client.outside.test", "smtp.data", [](const sim::event&) { return true; }, [&] {
    w.at(w.clk.now() + 500ms, [&] { w.crash("mx.example.org"); });
  });
  w.at(sim::at_millis(60'000), [&] { w.restart("mx.example.org"); });
  w.run();
  REQUIRE(sent->done);
  CHECK_FALSE(sent->accepted());
  CHECK_FALSE(w.server_said_queued());
  CHECK(w.count("queue.enqueue") == 0);
  auto restarted = w.events("host.restart");
  REQUIRE(restarted.size() == 1);
  CHECK(restarted[0]["recovered"] == 0);
  CHECK(w.delivered() == 0);
  CHECK(w.count("lda.deliver") == 0);
}

TEST_CASE("crash: right after the 250 nothing is lost, after the restart the message is delivered once") {
  crash_world w;
  auto sent = w.send_payroll();
  std::size_t delivered_before_restart = 99;
  w.when("mx.example.org", "smtp.reply", [](const sim::event& e) { return e["code"] == 250 && e["text"].get<std::string>().rfind("Ok: queued", 0) == 0; },
         [&] { w.crash("mx.example.org"); });
  w.at(sim::at_millis(60'000), [&] {
    delivered_before_restart = w.count("lda.deliver");
    w.restart("mx.example.org");
  });
  w.run();
  CHECK(w.server_said_queued());
  // The crash came before the local delivery (its mailbox write takes a second too).
  CHECK(delivered_before_restart == 0);
  auto restarted = w.events("host.restart");
  REQUIRE(restarted.size() == 1);
  CHECK(restarted[0]["recovered"] == 1);
  CHECK(w.delivered() == 1);
  CHECK(w.count("lda.deliver") == 1);
  CHECK(w.agent("mx.example.org").queue_size() == 0);
}

TEST_CASE("crash: wherever the crash falls, a message is delivered if and only if the server said 250") {
  // Crash moments every 50ms from before the connection to after the delivery.
  for (std::int64_t crash_ms = 900; crash_ms <= 4200; crash_ms += 50) {
    crash_world w;
    auto sent = w.send_payroll();
    std::size_t filed_before_crash = 0;
    w.at(sim::at_millis(crash_ms), [&] {
      filed_before_crash = w.count("lda.deliver");
      w.crash("mx.example.org");
    });
    w.at(sim::at_millis(60'000), [&] { w.restart("mx.example.org"); });
    w.run();
    INFO("crash at " << crash_ms << " ms");
    REQUIRE(sent->done);
    bool queued = w.server_said_queued();
    // Never lost once acknowledged; never delivered unless acknowledged.
    if (queued) CHECK(w.delivered() >= 1);
    if (!queued) CHECK(w.delivered() == 0);
    // A second copy only when the crash fell between the mailbox write and
    // the queue file's removal (at least once, RFC 5321 section 6.1).
    CHECK(w.delivered() <= 1 + filed_before_crash);
    // The client can only have heard what the server said.
    if (sent->accepted()) CHECK(queued);
    CHECK(w.agent("mx.example.org").queue_size() == 0);
  }
}

TEST_CASE("crash: when the MTA says QUIT to its LDA the recipient is already done: one copy after the restart") {
  // RFC 5321 section 6.1: the window for a duplicate is between the final
  // dot and its 250, not up to the 221 after QUIT.
  crash_world w;
  w.send_payroll();
  w.when("mx.example.org", "smtp.command", [](const sim::event& e) {
    return e["line"] == "QUIT" && e["peer"] == "mx.example.org";
  }, [&] { w.crash("mx.example.org"); });
  w.at(sim::at_millis(60'000), [&] { w.restart("mx.example.org"); });
  w.run();
  REQUIRE(w.count("host.crash") == 1);
  CHECK(w.events("host.restart")[0]["recovered"] == 0);
  CHECK(w.delivered() == 1);
  CHECK(w.count("lda.deliver") == 1);
}

TEST_CASE("crash: when a relay says QUIT to the next hop the recipient is already done: no second copy there") {
  agent_world w;
  w.dns("example.org MX 10 mx.example.org");
  mta_config mx;
  mx.host = "mx.example.org";
  mx.ip = "198.51.100.10";
  mx.local_domains = {"example.org"};
  w.add_mta(mx, {{"bob@example.org", {}}});
  mta_config relay;
  relay.host = "relay.sender.test";
  relay.ip = "192.0.2.25";
  relay.mynetworks = {*sim::policy::parse_cidr("192.0.2.0/24")};
  w.add_mta(relay, {}, fsync_delay);
  w.add_machine("app.sender.test", "192.0.2.77");
  w.send_at(sim::at_millis(1000), {"app.sender.test", "relay.sender.test", smtp_port, "", std::nullopt, ""},
            envelope("app@sender.test", {"bob@example.org"}, simple_message("invoice")));
  auto fired = std::make_shared<bool>(false);
  w.tr.on_event([&w, fired](const sim::event_view& e) {
    if (*fired || e.name() != "smtp.command" || e.host() != "relay.sender.test" || e.get("line").string() != "QUIT" ||
        e.get("peer").string() != "mx.example.org")
      return;
    *fired = true;
    w.at(w.clk.now(), [&w] { w.crash("relay.sender.test"); });
  });
  w.at(sim::at_millis(60'000), [&] { w.restart("relay.sender.test"); });
  w.run();
  REQUIRE(*fired);
  CHECK(w.events("host.restart")[0]["recovered"] == 0);
  CHECK(w.mailbox("mx.example.org", "bob@example.org").size() == 1);
}

TEST_CASE("crash: a queue file damaged on disk is moved to corrupt/ and reported, never silently dropped") {
  crash_world w;
  w.send_payroll();
  w.when("mx.example.org", "smtp.reply", [](const sim::event& e) {
    return e["code"] == 250 && e["text"].get<std::string>().rfind("Ok: queued", 0) == 0;
  }, [&] { w.crash("mx.example.org"); });
  // While the host is down, one byte of the queued message changes.
  std::string damaged_name;
  w.at(sim::at_millis(30'000), [&] {
    w.tasks.spawn([](crash_world& w, std::string& name) -> asio::awaitable<void> {
      auto& spool = *w.hosts.at("mx.example.org").spool;
      auto names = co_await spool.list("queue/");
      REQUIRE(names.size() == 1);
      name = names[0];
      auto bytes = *co_await spool.get(name);
      bytes[bytes.size() - 5] ^= 0x20;
      co_await spool.put(name, bytes);
    }(w, damaged_name));
  });
  w.at(sim::at_millis(60'000), [&] { w.restart("mx.example.org"); });
  w.run();
  auto corrupt = w.events("queue.corrupt", "mx.example.org");
  REQUIRE(corrupt.size() == 1);
  CHECK(corrupt[0]["file"] == damaged_name);
  CHECK(corrupt[0]["moved_to"] == "corrupt/" + damaged_name);
  CHECK(corrupt[0]["reason"] == "checksum mismatch (damaged or cut short)");
  auto restarted = w.events("host.restart");
  REQUIRE(restarted.size() == 1);
  CHECK(restarted[0]["recovered"] == 0);
  CHECK(restarted[0]["corrupt"] == 1);
  CHECK(w.delivered() == 0);
  std::optional<std::string> kept;
  w.tasks.spawn([](crash_world& w, std::string name, std::optional<std::string>& out) -> asio::awaitable<void> {
    out = co_await w.hosts.at("mx.example.org").spool->get("corrupt/" + name);
  }(w, damaged_name, kept));
  w.run();
  CHECK(kept.has_value());
}
