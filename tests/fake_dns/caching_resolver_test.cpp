// The caching resolver: answers kept for their TTL, negative answers per
// RFC 2308, failures never kept, hits traced as dns.cache.
#include <catch2/catch.hpp>

#include "fake_dns/caching_resolver.hpp"
#include "fake_dns/fake_resolver.hpp"
#include "sim/core/trace_recorder.hpp"
#include "sim/core/virtual_clock.hpp"

using namespace dns;
using namespace std::chrono_literals;

namespace {

struct cache_world {
  asio::io_context context;
  sim::virtual_clock clock{context, *sim::parse_rfc3339("2026-01-05T09:00:00Z")};
  sim::recording_trace trace{&clock};
  zone_store zones;
  fake_resolver upstream{clock, trace, zones};
  caching_resolver cache{upstream, clock, trace};

  cache_world() {
    for (auto text : {"example.org 600 MX 10 mx1.example.org", "mx1.example.org 60 A 198.51.100.10",
                      "example.org 3600 SOA ns.example.org hostmaster.example.org 1 7200 900 1209600 120"})
      zones.add(parse_record(text));
  }

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

  answer ask(std::string name, rr_type type) { return run(cache.query("mail.sender.test", std::move(name), type)); }
  void wait(sim::duration d) {
    clock.call_at(clock.now() + d, [] {});  // run() stops when idle: give it something to wait for
    clock.run();
  }
  std::size_t count(std::string_view name) const {
    std::size_t n = 0;
    for (const auto& e : trace.events()) n += e["event"] == name;
    return n;
  }
};

}  // namespace

TEST_CASE("caching resolver: a positive answer is served from the cache until its TTL runs out") {
  cache_world w;
  CHECK(w.ask("example.org", rr_type::MX).records.size() == 1);
  CHECK(w.count("dns.query") == 1);
  w.wait(599s);
  auto again = w.ask("EXAMPLE.org.", rr_type::MX);  // the same name, canonical
  REQUIRE(again.records.size() == 1);
  CHECK(w.count("dns.query") == 1);
  REQUIRE(w.count("dns.cache") == 1);
  const auto& hit = w.trace.events().back();
  CHECK(hit["event"] == "dns.cache");
  CHECK(hit["host"] == "mail.sender.test");
  CHECK(hit["name"] == "example.org");
  CHECK(hit["type"] == "MX");
  CHECK(hit["expires_in"] == 1);  // stored after the 1 ms latency: 600 s from then, 599 s later
  // The zone changes; the cache still answers with the old record until it expires.
  w.zones.remove(parse_record("example.org 600 MX 10 mx1.example.org"));
  w.zones.add(parse_record("example.org 600 MX 10 mx2.example.org"));
  w.wait(1s);
  auto fresh = w.ask("example.org", rr_type::MX);
  REQUIRE(fresh.records.size() == 1);
  CHECK(fresh.records[0].to_string().find("mx2.example.org") != std::string::npos);
  CHECK(w.count("dns.query") == 2);
}

TEST_CASE("caching resolver: records served from the cache carry the time they have left") {
  cache_world w;
  w.ask("mx1.example.org", rr_type::A);
  w.wait(20s);
  w.ask("mx1.example.org", rr_type::A);
  const auto& hit = w.trace.events().back();
  REQUIRE(hit["event"] == "dns.cache");
  CHECK(hit["expires_in"] == 40);
  CHECK(hit["records"][0] == "mx1.example.org. 40 IN A 198.51.100.10");
}

TEST_CASE("caching resolver: a negative answer is kept for the SOA's minimum (RFC 2308), or 300 s without an SOA") {
  cache_world w;
  CHECK(w.ask("nothing.example.org", rr_type::A).code == rcode::nxdomain);
  w.wait(119s);
  CHECK(w.ask("nothing.example.org", rr_type::A).code == rcode::nxdomain);
  CHECK(w.count("dns.query") == 1);
  w.wait(1s);
  w.ask("nothing.example.org", rr_type::A);
  CHECK(w.count("dns.query") == 2);
  // NODATA (a name with no record of that type) is negative too.
  w.ask("mx1.example.org", rr_type::AAAA);
  w.ask("mx1.example.org", rr_type::AAAA);
  CHECK(w.count("dns.query") == 3);
  // No SOA for the zone: the documented default.
  answer a{rcode::nxdomain, {}, std::nullopt};
  CHECK(cache_ttl(a, rr_type::A) == default_negative_ttl);
}

TEST_CASE("caching resolver: SERVFAIL and TTL 0 are never kept") {
  cache_world w;
  w.upstream.faults().set("example.org", rr_type::MX, rcode::servfail);
  CHECK(w.ask("example.org", rr_type::MX).code == rcode::servfail);
  w.upstream.faults().clear("example.org", rr_type::MX);
  CHECK(w.ask("example.org", rr_type::MX).code == rcode::noerror);
  CHECK(w.count("dns.query") == 2);
  answer zero{rcode::noerror, {parse_record("a.example.org 0 A 192.0.2.1")}, std::nullopt};
  CHECK_FALSE(cache_ttl(zero, rr_type::A));
  CHECK(w.cache.size() == 1);
}

TEST_CASE("caching resolver: a hit with no sink listening is numbered as one that is traced") {
  // Both worlds make the same queries; one has a sink, the other none.
  cache_world traced;
  asio::io_context context;
  sim::virtual_clock clock{context, *sim::parse_rfc3339("2026-01-05T09:00:00Z")};
  sim::trace quiet{&clock};
  fake_resolver upstream{clock, quiet, traced.zones};
  caching_resolver cache{upstream, clock, quiet};
  auto ask = [&](const char* name) {
    asio::co_spawn(context, cache.query("mail.sender.test", name, rr_type::MX), asio::detached);
    clock.run();
  };
  traced.ask("example.org", rr_type::MX);
  ask("example.org");
  CHECK(quiet.emitted() == traced.trace.emitted());
  traced.ask("example.org", rr_type::MX);
  ask("example.org");
  REQUIRE(traced.count("dns.cache") == 1);
  CHECK(quiet.emitted() == traced.trace.emitted());
  CHECK(!quiet.has_sinks());
}
