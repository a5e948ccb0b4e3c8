// Addresses, reverse names, RFC 5782 DNSBL names, automatic host records.
#include <catch2/catch.hpp>

#include "fake_dns/reverse.hpp"
#include "fake_dns/zone_store.hpp"

using namespace dns;

TEST_CASE("IPv4 text: strict dotted quad") {
  CHECK(canonical_ip("192.0.2.1") == "192.0.2.1");
  CHECK(canonical_ip("0.0.0.0") == "0.0.0.0");
  CHECK(canonical_ip("255.255.255.255") == "255.255.255.255");
  for (auto bad : {"256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.", "", "1..2.3", "a.b.c.d", "1.2.3.1000"}) {
    INFO(bad);
    CHECK_FALSE(parse_ipv4(bad));
  }
}

TEST_CASE("IPv6 text: RFC 4291 forms in, RFC 5952 out") {
  CHECK(canonical_ip("2001:DB8:0:0:0:0:0:1") == "2001:db8::1");
  CHECK(canonical_ip("2001:db8::") == "2001:db8::");
  CHECK(canonical_ip("::") == "::");
  CHECK(canonical_ip("::1") == "::1");
  CHECK(canonical_ip("2001:db8:0:1:0:0:0:1") == "2001:db8:0:1::1");     // longest zero run
  CHECK(canonical_ip("2001:db8:0:0:1:0:0:1") == "2001:db8::1:0:0:1");   // first on a tie
  CHECK(canonical_ip("2001:db8:1:1:1:1:0:1") == "2001:db8:1:1:1:1:0:1"); // one zero group stays
  CHECK(canonical_ip("::FFFF:7F00:2") == "::ffff:127.0.0.2");
  CHECK(canonical_ip("::ffff:192.0.2.1") == "::ffff:192.0.2.1");
  CHECK(canonical_ip("1:2:3:4:5:6:7:8") == "1:2:3:4:5:6:7:8");
  for (auto bad : {"1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7::8",
                   "::1.2.3", "1.2.3.4::", ":::"}) {
    INFO(bad);
    CHECK_FALSE(parse_ipv6(bad));
  }
}

TEST_CASE("reverse names (RFC 1035 3.5, RFC 3596 2.5)") {
  CHECK(reverse_name("192.0.2.1") == "1.2.0.192.in-addr.arpa");
  CHECK(reverse_name("2001:db8::567:89ab") ==
        "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
  CHECK_THROWS_AS(reverse_name("not-an-ip"), parse_error);
}

TEST_CASE("DNSBL query names and RFC 5782 section 5 test points") {
  auto zones = [] {
    zone_store z;
    z.add(parse_record("2.0.0.127.bl.example A 127.0.0.2"));
    z.add(parse_record("2.0.0.127.bl.example TXT \"test point\""));
    z.add(parse_record(dnsbl_query_name("::FFFF:7F00:2", "bl.example") + " A 127.0.0.2"));
    return z;
  }();
  CHECK(dnsbl_query_name("127.0.0.2", "bl.example") == "2.0.0.127.bl.example");
  CHECK(dnsbl_query_name("192.0.2.99", "Bl.Example.") == "99.2.0.192.bl.example");
  // RFC 5782 2.4: IPv6 in nibble form; 5: ::FFFF:7F00:2 is the IPv6 test point.
  CHECK(dnsbl_query_name("::FFFF:7F00:2", "bl.example") ==
        "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.bl.example");
  CHECK(zones.lookup(dnsbl_query_name("127.0.0.2", "bl.example"), rr_type::A).records.size() == 1);
  CHECK(zones.lookup(dnsbl_query_name("127.0.0.1", "bl.example"), rr_type::A).code == rcode::nxdomain);
  CHECK(zones.lookup(dnsbl_query_name("::FFFF:7F00:2", "bl.example"), rr_type::A).records.size() == 1);
  CHECK(zones.lookup(dnsbl_query_name("::FFFF:7F00:1", "bl.example"), rr_type::A).code == rcode::nxdomain);
  CHECK_THROWS_AS(dnsbl_query_name("127.0.0.2", "bad..zone"), parse_error);
}

TEST_CASE("automatic A/AAAA + PTR records for a host") {
  auto v4 = auto_host_records("MX1.example.org", "198.51.100.10");
  REQUIRE(v4.size() == 2);
  CHECK(v4[0].to_string() == "mx1.example.org. 3600 IN A 198.51.100.10");
  CHECK(v4[1].to_string() == "10.100.51.198.in-addr.arpa. 3600 IN PTR mx1.example.org.");
  auto v6 = auto_host_records("h.test", "2001:DB8::25", 300);
  CHECK(v6[0].to_string() == "h.test. 300 IN AAAA 2001:db8::25");
  CHECK(v6[1].name.ends_with(".ip6.arpa"));
  CHECK(v6[1].data == "h.test");
  CHECK_THROWS_AS(auto_host_records("h.test", "300.1.1.1"), parse_error);
}
