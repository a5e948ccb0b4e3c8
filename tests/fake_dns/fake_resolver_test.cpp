// The fake resolver in virtual time: latency, faults, trace events.
#include <catch2/catch.hpp>

#include "sim/core/trace_recorder.hpp"
#include "fake_dns/fake_resolver.hpp"
#include "sim/core/timeout.hpp"
#include "sim/core/virtual_clock.hpp"

using namespace dns;
using namespace std::chrono_literals;

namespace {

struct world {
  asio::io_context context;
  sim::virtual_clock clock{context, *sim::parse_rfc3339("2026-01-05T09:00:00Z")};
  sim::recording_trace trace{&clock};
  zone_store zones;
  fake_resolver resolver{clock, trace, zones};

  world() {
    for (auto text : {"example.org MX 10 mx1.example.org", "mx1.example.org A 198.51.100.10",
                      "mx1.example.org AAAA 2001:db8::10", "v4only.example.org A 198.51.100.11",
                      "www.example.org CNAME mx1.example.org"})
      zones.add(parse_record(text));
  }

  // Runs one coroutine to its end in virtual time.
  template <typename T>
  T run(asio::awaitable<T> op) {
    std::optional<T> result;
    asio::co_spawn(context, std::move(op), [&](std::exception_ptr error, T value) {
      if (error) std::rethrow_exception(error);
      result = std::move(value);
    });
    clock.run();
    REQUIRE(result);
    return std::move(*result);
  }

  answer ask(std::string name, rr_type type) { return run(resolver.query("mail.sender.test", std::move(name), type)); }
  const sim::event& event(std::size_t i) const { return trace.events().at(i); }
};

}  // namespace

TEST_CASE("a question is answered after the latency and traced") {
  world w;
  auto got = w.ask("Example.ORG.", rr_type::MX);
  CHECK(got.code == rcode::noerror);
  REQUIRE(got.records.size() == 1);
  CHECK(w.clock.now() == sim::at_millis(1));
  REQUIRE(w.trace.events().size() == 2);
  const auto& query = w.event(0);
  CHECK(query["t"] == 0);
  CHECK(query["host"] == "mail.sender.test");
  CHECK(query["agent"] == "dns");
  CHECK(query["event"] == "dns.query");
  CHECK(query["name"] == "example.org");
  CHECK(query["type"] == "MX");
  const auto& reply = w.event(1);
  CHECK(reply["t"] == 1);
  CHECK(reply["event"] == "dns.answer");
  CHECK(reply["name"] == "example.org");
  CHECK(reply["type"] == "MX");
  CHECK(reply["rcode"] == "NOERROR");
  CHECK(reply["records"] == sim::event::array({"example.org. 3600 IN MX 10 mx1.example.org."}));
}

TEST_CASE("NXDOMAIN, NODATA and CNAME chains come through unchanged") {
  world w;
  CHECK(w.ask("nowhere.example.org", rr_type::A).code == rcode::nxdomain);
  CHECK(w.event(1)["rcode"] == "NXDOMAIN");
  CHECK(w.event(1)["records"] == sim::event::array());
  auto nodata = w.ask("v4only.example.org", rr_type::AAAA);
  CHECK(nodata.code == rcode::noerror);
  CHECK(nodata.records.empty());
  auto alias = w.ask("www.example.org", rr_type::A);
  CHECK(alias.records.size() == 2);
  CHECK(w.event(5)["records"].size() == 2);
}

TEST_CASE("latency and timeout are configurable, an empty asker is host dns") {
  world w;
  w.resolver.set_options({.latency = 25ms, .timeout = 2s});
  w.run(w.resolver.query("", "example.org", rr_type::MX));
  CHECK(w.clock.now() == sim::at_millis(25));
  CHECK(w.event(0)["host"] == "dns");
  w.resolver.faults().set("example.org", rr_type::MX, rcode::timeout);
  auto got = w.run(w.resolver.query("", "example.org", rr_type::MX));
  CHECK(got.code == rcode::timeout);
  CHECK(w.clock.now() == sim::at_millis(2025));
}

TEST_CASE("faults: SERVFAIL, NXDOMAIN and timeout in virtual time") {
  world w;
  w.resolver.faults().set("example.org", rr_type::MX, rcode::servfail);
  auto servfail = w.ask("example.org", rr_type::MX);
  CHECK(servfail.code == rcode::servfail);
  CHECK(servfail.records.empty());
  CHECK(w.clock.now() == sim::at_millis(1));
  CHECK(w.event(1)["rcode"] == "SERVFAIL");

  w.resolver.faults().set("mx1.example.org", std::nullopt, rcode::nxdomain);  // every type
  CHECK(w.ask("mx1.example.org", rr_type::A).code == rcode::nxdomain);
  CHECK(w.ask("MX1.example.org", rr_type::AAAA).code == rcode::nxdomain);

  w.resolver.faults().set("example.org", rr_type::MX, rcode::timeout);
  auto before = w.clock.now();
  auto timeout = w.ask("example.org", rr_type::MX);
  CHECK(timeout.code == rcode::timeout);
  CHECK(w.clock.now() - before == 5s);  // the default resolver timeout
  CHECK(w.trace.events().back()["rcode"] == "timeout");
  CHECK(w.trace.events().back()["t"] == sim::millis(before) + 5000);

  w.resolver.faults().clear_name("example.org");
  CHECK(w.ask("example.org", rr_type::MX).code == rcode::noerror);
}

TEST_CASE("faults and records change at run time, between questions") {
  world w;
  w.clock.call_at(sim::at_millis(100), [&] { w.resolver.faults().set("example.org", std::nullopt, rcode::servfail); });
  w.clock.call_at(sim::at_millis(200), [&] { w.resolver.faults().clear("example.org", std::nullopt); });
  // example.org keeps names below it: NODATA once its MX is gone (RFC 8020).
  w.clock.call_at(sim::at_millis(300), [&] { w.zones.remove(parse_record("example.org MX 10 mx1.example.org")); });
  std::vector<std::string> got;
  auto asker = [&]() -> asio::awaitable<int> {
    for (auto at : {50, 150, 250, 350}) {
      co_await w.clock.sleep_until(sim::at_millis(at));
      auto a = co_await w.resolver.query("h", "example.org", rr_type::MX);
      got.push_back(std::string(rcode_name(a.code)) + "/" + std::to_string(a.records.size()));
    }
    co_return 0;
  };
  w.run(asker());
  CHECK(got == std::vector<std::string>{"NOERROR/1", "SERVFAIL/0", "NOERROR/1", "NOERROR/0"});
}

TEST_CASE("a caller's shorter timeout cancels the wait without an answer event") {
  world w;
  w.resolver.faults().set("example.org", std::nullopt, rcode::timeout);
  auto got = w.run(sim::with_timeout(w.clock, 2s, w.resolver.query("h", "example.org", rr_type::MX)));
  CHECK_FALSE(got);
  CHECK(w.clock.now() == sim::at_millis(2000));
  REQUIRE(w.trace.events().size() == 1);
  CHECK(w.event(0)["event"] == "dns.query");
}

TEST_CASE("lookup_addresses asks A then AAAA") {
  world w;
  auto both = w.run(lookup_addresses(w.resolver, "h", "mx1.example.org"));
  CHECK(both.code == rcode::noerror);
  REQUIRE(both.records.size() == 2);
  CHECK(both.records[0].data == "198.51.100.10");
  CHECK(both.records[1].data == "2001:db8::10");
  CHECK(w.event(0)["type"] == "A");
  CHECK(w.event(2)["type"] == "AAAA");

  auto alias = w.run(lookup_addresses(w.resolver, "h", "www.example.org"));
  CHECK(alias.records.size() == 2);  // the CNAMEs are not repeated

  CHECK(w.run(lookup_addresses(w.resolver, "h", "v4only.example.org")).records.size() == 1);
  CHECK(w.run(lookup_addresses(w.resolver, "h", "nowhere.example.org")).code == rcode::nxdomain);
  auto nodata = w.run(lookup_addresses(w.resolver, "h", "example.org"));
  CHECK(nodata.code == rcode::noerror);
  CHECK(nodata.records.empty());

  // A temporary failure wins over NXDOMAIN: the caller must retry later.
  w.resolver.faults().set("nowhere.example.org", rr_type::AAAA, rcode::servfail);
  CHECK(w.run(lookup_addresses(w.resolver, "h", "nowhere.example.org")).code == rcode::servfail);
  // Addresses from one family are enough.
  w.resolver.faults().set("mx1.example.org", rr_type::A, rcode::timeout);
  auto half = w.run(lookup_addresses(w.resolver, "h", "mx1.example.org"));
  CHECK(half.code == rcode::noerror);
  CHECK(half.records.size() == 1);
}
