// tests/sim/scenario/loader_bulk_test.cpp - the bulk-mail keys: a receiver's
// `policy.rate_limit`, a sender's `delivery`, `spamtraps`, `dnsbl_zone` and
// `generate.traps`: every key read, each mistake with its pointer.
#include <catch2/catch.hpp>

#include "sim/scenario/loader.hpp"
#include "tests/sim/scenario/load_error.hpp"

using namespace sim::scenario;
using namespace std::chrono_literals;

namespace {

const char* bulk_base = R"({
  "scenario": "t",
  "title": "T",
  "hosts": {
    "mail.sender.test": {"ip": "192.0.2.25", "local_domains": ["sender.test"],
                         "mailboxes": {"news@sender.test": {"password": "pw"}}, "submission": true,
                         "delivery": {"throttle_backoff": "10m", "connection_cache_time": "2s",
                                      "connection_reuse_limit": 50, "concurrency": 5}},
    "mx1.example.org": {"ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"],
                        "spamtraps": ["Trap1@example.org", "trap2@example.org"],
                        "policy": {"rate_limit": [{"per": "client_ip", "messages": 100, "window": "30m"},
                                                  {"connections": 3},
                                                  {"per": "sender_domain", "messages": 5, "code": 451,
                                                   "enhanced": "4.7.500", "text": "Server busy"}]}},
    "bl.example.net": {"ip": "203.0.113.5",
                       "dnsbl_zone": {"zone": "bl.example", "threshold": 3, "delay": "1h", "delist_after": "2d",
                                      "reason": "$ip hit traps"}}
  },
  "timeline": [
    {"at": "1s", "campaign": {"id": "spring", "from": "news@sender.test",
                              "generate": {"count": 10, "domains": {"example.org": 1}, "traps": 2}}}
  ]
})";

std::string with_bulk(const std::string& pointer, const json& value) { return testing::error_with(bulk_base, pointer, value); }

const host& named(const scenario& s, const std::string& name) {
  for (const auto& h : s.hosts)
    if (h.name == name) return h;
  FAIL("no host " << name);
  return s.hosts.front();
}

}  // namespace

TEST_CASE("bulk keys: rate limits, delivery, spam traps, a DNSBL zone and traps in a generated list are read") {
  auto s = load_from_string(bulk_base, "x.json");
  const host& sender = named(s, "mail.sender.test");
  CHECK(sender.limits.delivery.throttle_backoff == 10min);
  CHECK(sender.limits.delivery.connection_cache_time == 2s);
  CHECK(sender.limits.delivery.connection_reuse_limit == 50);
  CHECK(sender.limits.delivery.concurrency == 5);
  const host& mx = named(s, "mx1.example.org");
  REQUIRE(mx.policy.rate_limits.size() == 3);
  CHECK(mx.policy.rate_limits[0].messages == 100);
  CHECK(mx.policy.rate_limits[0].window == 30min);
  CHECK(mx.policy.rate_limits[0].reply.code == 421);
  CHECK(mx.policy.rate_limits[1].connections == 3);
  CHECK(mx.policy.rate_limits[1].window == 1h);
  CHECK(mx.policy.rate_limits[2].per == sim::policy::rate_key::sender_domain);
  CHECK(mx.policy.rate_limits[2].reply == sim::policy::reply_template{451, "4.7.500", {"Server busy"}});
  CHECK(mx.spamtraps == std::vector<std::string>{"trap1@example.org", "trap2@example.org"});
  CHECK(mx.find_mailbox("trap1@example.org"));  // a trap takes mail like any mailbox
  const host& bl = named(s, "bl.example.net");
  REQUIRE(bl.dnsbl_zone);
  CHECK(bl.dnsbl_zone->zone == "bl.example");
  CHECK(bl.dnsbl_zone->threshold == 3);
  CHECK(bl.dnsbl_zone->delay == 1h);
  CHECK(bl.dnsbl_zone->delist_after == 48h);
  CHECK(bl.dnsbl_zone->reason == "$ip hit traps");
  const auto* c = s.campaigns().front();
  REQUIRE(c->generate);
  CHECK(c->generate->traps == std::vector<std::string>{"trap1@example.org", "trap2@example.org"});
}

TEST_CASE("bulk keys: each mistake is a load error with its pointer") {
  const std::string rl = "/hosts/mx1.example.org/policy/rate_limit";
  CHECK(with_bulk(rl + "/0/per", "ip") ==
        "x.json: " + rl + "/0/per: \"ip\" is not a rate limit key (\"client_ip\" or \"sender_domain\")");
  CHECK(with_bulk(rl + "/0", json::object({{"window", "1h"}})) ==
        "x.json: " + rl + "/0: a rate limit needs \"messages\" or \"connections\"");
  CHECK(with_bulk(rl + "/0/window", "0s") == "x.json: " + rl + "/0/window: must be longer than 0s");
  CHECK(with_bulk(rl + "/0/code", 550) == "x.json: " + rl + "/0/code: 550 is out of range (400 to 499)");
  CHECK(with_bulk(rl + "/2/connections", 2) ==
        "x.json: " + rl + "/2/connections: a connection limit counts per client IP (\"per\": \"client_ip\")");
  CHECK(with_bulk(rl + "/0/burst", 2).find(rl + "/0/burst: unknown key \"burst\"") != std::string::npos);
  const std::string d = "/hosts/mail.sender.test/delivery";
  CHECK(with_bulk(d + "/connection_cache_time", "10m") ==
        "x.json: " + d + "/connection_cache_time: must be at most 5m (the server's command timeout)");
  CHECK(with_bulk(d + "/concurrency", -1).find(d + "/concurrency") != std::string::npos);
  CHECK(with_bulk(d + "/rate", 1).find(d + "/rate: unknown key \"rate\"") != std::string::npos);
  const std::string t = "/hosts/mx1.example.org/spamtraps";
  CHECK(with_bulk(t, json::array({"trap@elsewhere.example"})) ==
        "x.json: " + t + "/0: \"trap@elsewhere.example\" is not in the local_domains of mx1.example.org "
                         "([\"example.org\"])");
  CHECK(with_bulk(t, json::array({"a@example.org", "A@example.org"})) == "x.json: " + t + "/1: \"a@example.org\" is listed twice");
  const std::string z = "/hosts/bl.example.net/dnsbl_zone";
  CHECK(with_bulk(z + "/threshold", 0) == "x.json: " + z + "/threshold: 0 is out of range (1 to 1000000)");
  CHECK(with_bulk(z + "/delist_after", "0s") == "x.json: " + z + "/delist_after: must be longer than 0s");
  CHECK(with_bulk(z + "/reason", "") == "x.json: " + z + "/reason: must be 1 to 255 characters (one TXT string)");
  CHECK(with_bulk("/timeline/0/campaign/generate/traps", 3) ==
        "x.json: /timeline/0/campaign/generate/traps: 3 traps asked for, but the hosts declare 2 (host key "
        "\"spamtraps\")");
}
