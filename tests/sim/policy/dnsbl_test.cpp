// tests/sim/policy/dnsbl_test.cpp - DNSBL names and answers (RFC 5782).
#include <catch2/catch.hpp>

#include "sim/policy/dnsbl.hpp"
#include "tests/sim/policy/test_resolver.hpp"

using namespace sim::policy;
using sim::policy::test::test_resolver;

namespace {
ip_address dnsbl_ip(const char* text) { return *parse_ip(text); }

check_result listed_in(test_resolver& zone, const char* client, std::vector<std::string> zones) {
  return sim::policy::test::run(check_dnsbl(zone, "mx.receiver.test", dnsbl_ip(client), std::move(zones)));
}
}  // namespace

TEST_CASE("query names reverse the octets or nibbles under the zone") {
  CHECK(dnsbl_query_name(dnsbl_ip("192.0.2.99"), "bl.test") == "99.2.0.192.bl.test");
  CHECK(dnsbl_query_name(dnsbl_ip("::ffff:192.0.2.99"), "bl.test.") == "99.2.0.192.bl.test");
  CHECK(dnsbl_query_name(dnsbl_ip("2001:db8:1:2:3:4:567:89ab"), "bl.test") ==
        "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.bl.test");
}

TEST_CASE("127/8 answers list, except the 127.255.255.252-255 error codes") {
  CHECK(classify_dnsbl_address(dnsbl_ip("127.0.0.2")) == dnsbl_answer::listed);
  CHECK(classify_dnsbl_address(dnsbl_ip("127.255.255.251")) == dnsbl_answer::listed);
  CHECK(classify_dnsbl_address(dnsbl_ip("127.255.255.252")) == dnsbl_answer::error_code);
  CHECK(classify_dnsbl_address(dnsbl_ip("127.255.255.254")) == dnsbl_answer::error_code);
  CHECK(classify_dnsbl_address(dnsbl_ip("127.255.255.255")) == dnsbl_answer::error_code);
  CHECK(classify_dnsbl_address(dnsbl_ip("128.0.0.2")) == dnsbl_answer::not_listed);
  CHECK(classify_dnsbl_address(dnsbl_ip("10.0.0.2")) == dnsbl_answer::not_listed);
}

TEST_CASE("a listed client is refused with the zone and the TXT reason") {
  test_resolver zone;
  zone.add("99.2.0.192.bl.test", dns::rr_type::A, "127.0.0.2");
  zone.add_txt("99.2.0.192.bl.test", {"Listed: see ", "https://bl.test/192.0.2.99"});
  auto got = listed_in(zone, "192.0.2.99", {"bl.test"});
  CHECK(got.check == "dnsbl");
  CHECK(got.result == "listed");
  REQUIRE(got.reply);
  CHECK(*got.reply == reply{554, "5.7.1",
                            "Service unavailable; client [192.0.2.99] blocked using bl.test; "
                            "Listed: see https://bl.test/192.0.2.99"});
  CHECK(zone.queries == std::vector<std::string>{"99.2.0.192.bl.test 1", "99.2.0.192.bl.test 16"});
}

TEST_CASE("without a TXT the reply names only the zone") {
  test_resolver zone;
  zone.add("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl6.test", dns::rr_type::A, "127.0.0.4");
  auto got = listed_in(zone, "2001:db8::1", {"bl6.test"});
  REQUIRE(got.reply);
  CHECK(got.reply->text == "Service unavailable; client [2001:db8::1] blocked using bl6.test");
}

TEST_CASE("not listed, error answers, SERVFAIL and timeouts do not block") {
  test_resolver zone;
  zone.add("5.2.0.192.refused.test", dns::rr_type::A, "127.255.255.254");
  zone.add_failure("5.2.0.192.broken.test", dns::rcode::servfail);
  zone.add_failure("5.2.0.192.slow.test", dns::rcode::timeout);
  zone.add("5.2.0.192.public.test", dns::rr_type::A, "192.0.2.200");
  auto got = listed_in(zone, "192.0.2.5", {"clean.test", "refused.test", "broken.test", "slow.test", "public.test"});
  CHECK(got.result == "pass");
  CHECK_FALSE(got.reply);
  CHECK(got.detail ==
        "clean.test: not listed; refused.test: error answer, not blocking; broken.test: no answer (error), not "
        "blocking; slow.test: no answer (timeout), not blocking; public.test: not listed");
}

TEST_CASE("the first listing decides, later zones are not asked") {
  test_resolver zone;
  zone.add("5.2.0.192.first.test", dns::rr_type::A, "127.0.0.10");
  zone.add("5.2.0.192.second.test", dns::rr_type::A, "127.0.0.11");
  auto got = listed_in(zone, "192.0.2.5", {"clean.test", "first.test", "second.test"});
  CHECK(got.result == "listed");
  CHECK(got.detail == "192.0.2.5 listed by first.test (127.0.0.10)");
  CHECK(zone.queries.size() == 3);
}

TEST_CASE("no zones pass") {
  test_resolver zone;
  CHECK(listed_in(zone, "192.0.2.5", {}).result == "pass");
}
