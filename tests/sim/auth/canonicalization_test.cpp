// tests/sim/auth/canonicalization_test.cpp - RFC 6376 §3.4 and what a signature covers (§3.7, §5.4).
#include <catch2/catch.hpp>

#include "sim/auth/canonicalization.hpp"
#include "sim/auth/dkim_hash_input.hpp"

using namespace sim::auth;

namespace {

// RFC 6376 §3.4.6: "A: <SP> X <CRLF>" and so on, written out.
const std::string example = "A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n";

std::string headers_of(canonicalization c) {
  const auto m = dkim_view(example);
  std::string out;
  for (const auto& f : m.fields()) out += canonicalize_header(c, f.name, f.value);
  return out;
}

}  // namespace

TEST_CASE("RFC 6376 3.4.6: relaxed header and body") {
  CHECK(headers_of(canonicalization::relaxed) == "a:X\r\nb:Y Z\r\n");
  CHECK(canonicalize_body(canonicalization::relaxed, dkim_view(example).body()) == " C\r\nD E\r\n");
}

TEST_CASE("RFC 6376 3.4.6: simple header and body") {
  CHECK(headers_of(canonicalization::simple) == "A: X\r\nB : Y\t\r\n\tZ  \r\n");
  CHECK(canonicalize_body(canonicalization::simple, dkim_view(example).body()) == " C \r\nD \t E\r\n");
}

TEST_CASE("bodies: empty, missing final CRLF, only empty lines") {
  using enum canonicalization;
  CHECK(canonicalize_body(simple, "") == "\r\n");  // §3.4.3
  CHECK(canonicalize_body(relaxed, "") == "");     // §3.4.4
  CHECK(canonicalize_body(simple, "\r\n\r\n\r\n") == "\r\n");
  CHECK(canonicalize_body(relaxed, "\r\n \t\r\n\r\n") == "");
  CHECK(canonicalize_body(simple, "abc") == "abc\r\n");
  CHECK(canonicalize_body(relaxed, "abc  ") == "abc\r\n");
  CHECK(canonicalize_body(relaxed, "a \t b\t\r\n\r\nc\r\n \r\n") == "a b\r\n\r\nc\r\n");
  CHECK(canonicalize_body(simple, "a \r\n\r\nc \r\n\r\n") == "a \r\n\r\nc \r\n");
}

TEST_CASE("headers: relaxed lower-cases the name, unfolds, trims around the colon") {
  CHECK(canonicalize_header(canonicalization::relaxed, "SUBJECT \t", "\t Hello \r\n\t  World \t") ==
        "subject:Hello World\r\n");
  CHECK(canonicalize_header(canonicalization::relaxed, "X", "") == "x:\r\n");
  CHECK(canonicalize_header(canonicalization::simple, "X-Empty", "") == "X-Empty:\r\n");
}

TEST_CASE("a message with LF line ends is read as CRLF") {
  const auto m = dkim_view("From: a@b\nSubject: x\n  y\n\nbody\n");
  REQUIRE(m.fields().size() == 2);
  CHECK(m.fields()[1].value == " x\r\n  y");
  CHECK(m.body() == "body\r\n");
}

TEST_CASE("header selection: bottom-up, one per name, oversigned names select nothing") {
  const auto m = dkim_view("Received: 1\r\nFrom: first\r\nTo: t\r\nfrom: second\r\nSubject: s\r\n\r\n");
  auto got = select_headers(m.fields(), {"from", "FROM", "from", "subject", "x-missing", "to"});
  REQUIRE(got.size() == 4);
  CHECK(got[0]->value == " second");  // the last From first (§5.4.2)
  CHECK(got[1]->value == " first");
  CHECK(got[2]->name == "Subject");
  CHECK(got[3]->name == "To");
  // The field being verified is never selected.
  got = select_headers(m.fields(), {"from"}, &m.fields()[3]);
  REQUIRE(got.size() == 1);
  CHECK(got[0]->value == " first");
}

TEST_CASE("b= is blanked exactly as written, everything else kept") {
  CHECK(blank_b_value(" v=1; b=abc\r\n def; bh=xyz") == " v=1; b=; bh=xyz");
  CHECK(blank_b_value(" v=1; bh=xyz;\r\n b=abc\r\n def") == " v=1; bh=xyz;\r\n b=");
  CHECK(blank_b_value(" v=1; bh=xyz") == " v=1; bh=xyz");
  CHECK(blank_b_value(" v=1;; b=x") == " v=1;; b=x");  // not a tag-list: unchanged
}

TEST_CASE("the header hash input ends with the signature field, without its CRLF") {
  const auto m = dkim_view("From: a@b\r\nTo: c@d\r\n\r\nhi\r\n");
  const auto selected = select_headers(m.fields(), {"to", "from"});
  CHECK(header_hash_input(selected, canonicalization::relaxed, "DKIM-Signature", " v=1; b=") ==
        "to:c@d\r\nfrom:a@b\r\ndkim-signature:v=1; b=");
  CHECK(header_hash_input(selected, canonicalization::simple, "Dkim-Signature", " v=1; b=") ==
        "To: c@d\r\nFrom: a@b\r\nDkim-Signature: v=1; b=");
}

TEST_CASE("the body hash input is cut at l=") {
  auto in = body_hash_input("hello world\r\n\r\n", canonicalization::simple, 5);
  CHECK(in.data == "hello");
  CHECK(in.canonical_length == 13);
  in = body_hash_input("hello\r\n", canonicalization::simple, 100);
  CHECK(in.data == "hello\r\n");
}
