// tests/sim/policy/spam_message_test.cpp - the decoded view of a message:
// parts, file names, text and its caps, links, problems.
#include <catch2/catch.hpp>

#include "sim/policy/html_text.hpp"
#include "sim/policy/spam_message.hpp"

using namespace sim::policy;

namespace {

const std::string head = "From: a@example.org\r\nSubject: =?UTF-8?B?SMOpbGxv?=\r\nMIME-Version: 1.0\r\n";

}  // namespace

TEST_CASE("parts, types, file names and text") {
  const std::string raw = head +
                          "Content-Type: multipart/mixed; boundary=o\r\n\r\n"
                          "--o\r\nContent-Type: multipart/alternative; boundary=i\r\n\r\n"
                          "--i\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                          "Caf=C3=A9 at https://tinyurl.com/x\r\n"
                          "--i\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                          "PHA+PGEgaHJlZj0iaHR0cHM6Ly9iaXQubHkveCI+Q2FmZTwvYT48L3A+\r\n"
                          "--i--\r\n"
                          "--o\r\nContent-Type: application/pdf; name=\"=?UTF-8?Q?R=C3=A9sum=C3=A9.pdf?=\"\r\n"
                          "Content-Disposition: attachment\r\n\r\nJVBERi0=\r\n"
                          "--o\r\nContent-Type: message/rfc822\r\n\r\n"
                          "Subject: inner\r\n\r\ninner text\r\n"
                          "--o--\r\n";
  const scanned_message m = scan_message(raw);
  REQUIRE(m.parts.size() == 4);
  CHECK(m.parts[0].mime_type == "text/plain");
  CHECK(m.parts[0].text);
  CHECK(m.parts[0].body_text == "Caf\xc3\xa9 at https://tinyurl.com/x");
  CHECK(m.parts[1].mime_type == "text/html");
  CHECK(m.parts[1].body_text == "Cafe\n");
  CHECK(m.parts[1].links == 1);
  CHECK(m.parts[1].visible_chars == 4);
  CHECK(m.parts[2].attachment);
  CHECK_FALSE(m.parts[2].text);
  CHECK(m.parts[2].filename == "R\xc3\xa9sum\xc3\xa9.pdf");
  CHECK(m.parts[3].body_text == "inner text");  // message/rfc822 is looked into
  REQUIRE(m.links.size() == 2);
  CHECK(m.links[0].host == "tinyurl.com");
  CHECK(m.links[0].shown.empty());
  CHECK(m.links[1].host == "bit.ly");
  CHECK(m.links[1].shown == "Cafe");
  CHECK(m.mime_problems.empty());
  CHECK(m.header_values("subject") == std::vector<std::string>{"H\xc3\xa9llo"});
  CHECK(m.header_values("X-None").empty());
}

TEST_CASE("a named text part is an attachment, an inline one is text") {
  const std::string raw = head + "Content-Type: multipart/mixed; boundary=o\r\n\r\n"
                                 "--o\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=a.txt\r\n\r\nx\r\n"
                                 "--o\r\nContent-Type: text/plain; name=b.txt\r\nContent-Disposition: inline\r\n\r\ny\r\n"
                                 "--o--\r\n";
  const scanned_message m = scan_message(raw);
  REQUIRE(m.parts.size() == 2);
  CHECK(m.parts[0].attachment);
  CHECK(m.parts[0].body_text.empty());
  CHECK(m.parts[1].text);
  CHECK(m.parts[1].filename == "b.txt");
}

TEST_CASE("size caps: text, HTML, header values, parts") {
  const std::string big(spam_text_scan_bytes + 1000, 'x');
  scanned_message m = scan_message(head + "\r\n" + big);
  CHECK(m.parts.at(0).body_text.size() == spam_text_scan_bytes);

  std::string html = "<p>";
  for (std::size_t i = 0; i < spam_html_scan_bytes / 40; ++i) html += "<a href=\"https://a.example/\">x</a> ";
  html += "<a href=\"https://beyond.example/\">late</a>";
  m = scan_message(head + "Content-Type: text/html\r\n\r\n" + html);
  CHECK(m.links.size() == spam_max_links);
  CHECK(m.parts.at(0).links == html_max_links);

  m = scan_message("Subject: " + std::string(3 * spam_header_scan_bytes, 's') + "\r\n\r\nx");
  CHECK(m.header_values("Subject").at(0).size() == spam_header_scan_bytes);

  std::string many = head + "Content-Type: multipart/mixed; boundary=o\r\n\r\n";
  for (std::size_t i = 0; i < spam_max_parts + 50; ++i) many += "--o\r\nContent-Type: text/plain\r\n\r\nt\r\n";
  m = scan_message(many + "--o--\r\n");
  CHECK(m.parts.size() == spam_max_parts);
  const auto read = std::count_if(m.parts.begin(), m.parts.end(), [](const auto& p) { return !p.body_text.empty(); });
  CHECK(static_cast<std::size_t>(read) == spam_max_text_parts);
}

TEST_CASE("MIME problems are listed") {
  auto problems = [](const std::string& raw) { return scan_message(raw).mime_problems; };
  CHECK(problems(head + "Content-Type: multipart/mixed\r\n\r\nx") ==
        std::vector<std::string>{"multipart/mixed without a boundary parameter"});
  CHECK(problems(head + "Content-Type: multipart/mixed; boundary=o\r\n\r\nno parts") ==
        std::vector<std::string>{"multipart/mixed with no part"});
  CHECK(problems(head + "Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\n\r\nx\r\n") ==
        std::vector<std::string>{"multipart/mixed never closed (no --boundary-- line)"});
  CHECK(problems(head + "Content-Type: text\r\n\r\nx") == std::vector<std::string>{"Content-Type \"text\" cannot be read"});
  CHECK(problems(head + "Content-Transfer-Encoding: base64\r\n\r\n!!!!") ==
        std::vector<std::string>{"text/plain part with bytes outside the base64 alphabet"});
  CHECK(problems("").empty());
}
