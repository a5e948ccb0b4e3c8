// parser, syntax, sequence sets, dates: the small pieces of RFC 9051 §9.
#include <catch2/catch.hpp>

#include "sim/imap/date.hpp"
#include "sim/imap/parser.hpp"
#include "sim/imap/sequence_set.hpp"
#include "sim/imap/syntax.hpp"

using namespace sim::imap;

TEST_CASE("parser: atoms, astrings, quoted strings, literals, nstring") {
  parser p("abc \"q\\\"x\\\\\" {3}\r\nxyz NIL ]x");
  CHECK(p.atom() == "abc");
  CHECK(p.space());
  CHECK(p.astring() == "q\"x\\");
  CHECK(p.space());
  CHECK(p.string() == "xyz");
  CHECK(p.space());
  auto nil = p.nstring();
  REQUIRE(nil);
  CHECK_FALSE(*nil);
  CHECK(p.space());
  CHECK_FALSE(p.atom());      // "]" is not an atom character...
  CHECK(p.astring() == "]x");  // ...but an astring one
  CHECK(p.at_end());

  parser bad_quote("\"a\rb\"");
  CHECK_FALSE(bad_quote.quoted());
  CHECK(bad_quote.position() == 0);
  CHECK(bad_quote.error() == "malformed quoted string");
  parser bad_escape("\"a\\b\"");
  CHECK_FALSE(bad_escape.quoted());
  parser lying("{10}\r\nshort");
  CHECK_FALSE(lying.literal());
  CHECK(lying.position() == 0);
  parser plus("{2+}\r\nok");
  CHECK(plus.literal() == "ok");
}

TEST_CASE("parser: numbers stay within 32 bits, keywords end where atoms do") {
  parser p("4294967295 4294967296 0 007");
  CHECK(p.number() == 4294967295u);
  CHECK(p.space());
  CHECK_FALSE(p.number());
  CHECK(p.number64() == 4294967296u);
  CHECK(p.space());
  CHECK_FALSE(p.nz_number());
  CHECK(p.number() == 0u);
  CHECK(p.space());
  CHECK(p.nz_number() == 7u);

  parser w("BODY.PEEK[] bodystructure FLAGS.SILENT");
  CHECK_FALSE(w.word("BODY"));
  CHECK(w.word("body.peek"));
  CHECK(w.skip('['));
  CHECK(w.skip(']'));
  CHECK(w.space());
  CHECK_FALSE(w.word("BODY"));
  CHECK(w.word("BODYSTRUCTURE"));
  CHECK(w.space());
  CHECK_FALSE(w.word("FLAGS"));
  CHECK(w.word("FLAGS.SILENT"));
}

TEST_CASE("literal_at_end: sizes, the + form, saturation, non-literals") {
  CHECK(literal_at_end("a LOGIN {12}")->size == 12);
  CHECK(literal_at_end("a LOGIN {12+}")->non_synchronizing);
  CHECK(literal_at_end("{99999999999999999999999}")->size == UINT64_MAX);
  CHECK_FALSE(literal_at_end("a {} x"));
  CHECK_FALSE(literal_at_end("a {x}"));
  CHECK_FALSE(literal_at_end("a {+}"));
  CHECK_FALSE(literal_at_end("a {12} "));
}

TEST_CASE("syntax: tags, atoms and how strings go out") {
  CHECK(is_tag("A001"));
  CHECK_FALSE(is_tag("a+1"));
  CHECK_FALSE(is_tag("a*"));
  CHECK(is_atom("\\Seen") == false);
  CHECK(is_atom("$Label1"));
  CHECK(format_string("plain") == "\"plain\"");
  CHECK(format_string("a\"b") == "\"a\\\"b\"");
  CHECK(format_string("two\r\nlines") == "{10}\r\ntwo\r\nlines");
  CHECK(format_string("caf\xc3\xa9") == "{5}\r\ncaf\xc3\xa9");
  CHECK(format_astring("INBOX") == "INBOX");
  CHECK(format_astring("NIL") == "\"NIL\"");
  CHECK(format_astring("a b") == "\"a b\"");
  CHECK(format_nstring(std::nullopt) == "NIL");
}

TEST_CASE("sequence sets: ranges either way, *, merging, and the UID rules") {
  parser p("1:3,7,5:4,9:*");
  auto set = parse_sequence_set(p);
  REQUIRE(set);
  CHECK(p.at_end());
  CHECK(resolve(*set, 10) == std::vector<std::pair<std::uint32_t, std::uint32_t>>{{1, 5}, {7, 7}, {9, 10}});
  // RFC 9051 §9: "559:*" includes the largest UID even when it is below 559.
  parser q("100:*");
  auto high = parse_sequence_set(q);
  CHECK(resolve(*high, 50) == std::vector<std::pair<std::uint32_t, std::uint32_t>>{{50, 100}});
  CHECK(resolve(*high, 0) == std::vector<std::pair<std::uint32_t, std::uint32_t>>{{1, 100}});
  parser star("*");
  CHECK(resolve(*parse_sequence_set(star), 0).empty());
  CHECK(highest_named(*set) == 9);
  CHECK(names_star(*set));
  for (std::string_view bad : {"0", "1:", ":2", "1,,2", "a", "1:0"}) {
    parser b(bad);
    auto s = parse_sequence_set(b);
    CHECK((!s || !b.at_end()));
  }
  CHECK(format_set({1, 2, 3, 5, 8, 9}) == "1:3,5,8:9");
  CHECK(contains(resolve(*set, 10), 7));
  CHECK_FALSE(contains(resolve(*set, 10), 6));
}

TEST_CASE("dates: search dates, date-times with zones, Date: fields") {
  using namespace std::chrono;
  CHECK(parse_date("1-Feb-1994") == sys_days{year{1994} / February / 1});
  CHECK(parse_date("01-feb-1994") == sys_days{year{1994} / February / 1});
  CHECK_FALSE(parse_date("31-Feb-1994"));
  CHECK_FALSE(parse_date("1-Foo-1994"));
  CHECK_FALSE(parse_date("1-Feb-94"));
  auto t = parse_date_time("05-Jan-2026 10:30:00 +0100");
  REQUIRE(t);
  CHECK(format_date_time(*t) == "05-Jan-2026 09:30:00 +0000");
  CHECK(parse_date_time(" 5-Jan-2026 09:30:00 -0000") == t);
  CHECK_FALSE(parse_date_time("05-Jan-2026 25:00:00 +0000"));
  CHECK_FALSE(parse_date_time("05-Jan-2026 09:00:00"));
  CHECK(header_date("Mon, 5 Jan 2026 23:59:00 -0800 (PST)") == sys_days{year{2026} / January / 5});
  CHECK(header_date("5 Jan 26 00:00 GMT") == sys_days{year{2026} / January / 5});
  CHECK_FALSE(header_date("yesterday"));
}
