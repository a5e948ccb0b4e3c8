// router: one test per rule of RFC 5321 section 5.1 and RFC 7505, the backup
// MX rule, the smarthost, and the mx.select trace event.
#include <catch2/catch.hpp>

#include "sim/core/trace_recorder.hpp"
#include "sim/mta/router.hpp"
#include "tests/sim/mta/fake_resolver.hpp"
#include "tests/sim/storage/outcome.hpp"

using namespace sim::mta;
using sim::mta::testing::address;
using sim::mta::testing::fake_resolver;
using sim::mta::testing::mx;
using sim::testing::run_now;
using A = dns::rr_type;

namespace {

struct world {
  fake_resolver dns;
  sim::recording_trace trace;
  router_config config{"mail.sender.test", {"192.0.2.25"}, {"sender.test"}, std::nullopt};

  route go(std::string domain, std::string queue_id = {}) {
    router r(config, dns, trace, sim::random_stream(1));
    return run_now(r.route_domain(std::move(domain), std::move(queue_id)));
  }
  std::vector<fake_resolver::key> asked() const { return dns.asked; }
};

std::vector<std::string> hosts_of(const route& r) {
  std::vector<std::string> out;
  for (const auto& c : std::get<route_remote>(r).candidates) out.push_back(c.host + "/" + c.ip);
  return out;
}

route_failure failure_of(const route& r) {
  REQUIRE(std::holds_alternative<route_failure>(r));
  return std::get<route_failure>(r);
}

using strings = std::vector<std::string>;
using queries = std::vector<fake_resolver::key>;

}  // namespace

TEST_CASE("router: a local domain goes to the LDA without DNS, whatever its case") {
  world w;
  CHECK(std::holds_alternative<route_local>(w.go("sender.test")));
  CHECK(std::holds_alternative<route_local>(w.go("Sender.TEST.")));
  CHECK(w.asked().empty());
  CHECK(w.trace.events().empty());
}

TEST_CASE("router: MX hosts are tried in order of preference, A then AAAA") {
  world w;
  w.dns.add(mx("example.org", 20, "mx2.example.org"));
  w.dns.add(mx("example.org", 10, "mx1.example.org"));
  w.dns.add(address("mx1.example.org", "198.51.100.10"));
  w.dns.add(address("mx1.example.org", "2001:db8::10"));
  w.dns.add(address("mx1.example.org", "198.51.100.11"));
  w.dns.add(address("mx2.example.org", "198.51.100.20"));
  auto got = w.go("example.org");
  CHECK(hosts_of(got) == strings{"mx1.example.org/198.51.100.10", "mx1.example.org/198.51.100.11",
                                 "mx1.example.org/2001:db8::10", "mx2.example.org/198.51.100.20"});
  CHECK_FALSE(std::get<route_remote>(got).implicit);
  CHECK(w.asked() == queries{{"example.org", A::MX}, {"mx1.example.org", A::A}, {"mx1.example.org", A::AAAA},
                             {"mx2.example.org", A::A}, {"mx2.example.org", A::AAAA}});
  CHECK(w.dns.askers == strings(5, "mail.sender.test"));
}

TEST_CASE("router: a relay-only domain is routed by its MX like any other") {
  world w;
  w.config.local_domains = {"sender.test"};  // relay_domains are not local
  w.dns.add(mx("relayed.test", 10, "mx.relayed.test"));
  w.dns.add(address("mx.relayed.test", "203.0.113.5"));
  CHECK(hosts_of(w.go("relayed.test")) == strings{"mx.relayed.test/203.0.113.5"});
}

TEST_CASE("router: the mx.select event lists the candidates in order") {
  world w;
  w.dns.add(mx("example.org", 10, "MX1.Example.org."));
  w.dns.add(address("mx1.example.org", "198.51.100.10"));
  w.go("example.org", "4F2A1C0B9D");
  REQUIRE(w.trace.events().size() == 1);
  auto got = w.trace.events()[0];
  CHECK(got["host"] == "mail.sender.test");
  CHECK(got["agent"] == "mta");
  CHECK(got["event"] == "mx.select");
  CHECK(got["queue_id"] == "4F2A1C0B9D");
  CHECK(got["domain"] == "example.org");
  CHECK(got["candidates"].dump() == R"([{"preference":10,"host":"mx1.example.org","ip":"198.51.100.10"}])");
  CHECK(got["implicit"] == false);
  CHECK_FALSE(got.contains("smarthost"));
}

TEST_CASE("router: an exchange without an address is skipped") {
  world w;
  w.dns.add(mx("example.org", 10, "ghost.example.org"));  // NXDOMAIN
  w.dns.add(mx("example.org", 20, "mx2.example.org"));
  w.dns.add(address("mx2.example.org", "198.51.100.20"));
  CHECK(hosts_of(w.go("example.org")) == strings{"mx2.example.org/198.51.100.20"});
}

TEST_CASE("router: no MX records means the domain itself is the implicit MX (RFC 5321 5.1)") {
  world w;
  w.dns.add(address("example.org", "198.51.100.80"));
  auto got = w.go("example.org");
  CHECK(hosts_of(got) == strings{"example.org/198.51.100.80"});
  CHECK(std::get<route_remote>(got).implicit);
  CHECK(std::get<route_remote>(got).candidates[0].preference == 0);
  CHECK(w.trace.events()[0]["implicit"] == true);
}

TEST_CASE("router: no MX and no address is a permanent failure") {
  world w;
  w.dns.add(dns::record{"example.org", 3600, A::TXT, "", 0, {"v=spf1 -all"}});
  auto got = failure_of(w.go("example.org"));
  CHECK(got.enhanced_status == "5.4.4");
  CHECK(got.permanent);
  CHECK(w.trace.events().empty());
}

TEST_CASE("router: a null MX fails at once with 5.1.10 (RFC 7505)") {
  for (auto exchange : {"", "."}) {
    world w;
    w.dns.add(mx("example.org", 0, exchange));
    auto got = failure_of(w.go("example.org"));
    CHECK(got.enhanced_status == "5.1.10");
    CHECK(got.permanent);
    CHECK(got.text == "Domain example.org does not accept mail (nullMX)");
    CHECK(w.asked() == queries{{"example.org", A::MX}});  // nothing resolved, nothing tried
  }
}

TEST_CASE("router: a null MX beside real MX records is ignored") {
  world w;
  w.dns.add(mx("example.org", 0, ""));
  w.dns.add(mx("example.org", 10, "mx1.example.org"));
  w.dns.add(address("mx1.example.org", "198.51.100.10"));
  CHECK(hosts_of(w.go("example.org")) == strings{"mx1.example.org/198.51.100.10"});
}

TEST_CASE("router: NXDOMAIN for the domain is a permanent 5.1.2") {
  world w;
  auto got = failure_of(w.go("nowhere.test"));
  CHECK(got.enhanced_status == "5.1.2");
  CHECK(got.permanent);
  CHECK(got.text.starts_with("Host or domain name not found"));
}

TEST_CASE("router: SERVFAIL or a timeout on the MX query is a temporary 4.4.3") {
  for (auto code : {dns::rcode::servfail, dns::rcode::timeout, dns::rcode::refused}) {
    world w;
    w.dns.fail("example.org", A::MX, code);
    auto got = failure_of(w.go("example.org"));
    CHECK(got.enhanced_status == "4.4.3");
    CHECK_FALSE(got.permanent);
  }
}

TEST_CASE("router: temporary failure of every address lookup is a temporary 4.4.3") {
  world w;
  w.dns.add(mx("example.org", 10, "mx1.example.org"));
  w.dns.add(mx("example.org", 20, "mx2.example.org"));
  w.dns.fail("mx1.example.org", A::A, dns::rcode::servfail);
  w.dns.fail("mx1.example.org", A::AAAA, dns::rcode::servfail);
  w.dns.fail("mx2.example.org", A::A, dns::rcode::timeout);
  w.dns.add(mx("mx2.example.org", 10, "unrelated.example.org"));  // mx2 exists: AAAA is NODATA
  auto got = failure_of(w.go("example.org"));
  CHECK(got.enhanced_status == "4.4.3");
  CHECK_FALSE(got.permanent);
}

TEST_CASE("router: one failed address lookup does not stop the others") {
  world w;
  w.dns.add(mx("example.org", 10, "mx1.example.org"));
  w.dns.add(mx("example.org", 20, "mx2.example.org"));
  w.dns.fail("mx1.example.org", A::A, dns::rcode::servfail);
  w.dns.add(address("mx2.example.org", "198.51.100.20"));
  CHECK(hosts_of(w.go("example.org")) == strings{"mx2.example.org/198.51.100.20"});
}

TEST_CASE("router: a backup MX relays only to better preferences (found by name)") {
  world w;
  w.config.host_name = "mx2.example.org";
  w.config.addresses = {"198.51.100.20"};
  w.dns.add(mx("example.org", 10, "mx1.example.org"));
  w.dns.add(mx("example.org", 20, "mx2.example.org"));
  w.dns.add(mx("example.org", 20, "mx2b.example.org"));
  w.dns.add(mx("example.org", 30, "mx3.example.org"));
  w.dns.add(address("mx1.example.org", "198.51.100.10"));
  CHECK(hosts_of(w.go("example.org")) == strings{"mx1.example.org/198.51.100.10"});
  // Our own level and worse are never even resolved.
  CHECK(w.asked() == queries{{"example.org", A::MX}, {"mx1.example.org", A::A}, {"mx1.example.org", A::AAAA}});
}

TEST_CASE("router: a backup MX is recognised by its address too") {
  world w;
  w.config.host_name = "backup.example.org";
  w.config.addresses = {"198.51.100.20", "2001:db8::20"};
  w.dns.add(mx("example.org", 10, "mx1.example.org"));
  w.dns.add(mx("example.org", 20, "alias-of-backup.example.org"));
  w.dns.add(mx("example.org", 30, "mx3.example.org"));
  w.dns.add(address("mx1.example.org", "198.51.100.10"));
  w.dns.add(address("alias-of-backup.example.org", "2001:db8::20"));
  w.dns.add(address("mx3.example.org", "198.51.100.30"));
  CHECK(hosts_of(w.go("example.org")) == strings{"mx1.example.org/198.51.100.10"});
}

TEST_CASE("router: the best MX being myself is a mail loop, 5.4.6") {
  world w;
  w.config.host_name = "mx1.example.org";
  w.dns.add(mx("example.org", 10, "mx1.example.org"));
  w.dns.add(mx("example.org", 20, "mx2.example.org"));
  auto got = failure_of(w.go("example.org"));
  CHECK(got.enhanced_status == "5.4.6");
  CHECK(got.permanent);
  CHECK(got.text == "mail for example.org loops back to myself");
}

TEST_CASE("router: sharing the best preference with myself is a loop too") {
  world w;
  w.config.addresses = {"198.51.100.11"};
  w.dns.add(mx("example.org", 10, "mx1.example.org"));
  w.dns.add(mx("example.org", 10, "other-name-for-me.example.org"));
  w.dns.add(address("mx1.example.org", "198.51.100.10"));
  w.dns.add(address("other-name-for-me.example.org", "198.51.100.11"));
  CHECK(failure_of(w.go("example.org")).enhanced_status == "5.4.6");
}

TEST_CASE("router: an implicit MX that is myself is a loop") {
  world w;
  w.dns.add(address("example.org", "192.0.2.25"));
  CHECK(failure_of(w.go("example.org")).enhanced_status == "5.4.6");
}

TEST_CASE("router: a CNAME in the MX answer is skipped") {
  world w;
  dns::record alias{"example.org", 3600, A::CNAME, "mail-hosting.example.net", 0, {}};
  w.dns.set("example.org", A::MX, {dns::rcode::noerror, {alias, mx("mail-hosting.example.net", 10, "mx1.example.net")}});
  w.dns.add(address("mx1.example.net", "198.51.100.10"));
  CHECK(hosts_of(w.go("example.org")) == strings{"mx1.example.net/198.51.100.10"});
}

TEST_CASE("router: an exchange listed twice is tried once, at its best preference") {
  world w;
  w.dns.add(mx("example.org", 30, "mx1.example.org"));
  w.dns.add(mx("example.org", 20, "mx2.example.org"));
  w.dns.add(mx("example.org", 10, "mx1.example.org"));
  w.dns.add(address("mx1.example.org", "198.51.100.10"));
  w.dns.add(address("mx2.example.org", "198.51.100.20"));
  auto got = w.go("example.org");
  CHECK(hosts_of(got) == strings{"mx1.example.org/198.51.100.10", "mx2.example.org/198.51.100.20"});
  CHECK(std::get<route_remote>(got).candidates[0].preference == 10);
}

TEST_CASE("router: a smarthost takes all remote mail, by its address only") {
  world w;
  w.config.smarthost = "relay.isp.test";
  w.dns.add(mx("example.org", 10, "mx1.example.org"));
  w.dns.add(address("relay.isp.test", "203.0.113.1"));
  w.dns.add(address("relay.isp.test", "2001:db8::1"));
  auto got = w.go("example.org");
  CHECK(hosts_of(got) == strings{"relay.isp.test/203.0.113.1", "relay.isp.test/2001:db8::1"});
  CHECK(w.asked() == queries{{"relay.isp.test", A::A}, {"relay.isp.test", A::AAAA}});
  CHECK(w.trace.events()[0]["smarthost"] == "relay.isp.test");
  CHECK(std::holds_alternative<route_local>(w.go("sender.test")));  // local mail stays local
}

TEST_CASE("router: an unresolvable or self smarthost fails") {
  world w;
  w.config.smarthost = "relay.isp.test";
  w.dns.fail("relay.isp.test", A::A, dns::rcode::servfail);
  CHECK(failure_of(w.go("example.org")).enhanced_status == "4.4.3");
  w.config.smarthost = "Mail.Sender.Test";
  CHECK(failure_of(w.go("example.org")).enhanced_status == "5.4.6");
}
