// tests/sim/policy/spf_eval_test.cpp - check_host(): mechanisms, identities, limits, steps.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "sim/policy/spf_eval.hpp"
#include "tests/sim/policy/test_resolver.hpp"

using namespace sim::policy;
using sim::policy::test::test_resolver;

namespace {

spf_evaluation check(test_resolver& zone, std::string ip, std::string mail_from, std::string helo = "mx.sender.test") {
  spf_request request;
  request.client_ip = std::move(ip);
  request.mail_from = std::move(mail_from);
  request.helo = std::move(helo);
  request.asker = "mx.receiver.test";
  request.receiver = "mx.receiver.test";
  return sim::policy::test::run(evaluate_spf(zone, request));
}

std::string all_steps(const spf_evaluation& e) {
  std::string text;
  for (const auto& step : e.steps) text += step.text + "\n";
  return text;
}

// n terms that query DNS ("a" on a name with an A record) then ip4.
std::string record_with_dns_terms(int n) {
  std::string record = "v=spf1";
  for (int i = 0; i < n; ++i) record += " a:host.example.org";
  return record + " ip4:192.0.2.1 -all";
}

}  // namespace

TEST_CASE("each mechanism matches the client it designates") {
  test_resolver zone;
  zone.add_txt("example.org", {"v=spf1 a mx/24 ptr:example.org ip6:2001:db8::/32 exists:%{i}.ok.example.org -all"});
  zone.add("example.org", dns::rr_type::A, "192.0.2.10");
  zone.add_mx("example.org", 10, "mx.example.org");
  zone.add("mx.example.org", dns::rr_type::A, "198.51.100.20");
  zone.add("4.113.0.203.in-addr.arpa", dns::rr_type::PTR, "host.example.org");
  zone.add("host.example.org", dns::rr_type::A, "203.0.113.4");
  zone.add("203.0.113.7.ok.example.org", dns::rr_type::A, "127.0.0.2");
  CHECK(check(zone, "192.0.2.10", "alice@example.org").result == spf_result::pass);
  CHECK(check(zone, "198.51.100.99", "alice@example.org").result == spf_result::pass);
  CHECK(check(zone, "203.0.113.4", "alice@example.org").result == spf_result::pass);
  CHECK(check(zone, "2001:db8::25", "alice@example.org").result == spf_result::pass);
  CHECK(check(zone, "203.0.113.7", "alice@example.org").result == spf_result::pass);
  auto got = check(zone, "203.0.113.8", "alice@example.org");
  CHECK(got.result == spf_result::fail);
  CHECK(got.explanation == "203.0.113.8 is not one of example.org's designated mail servers");
  CHECK(got.lookups == 4);
}

TEST_CASE("qualifiers give their results, no match is neutral") {
  test_resolver zone;
  zone.add_txt("soft.example", {"v=spf1 ~all"});
  zone.add_txt("neutral.example", {"v=spf1 ?all"});
  zone.add_txt("empty.example", {"v=spf1"});
  zone.add_txt("pass.example", {"v=spf1 +all"});
  CHECK(check(zone, "192.0.2.1", "a@soft.example").result == spf_result::softfail);
  CHECK(check(zone, "192.0.2.1", "a@neutral.example").result == spf_result::neutral);
  CHECK(check(zone, "192.0.2.1", "a@empty.example").result == spf_result::neutral);
  CHECK(check(zone, "192.0.2.1", "a@pass.example").result == spf_result::pass);
  CHECK(check(zone, "192.0.2.1", "a@nothing.example").result == spf_result::none);
}

TEST_CASE("the HELO identity is checked for the null reverse path") {
  test_resolver zone;
  zone.add_txt("mx.sender.test", {"v=spf1 -exists:%{l}.%{o}.deny.test a -all"});
  zone.add("mx.sender.test", dns::rr_type::A, "192.0.2.5");
  zone.add("postmaster.mx.sender.test.deny.test", dns::rr_type::A, "127.0.0.2");
  auto got = check(zone, "192.0.2.5", "", "mx.sender.test");
  CHECK(got.identity == "helo");
  CHECK(got.sender == "postmaster@mx.sender.test");
  CHECK(got.result == spf_result::fail);  // %{l} is postmaster for HELO
  CHECK(check(zone, "192.0.2.5", "<>", "localhost").result == spf_result::none);
}

TEST_CASE("DNS failures give temperror, except in PTR and exp lookups") {
  test_resolver zone;
  zone.add_failure("down.example", dns::rcode::servfail);
  zone.add_txt("a.example", {"v=spf1 a:slow.example -all"});
  zone.add_failure("slow.example", dns::rcode::timeout);
  zone.add_txt("ptr.example", {"v=spf1 ptr -all exp=slow.example"});
  zone.add_failure("1.2.0.192.in-addr.arpa", dns::rcode::servfail);
  CHECK(check(zone, "192.0.2.1", "x@down.example").result == spf_result::temperror);
  auto got = check(zone, "192.0.2.1", "x@a.example");
  CHECK(got.result == spf_result::temperror);
  CHECK(got.problem == "DNS failure looking up slow.example");
  got = check(zone, "192.0.2.1", "x@ptr.example");
  CHECK(got.result == spf_result::fail);
  CHECK(got.explanation == "192.0.2.1 is not one of ptr.example's designated mail servers");
}

TEST_CASE("the limit of 10 DNS-querying terms, at and past it") {
  test_resolver zone;
  zone.add("host.example.org", dns::rr_type::A, "198.51.100.1");
  zone.add_txt("ten.example", {record_with_dns_terms(10)});
  zone.add_txt("eleven.example", {record_with_dns_terms(11)});
  auto got = check(zone, "192.0.2.1", "x@ten.example");
  CHECK(got.result == spf_result::pass);
  CHECK(got.lookups == 10);
  got = check(zone, "192.0.2.1", "x@eleven.example");
  CHECK(got.result == spf_result::permerror);
  CHECK(got.lookups == 11);
  CHECK(got.problem == "more than 10 DNS-querying terms");
}

TEST_CASE("the limit of 2 void lookups, at and past it") {
  test_resolver zone;
  zone.add_txt("two.example", {"v=spf1 a:no1.example a:no2.example ?all"});
  zone.add_txt("three.example", {"v=spf1 a:no1.example a:no2.example mx:no3.example ?all"});
  auto got = check(zone, "192.0.2.1", "x@two.example");
  CHECK(got.result == spf_result::neutral);
  CHECK(got.void_lookups == 2);
  got = check(zone, "192.0.2.1", "x@three.example");
  CHECK(got.result == spf_result::permerror);
  CHECK(got.void_lookups == 3);
}

TEST_CASE("at most 10 MX names (more is permerror) and 10 PTR names (the rest ignored)") {
  test_resolver zone;
  zone.add_txt("mx10.example", {"v=spf1 mx -all"});
  zone.add_txt("mx11.example", {"v=spf1 mx -all"});
  for (int i = 0; i < 11; ++i) {
    auto host = fmt::format("h{}.example", i);
    auto ptr_name = fmt::format("p{}.ptr.example", i);
    zone.add(host, dns::rr_type::A, fmt::format("198.51.100.{}", i + 1));
    if (i < 10) zone.add_mx("mx10.example", static_cast<std::uint16_t>(i), host);
    zone.add_mx("mx11.example", static_cast<std::uint16_t>(i), host);
    zone.add("5.2.0.192.in-addr.arpa", dns::rr_type::PTR, ptr_name);
    zone.add(ptr_name, dns::rr_type::A, i == 10 ? "192.0.2.5" : "198.51.100.99");
  }
  CHECK(check(zone, "198.51.100.10", "x@mx10.example").result == spf_result::pass);
  CHECK(check(zone, "198.51.100.10", "x@mx11.example").result == spf_result::permerror);
  zone.add_txt("ptr.example", {"v=spf1 ptr ?all"});
  CHECK(check(zone, "192.0.2.5", "x@ptr.example").result == spf_result::neutral);  // the 11th name is not looked at
}

TEST_CASE("dual CIDR lengths apply to each family, IPv4-mapped clients are IPv4") {
  test_resolver zone;
  zone.add_txt("dual.example", {"v=spf1 a/24//64 -all"});
  zone.add("dual.example", dns::rr_type::A, "192.0.2.200");
  zone.add("dual.example", dns::rr_type::AAAA, "2001:db8:1:2::99");
  CHECK(check(zone, "192.0.2.1", "x@dual.example").result == spf_result::pass);
  CHECK(check(zone, "::ffff:192.0.2.1", "x@dual.example").result == spf_result::pass);
  CHECK(check(zone, "192.0.3.1", "x@dual.example").result == spf_result::fail);
  CHECK(check(zone, "2001:db8:1:2::1", "x@dual.example").result == spf_result::pass);
  CHECK(check(zone, "2001:db8:1:3::1", "x@dual.example").result == spf_result::fail);
}

TEST_CASE("include, redirect and exp") {
  test_resolver zone;
  zone.add_txt("main.example", {"v=spf1 include:inc.example exp=why.%{d} redirect=other.example"});
  zone.add_txt("inc.example", {"v=spf1 ip4:192.0.2.0/24 -all"});
  zone.add_txt("other.example", {"v=spf1 ip4:198.51.100.1 -all exp=why.%{d}"});
  zone.add_txt("why.other.example", {"%{i} may not send for %{o} (", "seen by %{r})"});
  CHECK(check(zone, "192.0.2.77", "x@main.example").result == spf_result::pass);
  CHECK(check(zone, "198.51.100.1", "x@main.example").result == spf_result::pass);
  auto got = check(zone, "203.0.113.1", "x@main.example");
  CHECK(got.result == spf_result::fail);
  CHECK(got.explanation == "203.0.113.1 may not send for main.example (seen by mx.receiver.test)");
  CHECK(got.lookups == 2);
}

TEST_CASE("the steps record every lookup and term") {
  test_resolver zone;
  zone.add_txt("example.org", {"v=spf1 a -all"});
  zone.add("example.org", dns::rr_type::A, "192.0.2.10");
  auto got = check(zone, "192.0.2.11", "alice@example.org");
  CHECK(all_steps(got) ==
        "check_host(example.org, 192.0.2.11)\n"
        "dns example.org TXT -> NOERROR: \"v=spf1 a -all\"\n"
        "record example.org: v=spf1 a -all\n"
        "a: DNS term 1 of 10\n"
        "dns example.org A -> NOERROR: 192.0.2.10\n"
        "a -> no match\n"
        "-all -> match: fail\n"
        "result fail\n");
}

TEST_CASE("a client address that is not an address is a permerror") {
  test_resolver zone;
  CHECK(check(zone, "not-an-ip", "a@example.org").result == spf_result::permerror);
}
