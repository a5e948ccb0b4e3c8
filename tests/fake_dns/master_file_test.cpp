// Whole master files, as exported by real DNS servers (RFC 1035 section 5).
#include <catch2/catch.hpp>

#include "fake_dns/master_file.hpp"

using namespace dns;

namespace {

const char* const zone = R"($ORIGIN example.org.
$TTL 1h
@   IN  SOA ns1 hostmaster (
            2024010101 ; serial
            7200       ; refresh
            3600 1209600
            300 )      ; minimum
        IN  NS  ns1
        IN  MX  10 mx1
        IN  MX  20 mx2.example.org.
    300 IN  TXT "v=spf1 ip4:192.0.2.0/24 -all ; not a comment" "(nor a paren"
mx1         A   192.0.2.10
mx2     60  A   192.0.2.20
            AAAA 2001:db8::20
www         CNAME @

$ORIGIN sub
host        A   192.0.2.30
)";

}  // namespace

TEST_CASE("a master file with every construct") {
  auto got = parse_master_file(zone, "example.org.zone");
  REQUIRE(got.size() == 10);
  CHECK(got[0].to_string() == "example.org. 3600 IN SOA ns1.example.org. hostmaster.example.org. 2024010101 7200 3600 1209600 300");
  CHECK(got[1].to_string() == "example.org. 3600 IN NS ns1.example.org.");
  CHECK(got[2].to_string() == "example.org. 3600 IN MX 10 mx1.example.org.");
  CHECK(got[3].to_string() == "example.org. 3600 IN MX 20 mx2.example.org.");
  CHECK(got[4].strings == std::vector<std::string>{"v=spf1 ip4:192.0.2.0/24 -all ; not a comment", "(nor a paren"});
  CHECK(got[4].ttl == 300);
  CHECK(got[5].to_string() == "mx1.example.org. 3600 IN A 192.0.2.10");
  CHECK(got[6].to_string() == "mx2.example.org. 60 IN A 192.0.2.20");
  CHECK(got[7].to_string() == "mx2.example.org. 3600 IN AAAA 2001:db8::20");  // blank owner = previous
  CHECK(got[8].to_string() == "www.example.org. 3600 IN CNAME example.org.");
  CHECK(got[9].to_string() == "host.sub.example.org. 3600 IN A 192.0.2.30");  // $ORIGIN relative to the last
}

TEST_CASE("without $TTL an omitted TTL is the last one written (RFC 1035 5.1)") {
  auto got = parse_master_file("a.test. 60 A 192.0.2.1\nb.test. A 192.0.2.2\n", "f");
  CHECK(got[1].ttl == 60);
  auto first = parse_master_file("a.test. A 192.0.2.1\n", "f", "", 900);
  CHECK(first[0].ttl == 900);
}

TEST_CASE("starting origin and absolute names without $ORIGIN") {
  CHECK(parse_master_file("www A 192.0.2.1", "f", "example.org")[0].name == "www.example.org");
  CHECK(parse_master_file("www.example.org A 192.0.2.1", "f")[0].name == "www.example.org");
}

TEST_CASE("Windows line ends, tabs, comment-only and blank lines") {
  auto got = parse_master_file("; header\r\n\r\na.test.\tA\t192.0.2.1 ; note\r\n   ; indented comment\r\n", "f");
  REQUIRE(got.size() == 1);
  CHECK(got[0].data == "192.0.2.1");
}

TEST_CASE("escaped quotes and parentheses do not open anything") {
  auto got = parse_master_file("t.test. TXT \"a\\\"(b\" \\(c\n", "f");
  CHECK(got[0].strings == std::vector<std::string>{"a\"(b", "(c"});
}

TEST_CASE("master file errors name the file and the line") {
  auto fails = [](std::string text, std::string want) {
    INFO(text);
    CHECK_THROWS_WITH(parse_master_file(text, "z.zone"), Catch::Contains(want));
  };
  fails("a.test. A 192.0.2.1\n\tA 192.0.2.300\n", "z.zone:2: \"192.0.2.300\" is not a valid IPv4 address");
  fails("\tA 192.0.2.1\n", "z.zone:1: a record with a blank owner before any owner");
  fails("a.test. TXT (\n\"x\"\n", "z.zone:1: '(' is never closed");
  fails("a.test. A 192.0.2.1 )\n", "z.zone:1: ')' without '('");
  fails("\n\na.test. TXT \"x\n\"\n", "z.zone:3: unterminated quoted string");
  fails("$TTL\n", "z.zone:1: $TTL takes one value");
  fails("$TTL x\n", "z.zone:1: $TTL \"x\" is not a valid TTL");
  fails("$INCLUDE other.zone\n", "z.zone:1: $INCLUDE is not supported");
  fails("$GENERATE 1-2 a A 1.2.3.4\n", "z.zone:1: unknown directive $GENERATE");
  fails("a.test. (A\n 192.0.2.1\n 2) \n", "z.zone:1: unexpected \"2\"");
  fails("a.test. A 192.0.2.1\n\"q\" A 192.0.2.1\n", "z.zone:2: the owner name cannot be a quoted string");
}

TEST_CASE("a record split across lines by parentheses reads at any split point") {
  std::string record = "t.test. 60 IN TXT \"one\" \"two\" \"three\"";
  auto want = parse_master_file(record, "f");
  // Put "( ... )" around every tail of the RDATA, with a newline inside.
  for (std::size_t at = record.find("TXT") + 3; at < record.size(); ++at) {
    if (record[at] != ' ') continue;
    auto text = record.substr(0, at) + " (\n" + record.substr(at) + "\n)\n";
    INFO(text);
    CHECK(parse_master_file(text, "f") == want);
  }
}
