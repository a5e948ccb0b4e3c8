// Records and names: canonical form, presentation parsing and printing.
#include <catch2/catch.hpp>

#include "fake_dns/record.hpp"

using namespace dns;

TEST_CASE("canonical names are lower-case without the trailing dot") {
  CHECK(canonical_name("Example.ORG.") == "example.org");
  CHECK(canonical_name("example.org") == "example.org");
  CHECK(canonical_name(".") == "");
  CHECK(canonical_name("") == "");
  CHECK(canonical_name("a\\065b.test") == "aab.test");  // \DDD decoded, then lower-cased
  CHECK(canonical_name("a\\ b.test") == "a b.test");
}

TEST_CASE("label and name length limits (RFC 1035 2.3.4)") {
  std::string label63(63, 'a');
  CHECK(canonical_name(label63 + ".test") == label63 + ".test");
  CHECK_THROWS_WITH(canonical_name(label63 + "a.test"), Catch::Contains("label of 64 octets"));
  // 4 labels of 63 = 4 * 64 + 1 = 257 octets; trim to exactly 255.
  std::string name = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b');
  CHECK(canonical_name(name).size() == 253);  // 255 octets on the wire
  CHECK_THROWS_WITH(canonical_name(name + "b"), Catch::Contains("256 octets"));
  CHECK_THROWS_WITH(canonical_name("a..b"), Catch::Contains("empty label"));
  CHECK_THROWS_WITH(canonical_name(".a"), Catch::Contains("empty label"));
  CHECK_THROWS_WITH(canonical_name("a\\.b"), Catch::Contains("escaped '.'"));
  CHECK_THROWS(canonical_name("a\\"));
  CHECK_THROWS(canonical_name("a\\25"));
  CHECK_THROWS(canonical_name("a\\256"));
}

TEST_CASE("type and rcode names") {
  CHECK(parse_type("mx") == rr_type::MX);
  CHECK(parse_type("SPF") == rr_type::SPF);
  CHECK(static_cast<int>(parse_type("spf")) == 99);
  CHECK_THROWS_WITH(parse_type("MXX"), Catch::Contains("unknown record type \"MXX\""));
  CHECK(type_name(rr_type::AAAA) == "AAAA");
  CHECK(type_text(static_cast<rr_type>(65)) == "TYPE65");
  CHECK(rcode_name(rcode::nxdomain) == "NXDOMAIN");
  CHECK(rcode_name(rcode::timeout) == "timeout");
}

TEST_CASE("parse_record reads each supported type") {
  auto got = parse_record("Example.org MX 10 MX1.example.org");
  CHECK(got.name == "example.org");
  CHECK(got.ttl == 3600);
  CHECK(got.type == rr_type::MX);
  CHECK(got.preference == 10);
  CHECK(got.data == "mx1.example.org");

  CHECK(parse_record("h.test MX 65535 mx.test").preference == 65535);  // the largest preference
  CHECK(parse_record("h.test. 300 IN A 192.0.2.1").data == "192.0.2.1");
  CHECK(parse_record("h.test IN 300 A 192.0.2.1").ttl == 300);  // class before TTL
  CHECK(parse_record("h.test 1h30m A 192.0.2.1").ttl == 5400);
  CHECK(parse_record("h.test AAAA 2001:DB8:0:0:0:0:0:1").data == "2001:db8::1");
  CHECK(parse_record("1.2.0.192.in-addr.arpa PTR h.test.").data == "h.test");
  CHECK(parse_record("www.test CNAME h.test").type == rr_type::CNAME);
  CHECK(parse_record("test NS ns1.test").data == "ns1.test");
  auto spf = parse_record("test SPF \"v=spf1 -all\"");
  CHECK(spf.type == rr_type::SPF);
  CHECK(spf.strings == std::vector<std::string>{"v=spf1 -all"});
  auto soa = parse_record("test SOA ns1.test hostmaster.test 2024010101 2h 1h 2w 300");
  CHECK(soa.data == "ns1.test");
  CHECK(soa.soa.rname == "hostmaster.test");
  CHECK(soa.soa.serial == 2024010101u);
  CHECK(soa.soa.refresh == 7200);
  CHECK(soa.soa.expire == 1209600);
  CHECK(soa.soa.minimum == 300);
}

TEST_CASE("a null MX parses with the root as exchange (RFC 7505)") {
  auto got = parse_record("example.org MX 0 .");
  CHECK(got.preference == 0);
  CHECK(got.data == "");
  CHECK(got.to_string() == "example.org. 3600 IN MX 0 .");
}

TEST_CASE("TXT strings: several, quoted, escaped (RFC 1035 5.1)") {
  auto got = parse_record(R"x(t.test TXT "v=spf1 ip4:192.0.2.0/24" " -all" plain "q\"uote" "back\\slash" "\065\066;()")x");
  std::vector<std::string> want{"v=spf1 ip4:192.0.2.0/24", " -all", "plain", "q\"uote", "back\\slash", "AB;()"};
  CHECK(got.strings == want);
  CHECK(txt_joined(got) == "v=spf1 ip4:192.0.2.0/24 -allplainq\"uoteback\\slashAB;()");
  CHECK(got.to_string() ==
        R"x(t.test. 3600 IN TXT "v=spf1 ip4:192.0.2.0/24" " -all" "plain" "q\"uote" "back\\slash" "AB;()")x");
  CHECK(parse_record(R"(t.test TXT "")").strings == std::vector<std::string>{""});
  CHECK(parse_record("t.test TXT \"a\\010b\\255\"").to_string() == "t.test. 3600 IN TXT \"a\\010b\\255\"");
  CHECK(parse_record("t.test TXT \"x\" ; a comment").strings.size() == 1);
}

TEST_CASE("TXT character-strings are at most 255 octets") {
  std::string s255(255, 'x');
  CHECK(parse_record("t.test TXT \"" + s255 + "\"").strings[0].size() == 255);
  CHECK_THROWS_WITH(parse_record("t.test TXT \"" + s255 + "x\""), Catch::Contains("256 octets (at most 255)"));
}

TEST_CASE("relative names use the origin") {
  auto got = parse_record("www MX 10 mx1", "example.org");
  CHECK(got.name == "www.example.org");
  CHECK(got.data == "mx1.example.org");
  CHECK(parse_record("@ MX 10 mx1.other.", "example.org.").name == "example.org");
  CHECK(parse_record("@ MX 10 mx1.other.", "example.org.").data == "mx1.other");
}

TEST_CASE("invalid records name the record and the problem") {
  auto fails = [](std::string text, std::string want) {
    INFO(text);
    CHECK_THROWS_WITH(parse_record(text), Catch::Contains(want) && Catch::Contains("record \"" + text + "\""));
  };
  fails("", "empty record");
  fails("h.test", "record type is missing");
  fails("h.test 300", "record type is missing");
  fails("h.test FOO 1", "unknown record type \"FOO\"");
  fails("h.test A 192.0.2.256", "\"192.0.2.256\" is not a valid IPv4 address");
  fails("h.test A 192.0.2", "not a valid IPv4");
  fails("h.test A 192.0.2.01", "not a valid IPv4");
  fails("h.test A", "A needs an IPv4 address");
  fails("h.test A 192.0.2.1 192.0.2.2", "unexpected \"192.0.2.2\"");
  fails("h.test AAAA 192.0.2.1", "not a valid IPv6");
  fails("h.test AAAA 1::2::3", "not a valid IPv6");
  fails("h.test MX 65536 mx.test", "MX preference \"65536\" is not a number 0-65535");
  fails("h.test MX ten mx.test", "MX preference \"ten\"");
  fails("h.test MX 10", "MX needs PREFERENCE EXCHANGE");
  fails("h.test MX 10 \"mx.test\"", "MX exchange cannot be a quoted string");
  fails("h.test TXT", "TXT needs at least one string");
  fails("h.test TXT \"open", "unterminated quoted string");
  fails("h.test TXT \"a\\9\"", "\\DDD needs three digits");
  fails("h.test TXT \"\\999\"", "above 255");
  fails("h.test CH TXT \"x\"", "class CH is not supported");
  fails("h.test 99999999999 A 192.0.2.1", "TTL \"99999999999\" is not valid");
  fails("h.test 2147483648 A 192.0.2.1", "TTL \"2147483648\"");
  fails("h.test ANY 1", "ANY is a query type");
  fails("h.test CNAME a b", "unexpected \"b\"");
  fails(std::string(64, 'a') + ".test A 192.0.2.1", "label of 64 octets");
  fails("h.test SOA a b 1 2 3 4", "SOA needs");
  fails("h.test SOA a b x 2 3 4 5", "SOA SERIAL \"x\"");
}

TEST_CASE("TTL boundary: 2^31 - 1 is the largest") {
  CHECK(parse_ttl("2147483647") == 2147483647u);
  CHECK_FALSE(parse_ttl("2147483648"));
  CHECK(parse_ttl("0") == 0u);
  CHECK(parse_ttl("1w2d") == 9u * 86400u);
  CHECK_FALSE(parse_ttl("h"));
  CHECK_FALSE(parse_ttl("1h30"));
  CHECK_FALSE(parse_ttl("1x"));
}

TEST_CASE("to_string is presentation format that parses back") {
  for (std::string text : {"example.org. 3600 IN MX 10 mx1.example.org.", "h.test. 60 IN A 192.0.2.1",
                           "h.test. 60 IN AAAA 2001:db8::1", "www.test. 5 IN CNAME h.test.",
                           "t.test. 3600 IN TXT \"a b\" \"c\\\"d\"", "t.test. 3600 IN SPF \"v=spf1 -all\"",
                           "test. 3600 IN SOA ns1.test. hostmaster.test. 1 7200 3600 1209600 300",
                           "a\\(b.test. 3600 IN NS ns\\;1.test."}) {
    auto got = parse_record(text);
    CHECK(got.to_string() == text);
    CHECK(parse_record(got.to_string()) == got);
  }
}

TEST_CASE("same_rr ignores the TTL only") {
  auto a = parse_record("h.test 60 A 192.0.2.1");
  CHECK(same_rr(a, parse_record("h.test 3600 A 192.0.2.1")));
  CHECK_FALSE(same_rr(a, parse_record("h.test 60 A 192.0.2.2")));
}
