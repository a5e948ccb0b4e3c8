// The RFC 1035 wire codec and the sans-I/O server: round trips, compression,
// truncation, EDNS0, malformed packets (FORMERR or silence, never a crash).
#include <catch2/catch.hpp>

#include <random>

#include "fake_dns/wire.hpp"

using namespace dns;
using namespace dns::wire;

namespace {

zone_store example_zones() {
  zone_store zones;
  for (auto text : {"example.org MX 10 mx1.example.org", "example.org MX 20 mx2.example.org",
                    "example.org TXT \"v=spf1 -all\" \"second\"", "example.org AAAA 2001:db8::1",
                    "example.org SOA ns1.example.org hostmaster.example.org 1 7200 3600 1209600 300",
                    "www.example.org CNAME example.org", "mx1.example.org A 192.0.2.10", "null.test MX 0 ."})
    zones.add(parse_record(text));
  return zones;
}

std::string query_packet(std::string name, rr_type type, std::uint16_t id = 0x1234,
                         std::optional<std::uint16_t> edns = std::nullopt) {
  message m;
  m.head.id = id;
  m.head.rd = true;
  m.questions.push_back({std::move(name), type, class_in});
  m.edns_udp_size = edns;
  return encode(m);
}

std::string hex(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) out += fmt::format("{:02x}", c);
  return out;
}

}  // namespace

TEST_CASE("a query encodes exactly as RFC 1035 4.1 lays it out") {
  auto got = hex(query_packet("example.org", rr_type::MX));
  // id 1234, flags RD, QDCOUNT 1, then 7example3org0, type 15, class 1.
  CHECK(got == "123401000001000000000000076578616d706c65036f726700000f0001");
}

TEST_CASE("messages round-trip through encode and decode") {
  message want;
  want.head = header{.id = 7, .qr = true, .opcode = 0, .aa = true, .tc = false, .rd = true, .ra = false, .rcode = 3};
  want.questions.push_back({"Example.ORG", rr_type::ANY, class_in});
  for (const auto& r : example_zones().records()) want.answers.push_back(r);
  want.edns_udp_size = 1232;
  auto packet = encode(want);
  CHECK(decode(packet) == want);
}

TEST_CASE("names are compressed (RFC 1035 4.1.4)") {
  message m;
  m.questions.push_back({"example.org", rr_type::MX, class_in});
  m.answers.push_back(parse_record("example.org MX 10 mx1.example.org"));
  auto packet = encode(m);
  // header 12 + question 17; answer: pointer 2 + 10 fixed + 2 preference + "mx1" 4 + pointer 2.
  CHECK(packet.size() == 12 + 17 + 2 + 10 + 2 + 4 + 2);
  CHECK(hex(packet.substr(29, 2)) == "c00c");
  CHECK(decode(packet).answers[0].data == "mx1.example.org");
}

TEST_CASE("respond answers from the zones") {
  auto zones = example_zones();
  auto reply = respond(zones, query_packet("WWW.example.org", rr_type::MX));
  REQUIRE(reply);
  auto got = decode(*reply);
  CHECK(got.head.id == 0x1234);
  CHECK(got.head.qr);
  CHECK(got.head.aa);
  CHECK(got.head.rd);
  CHECK(got.head.rcode == 0);
  CHECK(got.questions[0].name == "WWW.example.org");  // the question is echoed as asked
  REQUIRE(got.answers.size() == 3);
  CHECK(got.answers[0].to_string() == "www.example.org. 3600 IN CNAME example.org.");
  CHECK(got.answers[2].to_string() == "example.org. 3600 IN MX 20 mx2.example.org.");
  CHECK_FALSE(got.edns_udp_size);

  CHECK(decode(*respond(zones, query_packet("nope.example.org", rr_type::A))).head.rcode == 3);
  auto nodata = decode(*respond(zones, query_packet("mx1.example.org", rr_type::MX)));
  CHECK(nodata.head.rcode == 0);
  CHECK(nodata.answers.empty());
  CHECK(decode(*respond(zones, query_packet("null.test", rr_type::MX))).answers[0].to_string() == "null.test. 3600 IN MX 0 .");
  CHECK(decode(*respond(zones, query_packet("example.org", rr_type::SPF))).answers.empty());
  CHECK(decode(*respond(zones, query_packet("example.org", static_cast<rr_type>(65)))).head.rcode == 0);
}

TEST_CASE("respond applies the fault table") {
  auto zones = example_zones();
  fault_table faults;
  faults.set("example.org", rr_type::MX, rcode::servfail);
  faults.set("www.example.org", std::nullopt, rcode::timeout);
  faults.set("mx1.example.org", rr_type::A, rcode::nxdomain);
  CHECK(decode(*respond(zones, query_packet("example.org", rr_type::MX), &faults)).head.rcode == 2);
  CHECK(decode(*respond(zones, query_packet("example.org", rr_type::TXT), &faults)).answers.size() == 1);
  CHECK_FALSE(respond(zones, query_packet("www.example.org", rr_type::A), &faults));
  CHECK(decode(*respond(zones, query_packet("mx1.example.org", rr_type::A), &faults)).head.rcode == 3);
}

TEST_CASE("over 512 octets without EDNS: whole answers dropped, TC set") {
  zone_store zones;
  for (int i = 0; i < 40; ++i) zones.add(parse_record(fmt::format("big.test TXT \"record number {:02} padding\"", i)));
  auto plain = *respond(zones, query_packet("big.test", rr_type::TXT));
  CHECK(plain.size() <= 512);
  auto got = decode(plain);
  CHECK(got.head.tc);
  CHECK_FALSE(got.answers.empty());
  CHECK(got.answers.size() < 40);
  CHECK(got.answers.back().strings[0] == fmt::format("record number {:02} padding", got.answers.size() - 1));

  // EDNS0 (RFC 6891) lets the client accept more: at most our 1232.
  auto larger = decode(*respond(zones, query_packet("big.test", rr_type::TXT, 1, 4096)));
  CHECK(larger.head.tc);
  CHECK(larger.answers.size() > got.answers.size());
  CHECK(larger.edns_udp_size == edns_size_ours);
  auto small_edns = *respond(zones, query_packet("big.test", rr_type::TXT, 1, 100));  // below 512 counts as 512
  CHECK(small_edns.size() <= 512);

  zone_store few;
  few.add(parse_record("big.test TXT \"x\""));
  CHECK_FALSE(decode(*respond(few, query_packet("big.test", rr_type::TXT))).head.tc);
}

TEST_CASE("over TCP every answer fits (RFC 1035 4.2.2, RFC 7766)") {
  zone_store zones;
  for (int i = 0; i < 40; ++i) zones.add(parse_record(fmt::format("big.test TXT \"record number {:02} padding\"", i)));
  auto tcp = *respond(zones, query_packet("big.test", rr_type::TXT), nullptr, true);
  CHECK(tcp.size() > 1232);
  auto got = decode(tcp);
  CHECK_FALSE(got.head.tc);
  CHECK(got.answers.size() == 40);
}

TEST_CASE("exactly 512 octets fit, 513 do not") {
  // Header 12 + question 12 ("t.test" is 8 octets, + 4) = 24; the answer
  // is 12 (pointer and fixed fields) + RDATA 1 + 255 + 1 + n: 512 at n = 219.
  auto make = [](std::size_t second) {
    record r = parse_record("t.test TXT \"x\"");
    r.strings = {std::string(255, 'a'), std::string(second, 'b')};
    zone_store zones;
    zones.add(r);
    return *respond(zones, query_packet("t.test", rr_type::TXT));
  };
  auto fits = make(219);
  CHECK(fits.size() == 512);
  CHECK_FALSE(decode(fits).head.tc);
  auto over = decode(make(220));
  CHECK(over.head.tc);
  CHECK(over.answers.empty());
}

TEST_CASE("malformed queries: FORMERR when the header is readable, else silence") {
  auto zones = example_zones();
  auto good = query_packet("example.org", rr_type::MX);
  CHECK_FALSE(respond(zones, ""));
  CHECK_FALSE(respond(zones, good.substr(0, 11)));
  // Every truncation past the header is FORMERR with the query's id.
  for (std::size_t n = 12; n < good.size(); ++n) {
    auto reply = respond(zones, good.substr(0, n));
    INFO(n);
    REQUIRE(reply);
    auto got = decode(*reply);
    CHECK(got.head.rcode == 1);
    CHECK(got.head.id == 0x1234);
    CHECK(got.questions.empty());
  }
  // A response is never answered (no reflection loops).
  auto as_response = good;
  as_response[2] = static_cast<char>(as_response[2] | 0x80);
  CHECK_FALSE(respond(zones, as_response));
  // Two questions: FORMERR; an opcode other than QUERY: NOTIMP; class CH: REFUSED.
  message two;
  two.questions = {{"a.test", rr_type::A, class_in}, {"b.test", rr_type::A, class_in}};
  CHECK(decode(*respond(zones, encode(two))).head.rcode == 1);
  // Many long questions: the FORMERR still fits 512 octets (found by fuzzing).
  message many;
  for (int i = 0; i < 40; ++i)
    many.questions.push_back({std::string(60, 'a') + std::to_string(i) + ".test", rr_type::A, class_in});
  auto many_reply = respond(zones, encode(many));
  REQUIRE(many_reply);
  CHECK(many_reply->size() <= 512);
  CHECK(decode(*many_reply).head.rcode == 1);
  CHECK(decode(*many_reply).questions.empty());
  many.head.opcode = 2;
  CHECK(respond(zones, encode(many))->size() <= 512);
  auto status = good;
  status[2] = static_cast<char>(2 << 3);
  CHECK(decode(*respond(zones, status)).head.rcode == 4);
  message chaos;
  chaos.questions = {{"version.bind", rr_type::TXT, 3}};
  CHECK(decode(*respond(zones, encode(chaos))).head.rcode == 5);
  message axfr;
  axfr.questions = {{"example.org", static_cast<rr_type>(252), class_in}};
  CHECK(decode(*respond(zones, encode(axfr))).head.rcode == 4);
}

TEST_CASE("decode refuses pointer loops, forward pointers and bad labels") {
  std::string header_one_question("\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00", 12);
  auto fails = [&](std::string body, std::string want) {
    INFO(want);
    CHECK_THROWS_WITH(decode(header_one_question + body), Catch::Contains(want));
  };
  fails(std::string("\xc0\x0c\x00\x01\x00\x01", 6), "points forward");        // points at itself
  fails(std::string("\xc0\x20\x00\x01\x00\x01", 6), "points forward");        // past the end
  fails(std::string("\x01" "a\xc0\x0c\x00\x01\x00\x01", 8), "points forward"); // loops back to its start
  fails(std::string("\x41" "a", 2), "label type 0x40");
  fails(std::string("\x05" "ab", 3), "a label runs past the end");
  fails(std::string("\x01" "a", 2), "a name runs past the end");
  fails(std::string("\x03" "a.b\x00\x00\x01\x00\x01", 9), "holding '.'");
  std::string long_name;
  for (int i = 0; i < 5; ++i) {
    long_name.push_back('\x3f');
    long_name.append(63, 'a');
  }
  long_name.append("\x00\x00\x01\x00\x01", 5);
  fails(long_name, "over 255 octets");
}

TEST_CASE("decode checks RDLENGTH against the RDATA") {
  message m;
  m.answers.push_back(parse_record("h.test A 192.0.2.1"));
  auto packet = encode(m);
  // RDLENGTH is the two octets before the last four.
  auto bad = packet;
  bad[bad.size() - 5] = 5;
  CHECK_THROWS_AS(decode(bad), wire_error);
  bad[bad.size() - 5] = 3;
  CHECK_THROWS_AS(decode(bad), wire_error);
  // A record of an unsupported type is skipped, not refused.
  auto other = packet;
  other[packet.size() - 14] = 0x00, other[packet.size() - 13] = 100;  // TYPE100
  CHECK(decode(other).answers.empty());
}

TEST_CASE("random and mutated packets never crash the server (fixed seed)") {
  auto zones = example_zones();
  std::mt19937_64 random(20260105);  // fixed seed: the same inputs every run
  std::vector<std::string> seeds{query_packet("example.org", rr_type::MX), query_packet("www.example.org", rr_type::A, 9, 1232),
                                 *respond(zones, query_packet("example.org", rr_type::ANY))};
  std::size_t replies = 0, silences = 0;
  for (int i = 0; i < 30000; ++i) {
    std::string packet;
    if (i % 3 == 0) {  // pure noise of random length
      packet.resize(random() % 80);
      for (auto& c : packet) c = static_cast<char>(random() & 0xff);
    } else {  // a valid packet with a few octets changed, maybe cut short
      packet = seeds[random() % seeds.size()];
      for (int flips = 1 + static_cast<int>(random() % 4); flips > 0; --flips)
        packet[random() % packet.size()] = static_cast<char>(random() & 0xff);
      if (random() % 4 == 0) packet.resize(random() % packet.size());
    }
    std::optional<std::string> reply;
    REQUIRE_NOTHROW(reply = respond(zones, packet));
    if (!reply) { ++silences; continue; }
    ++replies;
    CHECK(reply->size() <= edns_size_ours);
    message got;
    REQUIRE_NOTHROW(got = decode(*reply));  // whatever we send is well formed
    CHECK(got.head.qr);
  }
  CHECK(replies > 10000);
  CHECK(silences > 100);
}
