// A stored message as the API shows it: decoded header fields, addresses, MIME parts.
#include <catch2/catch.hpp>

#include "sim/http/message_view.hpp"
#include "sim/http/response.hpp"

using namespace sim::http;

namespace {

const sim::wall_time start = *sim::parse_rfc3339("2026-01-05T09:00:00Z");

stored_message stored(std::string_view raw) {
  return {"m1", "mx1.example.org", "bob@example.org", "INBOX", "alice@sender.test", sim::at_millis(1062), raw};
}

const std::string alternative =
    "Return-Path: <alice@sender.test>\r\n"
    "From: =?UTF-8?B?QWxpY8Op?= <alice@sender.test>\r\n"
    "To: \"Bob, the builder\" <bob@example.org>, carol@example.org (Carol, C.),\r\n"
    " undisclosed-recipients:;\r\n"
    "Subject: =?UTF-8?Q?Caf=C3=A9_<script>?=\r\n"
    "Date: Mon, 05 Jan 2026 09:00:01 +0000\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
    "\r\n"
    "--outer\r\n"
    "Content-Type: multipart/alternative; boundary=inner\r\n"
    "\r\n"
    "--inner\r\n"
    "Content-Type: text/plain; charset=iso-8859-1\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Caf=E9\r\n"
    "--inner\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "PHA+PGI+aGk8L2I+PC9wPg==\r\n"
    "--inner--\r\n"
    "--outer\r\n"
    "Content-Type: application/pdf; name=\"report.pdf\"\r\n"
    "Content-Disposition: attachment; filename=\"=?UTF-8?Q?r=C3=A9sum=C3=A9.pdf?=\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "JVBERi0=\r\n"
    "--outer\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "Subject: inner\r\n"
    "\r\n"
    "forwarded text\r\n"
    "--outer--\r\n";

}  // namespace

TEST_CASE("the summary reads the header: decoded From and Subject, To's addresses") {
  auto s = summary_json(stored(alternative), start);
  CHECK(s["id"] == "m1");
  CHECK(s["host"] == "mx1.example.org");
  CHECK(s["from"] == "Alic\xc3\xa9 <alice@sender.test>");
  CHECK(s["subject"] == "Caf\xc3\xa9 <script>");
  CHECK(s["to"] == json::array({"\"Bob, the builder\" <bob@example.org>", "carol@example.org (Carol, C.)", "undisclosed-recipients:;"}));
  CHECK(s["date"] == "Mon, 05 Jan 2026 09:00:01 +0000");
  CHECK(s["size"] == alternative.size());
  CHECK(s["folder"] == "INBOX");
  CHECK(s["delivered"] == "2026-01-05T09:00:01.062Z");
  CHECK(s["delivered_t"] == 1062);
}

TEST_CASE("the detail lists every leaf part with IMAP part numbers and decoded text") {
  auto d = detail_json(stored(alternative), start);
  CHECK(d["envelope"] == json({{"mail_from", "alice@sender.test"}, {"rcpt_to", "bob@example.org"}}));
  REQUIRE(d["headers"].size() == 7);
  CHECK(d["headers"][1]["name"] == "From");
  CHECK(d["headers"][2]["value"] == "\"Bob, the builder\" <bob@example.org>, carol@example.org (Carol, C.), undisclosed-recipients:;");
  CHECK(d["headers"][3]["decoded"] == "Caf\xc3\xa9 <script>");
  const auto& parts = d["parts"];
  REQUIRE(parts.size() == 4);
  CHECK(parts[0]["part"] == "1.1");
  CHECK(parts[0]["content_type"] == "text/plain");
  CHECK(parts[0]["charset"] == "iso-8859-1");
  CHECK(parts[0]["text"] == "Caf\xc3\xa9");
  CHECK(parts[1]["part"] == "1.2");
  CHECK(parts[1]["text"] == "<p><b>hi</b></p>");
  CHECK(parts[2]["part"] == "2");
  CHECK(parts[2]["filename"] == "r\xc3\xa9sum\xc3\xa9.pdf");
  CHECK(parts[2]["disposition"] == "attachment");
  CHECK(parts[2]["size"] == 5);
  CHECK_FALSE(parts[2].contains("text"));
  CHECK(parts[3]["part"] == "3.1");
  CHECK(parts[3]["text"] == "forwarded text");
  CHECK(d["text"] == "Caf\xc3\xa9");
  CHECK(d["html"] == "<p><b>hi</b></p>");
}

TEST_CASE("a plain message is part 1, no html, unknown delivery time is null") {
  std::string raw = "From: a@b\r\nSubject: hi\r\n\r\nbody\r\n";
  stored_message m{"m2", "h", "a@b", "INBOX", "", std::nullopt, raw};
  auto d = detail_json(m, start);
  CHECK(d["parts"].size() == 1);
  CHECK(d["parts"][0]["part"] == "1");
  CHECK(d["parts"][0]["charset"] == "us-ascii");
  CHECK(d["text"] == "body\r\n");
  CHECK(d["html"].is_null());
  CHECK(d["delivered"].is_null());
  CHECK(d["to"] == json::array());
}

TEST_CASE("hostile bytes: invalid UTF-8 in the header is replaced when written, never fatal") {
  std::string raw = "Subject: \xff\xfe<img src=x onerror=alert(1)>\r\n\r\n\xc3";
  auto text = json_text(detail_json(stored(raw), start));
  auto back = json::parse(text);
  CHECK(back["subject"] == "\xef\xbf\xbd\xef\xbf\xbd<img src=x onerror=alert(1)>");
  CHECK(back["text"] == "\xef\xbf\xbd");
}

TEST_CASE("a message with more parts than the view lists is cut at the bound") {
  std::string raw = "Content-Type: multipart/mixed; boundary=b\r\n\r\n";
  for (std::size_t i = 0; i < max_listed_parts + 10; ++i) raw += "--b\r\n\r\nx\r\n";
  raw += "--b--\r\n";
  CHECK(detail_json(stored(raw), start)["parts"].size() == max_listed_parts);
}

TEST_CASE("address lists split only at top-level commas") {
  CHECK(split_address_list("a@b, \"c, d\" <e@f>,(x, y) g@h , ") ==
        std::vector<std::string>{"a@b", "\"c, d\" <e@f>", "(x, y) g@h"});
  CHECK(split_address_list("\"a\\\", b\" <c@d>") == std::vector<std::string>{"\"a\\\", b\" <c@d>"});
  CHECK(split_address_list("").empty());
}

TEST_CASE("latin-1 becomes UTF-8, other charsets stay as bytes") {
  CHECK(to_utf8("\xe9t\xe9", "ISO-8859-1") == "\xc3\xa9t\xc3\xa9");
  CHECK(to_utf8("\xe9", "windows-1252") == "\xc3\xa9");
  CHECK(to_utf8("\xc3\xa9", "utf-8") == "\xc3\xa9");
  CHECK(to_utf8("\xa4", "koi8-r") == "\xa4");
}
