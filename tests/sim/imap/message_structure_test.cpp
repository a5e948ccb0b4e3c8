// ENVELOPE, BODYSTRUCTURE, body sections and search keys on real messages.
#include <catch2/catch.hpp>

#include "sim/imap/body_section.hpp"
#include "sim/imap/body_structure.hpp"
#include "sim/imap/envelope.hpp"
#include "sim/imap/search.hpp"
#include "tests/sim/imap/server_fixture.hpp"

using namespace sim::imap;
using namespace sim::imap::test;

namespace {

const std::string nested =
    "From: a@example.com\r\n"
    "Subject: fwd\r\n"
    "Content-Type: multipart/mixed; boundary=outer\r\n"
    "\r\n"
    "--outer\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "see below\r\n"
    "--outer\r\n"
    "Content-Type: message/rfc822\r\n"
    "Content-Description: the original\r\n"
    "\r\n"
    "From: b@example.com\r\n"
    "Subject: inner\r\n"
    "Content-Type: multipart/alternative; boundary=inner\r\n"
    "\r\n"
    "--inner\r\n"
    "Content-Type: text/plain; charset=us-ascii\r\n"
    "\r\n"
    "plain\r\n"
    "--inner\r\n"
    "Content-Type: text/html\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "<p>caf=C3=A9</p>\r\n"
    "--inner--\r\n"
    "--outer--\r\n";

std::optional<std::string> section(const std::string& raw, std::string_view spec) {
  std::string text = std::string("BODY[") + std::string(spec) + "]";
  parser p(text);
  auto items = parse_fetch_items(p);
  REQUIRE(items);
  auto mime = sim::message::parse_mime(raw);
  return section_octets(raw, mime, items->front().section);
}

search_key key(std::string_view text) {
  parser p(text);
  auto k = parse_search_keys(p);
  REQUIRE(k);
  bind(*k, 3, 3);
  return *k;
}

bool matches_message(std::string_view text, const std::string& raw, const flag_list& flags = {}) {
  search_candidate c;
  c.sequence = 2;
  c.uid = 2;
  c.flags = &flags;
  c.size = raw.size();
  c.internal_date = start_time();
  c.load = [&raw] { return std::optional<std::string>(raw); };
  return matches(key(text), c);
}

}  // namespace

TEST_CASE("envelope: fields, address lists, groups, defaults") {
  auto m = sim::message::message::parse(message_two);
  CHECK(format_envelope(m) ==
        "(\"Tue, 06 Jan 2026 10:00:00 +0100\" \"=?UTF-8?B?Y2Fmw6k=?= report\" "
        "((\"Carol C.\" NIL \"carol\" \"example.net\")) ((\"Carol C.\" NIL \"carol\" \"example.net\")) "
        "((\"Carol C.\" NIL \"carol\" \"example.net\")) "
        "((NIL NIL \"bob\" \"example.org\")(NIL NIL \"dave\" \"example.org\")) "
        "((NIL NIL \"Team\" NIL)(NIL NIL \"erin\" \"example.org\")(NIL NIL \"frank\" \"example.org\")(NIL NIL NIL NIL)) "
        "NIL NIL NIL)");
  auto route = parse_address_list("Old <@relay.example,@b.example:x@y.example> (comment), \"q\\\"n\" <z@w>");
  REQUIRE(route.size() == 2);
  CHECK(route[0].route == "@relay.example,@b.example");
  CHECK(route[0].mailbox == "x");
  CHECK(route[1].name == "q\"n");
  auto bare = parse_address_list("undisclosed-recipients:;");
  REQUIRE(bare.size() == 2);
  CHECK_FALSE(bare[0].host);
  CHECK(parse_address_list("").empty());
}

TEST_CASE("bodystructure: single part, multipart, and a message/rfc822 inside") {
  auto one = sim::message::parse_mime(message_one);
  CHECK(format_body_structure(one, false) == "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 15 1)");
  CHECK(format_body_structure(one, true) ==
        "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 15 1 NIL NIL NIL NIL)");
  auto two = sim::message::parse_mime(message_two);
  CHECK(format_body_structure(two, true) ==
        "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 22 1 NIL NIL NIL NIL)"
        "(\"APPLICATION\" \"OCTET-STREAM\" (\"NAME\" \"r.bin\") NIL NIL \"BASE64\" 16 NIL "
        "(\"attachment\" (\"FILENAME\" \"r.bin\")) NIL NIL) \"MIXED\" (\"BOUNDARY\" \"b1\") NIL NIL NIL)");
  auto fwd = sim::message::parse_mime(nested);
  auto body = format_body_structure(fwd, false);
  INFO(body);
  CHECK(body.starts_with("((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 9 1)(\"MESSAGE\" \"RFC822\" NIL NIL "
                         "\"the original\" \"7BIT\" 262 (NIL \"inner\" ((NIL NIL \"b\" \"example.com\")) "));
  CHECK(body.find("((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 5 1)(\"TEXT\" \"HTML\" "
                  "(\"CHARSET\" \"us-ascii\") NIL NIL \"QUOTED-PRINTABLE\" 16 1) \"ALTERNATIVE\") 14)") !=
        std::string::npos);
  CHECK(body.ends_with(" \"MIXED\")"));
}

TEST_CASE("body sections: parts, headers, MIME headers, fields, text, nested messages") {
  CHECK(section(nested, "") == nested);
  CHECK(section(nested, "1") == "see below");
  CHECK(section(nested, "1.MIME") == "Content-Type: text/plain\r\n\r\n");
  CHECK(section(nested, "2.HEADER") ==
        "From: b@example.com\r\nSubject: inner\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n");
  CHECK(section(nested, "2.1") == "plain");
  CHECK(section(nested, "2.2") == "<p>caf=C3=A9</p>");
  CHECK(section(nested, "2.2.MIME") == "Content-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
  CHECK(section(nested, "HEADER.FIELDS (subject FROM)") == "From: a@example.com\r\nSubject: fwd\r\n\r\n");
  CHECK(section(nested, "HEADER.FIELDS.NOT (Content-Type From)") == "Subject: fwd\r\n\r\n");
  CHECK(section(nested, "TEXT")->starts_with("--outer\r\n"));
  CHECK_FALSE(section(nested, "3"));
  CHECK_FALSE(section(nested, "1.HEADER"));  // part 1 is no message/rfc822
  CHECK(section(message_one, "1") == "first message\r\n");  // a single part is part 1
  CHECK(partial_of("0123456789", 3, 4) == "3456");
  CHECK(partial_of("0123456789", 8, 100) == "89");
  CHECK(partial_of("0123456789", 10, 1).empty());
}

TEST_CASE("search: header, body and text keys, dates, sizes, flags, sets") {
  CHECK(matches_message("FROM carol", message_two));
  CHECK(matches_message("FROM CAROL", message_two));
  CHECK(matches_message("SUBJECT \"caf\xc3\xa9\"", message_two));  // RFC 2047 decoded
  CHECK(matches_message("CC frank", message_two));
  CHECK_FALSE(matches_message("BCC frank", message_two));
  CHECK(matches_message("BODY \"secret token\"", message_two));  // inside the base64 part
  CHECK(matches_message("TEXT multipart", message_two));
  CHECK(matches_message("HEADER Content-Type \"\"", message_two));
  CHECK_FALSE(matches_message("HEADER X-Spam \"\"", message_two));
  CHECK(matches_message("SENTON 6-Jan-2026", message_two));
  CHECK(matches_message("SENTBEFORE 7-Jan-2026 SENTSINCE 6-Jan-2026", message_two));
  CHECK(matches_message("ON 5-Jan-2026", message_two));
  CHECK(matches_message("SINCE 5-Jan-2026 BEFORE 6-Jan-2026", message_two));
  CHECK(matches_message("LARGER 100 SMALLER 10000", message_two));
  CHECK(matches_message("OR SEEN UNFLAGGED", message_two));
  CHECK_FALSE(matches_message("SEEN", message_two));
  CHECK(matches_message("SEEN KEYWORD $work UNKEYWORD $home", message_two, {"\\Seen", "$Work"}));
  CHECK(matches_message("NOT DELETED UNDRAFT UNANSWERED", message_two));
  CHECK(matches_message("2 UID 2:*", message_two));
  CHECK_FALSE(matches_message("1,3", message_two));
  CHECK(matches_message("NEW", message_two) == false);
  CHECK(matches_message("OLD", message_two));
}
