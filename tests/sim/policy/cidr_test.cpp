// tests/sim/policy/cidr_test.cpp - addresses and prefixes.
#include <catch2/catch.hpp>

#include "sim/policy/cidr.hpp"

using namespace sim::policy;

namespace {
ip_address cidr_ip(const char* text) {
  auto parsed = parse_ip(text);
  REQUIRE(parsed);
  return *parsed;
}
}  // namespace

TEST_CASE("IPv4 text is a strict dotted quad") {
  CHECK(parse_ipv4("192.0.2.1"));
  CHECK(parse_ipv4("0.0.0.0"));
  CHECK(parse_ipv4("255.255.255.255"));
  CHECK_FALSE(parse_ipv4("256.0.0.1"));
  CHECK_FALSE(parse_ipv4("1.2.3"));
  CHECK_FALSE(parse_ipv4("1.2.3.4.5"));
  CHECK_FALSE(parse_ipv4("01.2.3.4"));
  CHECK_FALSE(parse_ipv4("1.2.3.4:8080"));
  CHECK_FALSE(parse_ipv4("1..3.4"));
  CHECK_FALSE(parse_ipv4(""));
}

TEST_CASE("IPv6 text follows RFC 4291 and formats per RFC 5952") {
  CHECK(format_ip(cidr_ip("2001:DB8::1")) == "2001:db8::1");
  CHECK(format_ip(cidr_ip("::")) == "::");
  CHECK(format_ip(cidr_ip("::1")) == "::1");
  CHECK(format_ip(cidr_ip("2001:db8:0:0:1:0:0:1")) == "2001:db8::1:0:0:1");
  CHECK(format_ip(cidr_ip("2001:db8:0:1:1:1:1:1")) == "2001:db8:0:1:1:1:1:1");
  CHECK(format_ip(cidr_ip("CAFE:BABE::192.168.218.40")) == "cafe:babe::c0a8:da28");
  CHECK(format_ip(cidr_ip("1:2:3:4:5:6:7:8")) == "1:2:3:4:5:6:7:8");
  CHECK_FALSE(parse_ipv6("::CAFE::BABE"));
  CHECK_FALSE(parse_ipv6(":CAFE::BABE"));
  CHECK_FALSE(parse_ipv6("1:2:3:4:5:6:7"));
  CHECK_FALSE(parse_ipv6("1:2:3:4:5:6:7:8:9"));
  CHECK_FALSE(parse_ipv6("1:2:3:4:5:6:7::8"));
  CHECK_FALSE(parse_ipv6("12345::"));
  CHECK_FALSE(parse_ipv6("g::1"));
}

TEST_CASE("IPv4-mapped addresses unmap to IPv4") {
  CHECK(unmap_ipv4(cidr_ip("::FFFF:1.2.3.4")) == cidr_ip("1.2.3.4"));
  CHECK(is_v6(unmap_ipv4(cidr_ip("::FFFE:1.2.3.4"))));
  CHECK(unmap_ipv4(cidr_ip("1.2.3.4")) == cidr_ip("1.2.3.4"));
}

TEST_CASE("reverse names and dotted forms") {
  CHECK(reverse_name(cidr_ip("192.0.2.3")) == "3.2.0.192.in-addr.arpa");
  CHECK(reverse_name(cidr_ip("2001:db8::cb01")) ==
        "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
  CHECK(dotted_ip(cidr_ip("2001:db8::cb01")) == "2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.b.0.1");
  CHECK(dotted_ip(cidr_ip("192.0.2.3")) == "192.0.2.3");
}

TEST_CASE("prefix parsing checks the length at and past each family's limit") {
  CHECK(parse_cidr("192.0.2.0/24") == cidr{cidr_ip("192.0.2.0"), 24});
  CHECK(parse_cidr("192.0.2.1") == cidr{cidr_ip("192.0.2.1"), 32});
  CHECK(parse_cidr("10.0.0.0/32"));
  CHECK_FALSE(parse_cidr("10.0.0.0/33"));
  CHECK(parse_cidr("2001:db8::/128"));
  CHECK_FALSE(parse_cidr("2001:db8::/129"));
  CHECK(parse_cidr("::/0") == cidr{cidr_ip("::"), 0});
  CHECK_FALSE(parse_cidr("10.0.0.0/08"));
  CHECK_FALSE(parse_cidr("10.0.0.0/"));
  CHECK_FALSE(parse_cidr("10.0.0.0/x"));
  CHECK(parse_cidr("2001:db8::/32")->to_string() == "2001:db8::/32");
}

TEST_CASE("prefix matching") {
  auto net = *parse_cidr("192.0.2.0/25");
  CHECK(contains(net, cidr_ip("192.0.2.0")));
  CHECK(contains(net, cidr_ip("192.0.2.127")));
  CHECK_FALSE(contains(net, cidr_ip("192.0.2.128")));
  CHECK(contains(net, cidr_ip("::ffff:192.0.2.5")));  // IPv4-mapped client
  CHECK_FALSE(contains(net, cidr_ip("2001:db8::1")));
  auto v6 = *parse_cidr("2001:db8:1234::/48");
  CHECK(contains(v6, cidr_ip("2001:db8:1234:ffff::1")));
  CHECK_FALSE(contains(v6, cidr_ip("2001:db8:1235::1")));
  CHECK(contains(*parse_cidr("0.0.0.0/0"), cidr_ip("203.0.113.9")));
  CHECK_FALSE(contains(*parse_cidr("0.0.0.0/0"), cidr_ip("::1")));
  CHECK(in_prefix(cidr_ip("1.2.3.4"), cidr_ip("1.2.3.5"), 31));
  CHECK_FALSE(in_prefix(cidr_ip("1.2.3.4"), cidr_ip("1.2.3.5"), 32));
}

TEST_CASE("CIDR lists name the bad entry") {
  std::string bad;
  auto got = parse_cidr_list({"10.0.0.0/8", "2001:db8::/32"}, &bad);
  REQUIRE(got);
  CHECK(got->size() == 2);
  CHECK(contains_any(*got, cidr_ip("10.1.2.3")));
  CHECK_FALSE(contains_any(*got, cidr_ip("11.1.2.3")));
  CHECK_FALSE(parse_cidr_list({"10.0.0.0/8", "nonsense"}, &bad));
  CHECK(bad == "nonsense");
}
