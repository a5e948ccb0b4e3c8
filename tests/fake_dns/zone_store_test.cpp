// Lookups: CNAME chains, NXDOMAIN vs NODATA, case, insertion order; faults.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "fake_dns/fault_table.hpp"
#include "fake_dns/zone_store.hpp"

using namespace dns;

namespace {

zone_store make_zones(std::initializer_list<const char*> texts) {
  zone_store zones;
  for (auto text : texts) zones.add(parse_record(text));
  return zones;
}

std::vector<std::string> texts(const answer& a) {
  std::vector<std::string> out;
  for (const auto& r : a.records) out.push_back(r.to_string());
  return out;
}

}  // namespace

TEST_CASE("records come back in insertion order, case-insensitively") {
  auto zones = make_zones({"example.org MX 20 mx2.example.org", "example.org MX 10 mx1.example.org",
                           "example.org A 192.0.2.1"});
  auto got = zones.lookup("EXAMPLE.Org.", rr_type::MX);
  CHECK(got.code == rcode::noerror);
  std::vector<std::string> want{"example.org. 3600 IN MX 20 mx2.example.org.", "example.org. 3600 IN MX 10 mx1.example.org."};
  CHECK(texts(got) == want);
  CHECK(zones.size() == 3);
  CHECK(texts(zones.lookup("example.org", rr_type::ANY)).size() == 3);
}

TEST_CASE("NXDOMAIN for an unknown name, NODATA for a name with other types") {
  auto zones = make_zones({"a.b.example.org A 192.0.2.1"});
  CHECK(zones.lookup("nothing.example.org", rr_type::A).code == rcode::nxdomain);
  auto nodata = zones.lookup("a.b.example.org", rr_type::MX);
  CHECK(nodata.code == rcode::noerror);
  CHECK(nodata.records.empty());
  // An empty non-terminal exists (RFC 8020): NODATA, not NXDOMAIN.
  CHECK(zones.lookup("b.example.org", rr_type::A).code == rcode::noerror);
  CHECK(zones.lookup("org", rr_type::A).code == rcode::noerror);
  zones.remove("a.b.example.org", rr_type::A);
  CHECK(zones.lookup("b.example.org", rr_type::A).code == rcode::nxdomain);
  CHECK(zones.lookup("a.b.example.org", rr_type::A).code == rcode::nxdomain);
}

TEST_CASE("an invalid question name is FORMERR") {
  zone_store zones;
  CHECK(zones.lookup("a..b", rr_type::A).code == rcode::formerr);
}

TEST_CASE("CNAMEs are followed and listed first") {
  auto zones = make_zones({"www.example.org CNAME web.example.org", "web.example.org CNAME host.example.net",
                           "host.example.net A 192.0.2.7"});
  auto got = zones.lookup("www.example.org", rr_type::A);
  CHECK(got.code == rcode::noerror);
  std::vector<std::string> want{"www.example.org. 3600 IN CNAME web.example.org.",
                                "web.example.org. 3600 IN CNAME host.example.net.",
                                "host.example.net. 3600 IN A 192.0.2.7"};
  CHECK(texts(got) == want);
  // Asking for the CNAME itself does not follow it.
  CHECK(texts(zones.lookup("www.example.org", rr_type::CNAME)).size() == 1);
  // NODATA at the end of the chain keeps the chain.
  auto nodata = zones.lookup("www.example.org", rr_type::MX);
  CHECK(nodata.code == rcode::noerror);
  CHECK(nodata.records.size() == 2);
}

TEST_CASE("a CNAME to nothing is NXDOMAIN with the chain (RFC 6604)") {
  auto zones = make_zones({"www.example.org CNAME gone.example.org"});
  auto got = zones.lookup("www.example.org", rr_type::A);
  CHECK(got.code == rcode::nxdomain);
  CHECK(got.records.size() == 1);
}

TEST_CASE("CNAME loops and chains over 8 are SERVFAIL") {
  auto loop = make_zones({"a.test CNAME b.test", "b.test CNAME a.test"});
  auto got = loop.lookup("a.test", rr_type::A);
  CHECK(got.code == rcode::servfail);
  CHECK(got.records.empty());

  auto self = make_zones({"a.test CNAME a.test"});
  CHECK(self.lookup("a.test", rr_type::A).code == rcode::servfail);

  auto chain = [](int links) {
    zone_store zones;
    for (int i = 0; i < links; ++i) zones.add(parse_record(fmt::format("c{}.test CNAME c{}.test", i, i + 1)));
    zones.add(parse_record(fmt::format("c{}.test A 192.0.2.1", links)));
    return zones.lookup("c0.test", rr_type::A);
  };
  CHECK(chain(8).code == rcode::noerror);
  CHECK(chain(8).records.size() == 9);
  CHECK(chain(9).code == rcode::servfail);
}

TEST_CASE("duplicates are ignored, CNAME cannot share its name") {
  zone_store zones;
  CHECK(zones.add(parse_record("h.test 60 A 192.0.2.1")));
  CHECK_FALSE(zones.add(parse_record("h.test 300 A 192.0.2.1")));
  CHECK(zones.size() == 1);
  CHECK_THROWS_WITH(zones.add(parse_record("h.test CNAME x.test")), Catch::Contains("RFC 2181 10.1"));
  zones.add(parse_record("w.test CNAME h.test"));
  CHECK_THROWS_AS(zones.add(parse_record("w.test CNAME other.test")), zone_error);
  CHECK_THROWS_AS(zones.add(parse_record("w.test TXT \"x\"")), zone_error);
  CHECK(zones.size() == 2);
}

TEST_CASE("records are removed at run time, ignoring TTL") {
  auto zones = make_zones({"example.org MX 10 mx1.example.org", "example.org MX 20 mx2.example.org"});
  CHECK(zones.remove(parse_record("example.org 5 MX 10 mx1.example.org")) == 1);
  CHECK(zones.remove(parse_record("example.org MX 10 mx1.example.org")) == 0);
  CHECK(texts(zones.lookup("example.org", rr_type::MX)) == std::vector<std::string>{"example.org. 3600 IN MX 20 mx2.example.org."});
  CHECK(zones.has("example.org", rr_type::MX));
  CHECK_FALSE(zones.has("example.org", rr_type::A));
  CHECK(zones.remove("example.org", rr_type::ANY) == 1);
  CHECK(zones.lookup("example.org", rr_type::MX).code == rcode::nxdomain);
  CHECK(zones.size() == 0);
}

TEST_CASE("records() lists everything by name, then insertion order") {
  auto zones = make_zones({"b.test A 192.0.2.2", "a.test TXT \"2\"", "a.test TXT \"1\""});
  auto all = zones.records();
  REQUIRE(all.size() == 3);
  CHECK(all[0].strings[0] == "2");
  CHECK(all[1].strings[0] == "1");
  CHECK(all[2].name == "b.test");
}

TEST_CASE("faults: per type, for every type, cleared") {
  fault_table faults;
  faults.set("Example.org", rr_type::MX, rcode::servfail);
  faults.set("example.org", std::nullopt, rcode::timeout);
  CHECK(faults.find("example.org", rr_type::MX) == rcode::servfail);
  CHECK(faults.find("example.org", rr_type::A) == rcode::timeout);
  CHECK_FALSE(faults.find("other.org", rr_type::A));
  CHECK(faults.clear("example.org", rr_type::MX));
  CHECK_FALSE(faults.clear("example.org", rr_type::MX));
  CHECK(faults.find("example.org", rr_type::MX) == rcode::timeout);
  faults.set("example.org", rr_type::TXT, rcode::nxdomain);
  CHECK(faults.clear_name("EXAMPLE.org.") == 2);
  CHECK(faults.empty());
  CHECK_THROWS_AS(faults.set("example.org", std::nullopt, rcode::refused), std::invalid_argument);
  CHECK_THROWS_AS(faults.set("a..b", std::nullopt, rcode::servfail), std::invalid_argument);
  CHECK(parse_fault_rcode("servfail") == rcode::servfail);
  CHECK(parse_fault_rcode("NXDOMAIN") == rcode::nxdomain);
  CHECK(parse_fault_rcode("timeout") == rcode::timeout);
  CHECK_FALSE(parse_fault_rcode("REFUSED"));
}
