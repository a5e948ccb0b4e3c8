// Tests for sim/report/escape: one-line, XML and excerpt helpers.
#include <catch2/catch.hpp>

#include "sim/report/escape.hpp"

using sim::report::excerpt;
using sim::report::one_line;
using sim::report::xml_escape;

TEST_CASE("one_line shows control characters as escapes") {
  CHECK(one_line("RCPT TO:<a>\r\nRSET\t\x1b[31m\x7f") == "RCPT TO:<a>\\r\\nRSET\\t\\x1B[31m\\x7F");
  CHECK(one_line("caf\xc3\xa9 plain") == "caf\xc3\xa9 plain");
  CHECK(one_line(std::string("a\0b", 3)) == "a\\x00b");
}

TEST_CASE("xml_escape escapes the five markup characters") {
  CHECK(xml_escape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&apos;f");
}

TEST_CASE("xml_escape keeps tab and newline in text, references them in attributes") {
  CHECK(xml_escape("a\tb\nc\rd") == "a\tb\nc&#13;d");
  CHECK(xml_escape("a\tb\nc\rd", true) == "a&#9;b&#10;c&#13;d");
}

TEST_CASE("xml_escape replaces characters XML 1.0 forbids and invalid UTF-8") {
  const std::string fffd = "\xEF\xBF\xBD";
  CHECK(xml_escape(std::string("a\0b", 3)) == "a" + fffd + "b");
  CHECK(xml_escape("\x01\x1b\x1f") == fffd + fffd + fffd);
  CHECK(xml_escape("\xff") == fffd);                         // never a UTF-8 byte
  CHECK(xml_escape("\xc0\xaf") == fffd + fffd);              // overlong "/"
  CHECK(xml_escape("\xed\xa0\x80") == fffd + fffd + fffd);   // a UTF-16 surrogate
  CHECK(xml_escape("\xef\xbf\xbe") == fffd);                 // U+FFFE
  CHECK(xml_escape("\xe2\x82") == fffd + fffd);              // cut short at the end
  CHECK(xml_escape("\xf4\x90\x80\x80") == fffd + fffd + fffd + fffd);  // past U+10FFFF
}

TEST_CASE("xml_escape keeps valid UTF-8 at every length") {
  std::string want = "A \xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xa7 \xef\xbf\xbd \xf4\x8f\xbf\xbf";
  CHECK(xml_escape(want) == want);
}

TEST_CASE("excerpt keeps short text and cuts long text around the focus") {
  CHECK(excerpt("short", 2, 10) == "short");
  CHECK(excerpt("0123456789", 0, 10) == "0123456789");
  std::string text(100, 'x');
  text[50] = 'Y';
  auto got = excerpt(text, 50, 30);
  CHECK(got.starts_with("..."));
  CHECK(got.ends_with("..."));
  CHECK(got.size() == 36);
  CHECK(got.find('Y') != std::string::npos);
  CHECK(excerpt(text, 0, 30) == std::string(30, 'x') + "...");
  CHECK(excerpt(text, 99, 30) == "..." + std::string(30, 'x'));
}

TEST_CASE("excerpt never splits a UTF-8 sequence") {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "\xc3\xa9";  // 80 bytes of two-byte characters
  for (std::size_t focus = 0; focus < text.size(); ++focus) {
    for (std::size_t width : {9u, 10u, 11u}) {
      auto got = excerpt(text, focus, width);
      std::string body = got;
      if (body.starts_with("...")) body.erase(0, 3);
      if (body.ends_with("...")) body.erase(body.size() - 3);
      INFO("focus " << focus << " width " << width);
      CHECK(body.size() % 2 == 0);
      CHECK(xml_escape(body) == body);
    }
  }
}
