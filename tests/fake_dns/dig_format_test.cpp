// dig's text for `mailsim dns` (the exact bytes are also compared with the
// real dig in udp_server_test.cpp).
#include <catch2/catch.hpp>

#include "fake_dns/dig_format.hpp"

using namespace dns;

TEST_CASE("answer lines use dig's columns") {
  CHECK(dig_record_line(parse_record("example.org MX 10 mx1.example.org")) == "example.org.\t\t3600\tIN\tMX\t10 mx1.example.org.");
  CHECK(dig_record_line(parse_record("abcdefghijklmnop.org AAAA 2001:db8::1")) == "abcdefghijklmnop.org.\t3600\tIN\tAAAA\t2001:db8::1");
  // A name reaching a column is followed by one space.
  CHECK(dig_record_line(parse_record("abcdefghijklmnopqrstu.org A 192.0.2.2")) == "abcdefghijklmnopqrstu.org. 3600\tIN\tA\t192.0.2.2");
  CHECK(dig_record_line(parse_record("abcdefghijklmnopqrstuv.org A 192.0.2.2")) == "abcdefghijklmnopqrstuv.org. 3600 IN\tA\t192.0.2.2");
  CHECK(dig_record_line(parse_record("x.test TXT \"a\\010b\" \"c\"")) == "x.test.\t\t\t3600\tIN\tTXT\t\"a\\010b\" \"c\"");
  CHECK(dig_record_line(parse_record("null.test MX 0 .")) == "null.test.\t\t3600\tIN\tMX\t0 .");
}

TEST_CASE("question lines put the class at 32 and the type at 40") {
  CHECK(dig_question_line("Example.org", rr_type::MX) == ";example.org.\t\t\tIN\tMX");
  CHECK(dig_question_line("a.very-long-name-for-testing.example.org", rr_type::A) ==
        ";a.very-long-name-for-testing.example.org. IN A");
  CHECK(dig_question_line("h.test", static_cast<rr_type>(65)) == ";h.test.\t\t\tIN\tTYPE65");
}

TEST_CASE("the whole text for NOERROR, NXDOMAIN and timeout") {
  answer a;
  a.records.push_back(parse_record("example.org MX 10 mx1.example.org"));
  CHECK(format_dig("example.org", rr_type::MX, a) ==
        ";; ->>HEADER<<- opcode: QUERY, status: NOERROR\n"
        ";; flags: qr aa; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 0\n"
        "\n"
        ";; QUESTION SECTION:\n"
        ";example.org.\t\t\tIN\tMX\n"
        "\n"
        ";; ANSWER SECTION:\n"
        "example.org.\t\t3600\tIN\tMX\t10 mx1.example.org.\n");
  CHECK(format_dig("nx.test", rr_type::A, answer{rcode::nxdomain, {}}) ==
        ";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN\n"
        ";; flags: qr aa; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0\n"
        "\n"
        ";; QUESTION SECTION:\n"
        ";nx.test.\t\t\tIN\tA\n");
  CHECK(format_dig("x.test", rr_type::A, answer{rcode::timeout, {}}) == ";; connection timed out; no servers could be reached\n");
  CHECK(dig_status_line(rcode::servfail) == ";; ->>HEADER<<- opcode: QUERY, status: SERVFAIL");
}
