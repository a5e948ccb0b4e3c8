// Tests for sim/message/mime: Content-Type, Content-Disposition, multipart, base64, quoted-printable.
#include <catch2/catch.hpp>

#include "sim/message/mime.hpp"

using namespace sim::message;

TEST_CASE("parse_content_type: type, subtype and parameters") {
  const auto got = parse_content_type(" Multipart/Mixed; boundary=\"a;b \\\"c\\\"\" (comment); CHARSET=UTF-8;");
  REQUIRE(got.has_value());
  CHECK(got->mime_type() == "multipart/mixed");
  CHECK(got->is_multipart());
  CHECK(got->parameter("boundary") == std::optional<std::string>("a;b \"c\""));
  CHECK(got->parameter("charset") == std::optional<std::string>("UTF-8"));
  CHECK_FALSE(got->parameter("name").has_value());
}

TEST_CASE("parse_content_type: malformed values") {
  CHECK_FALSE(parse_content_type("text").has_value());
  CHECK_FALSE(parse_content_type("/plain").has_value());
  CHECK_FALSE(parse_content_type("text/").has_value());
  CHECK_FALSE(parse_content_type("").has_value());
}

TEST_CASE("parse_content_disposition: type and parameters (RFC 2183)") {
  const auto got = parse_content_disposition(" Attachment (c); filename=\"a; b.txt\"; size=12");
  REQUIRE(got.has_value());
  CHECK(got->type == "attachment");
  REQUIRE(got->parameters.size() == 2);
  CHECK(got->parameters[0] == std::pair<std::string, std::string>{"filename", "a; b.txt"});
  CHECK(parse_content_disposition("inline")->parameters.empty());
  CHECK_FALSE(parse_content_disposition(" ; filename=x").has_value());
}

TEST_CASE("content_type_of: the RFC 2045 default") {
  const auto got = content_type_of(message::parse("Subject: x\r\n\r\n"));
  CHECK(got.mime_type() == "text/plain");
  CHECK(got.parameter("charset") == std::optional<std::string>("us-ascii"));
}

TEST_CASE("split_multipart: preamble, parts, close delimiter, epilogue") {
  const std::string body =
      "preamble\r\n--b1\r\nContent-Type: text/plain\r\n\r\none\r\n--b1  \r\n\r\ntwo\r\n\r\n--b1--\r\nepilogue\r\n--b1\r\nignored\r\n";
  const auto got = split_multipart(body, "b1");
  REQUIRE(got.size() == 2);
  CHECK(got[0] == "Content-Type: text/plain\r\n\r\none");
  CHECK(got[1] == "\r\ntwo\r\n");
}

TEST_CASE("split_multipart: LF line ends, empty part, unterminated last part, lookalike boundary") {
  const std::string body = "--b\n--b\nx\n--bb\ny\n--b\nlast";
  const auto got = split_multipart(body, "b");
  REQUIRE(got.size() == 3);
  CHECK(got[0] == "");
  CHECK(got[1] == "x\n--bb\ny");
  CHECK(got[2] == "last");
  CHECK(split_multipart("no delimiter at all", "b").empty());
}

TEST_CASE("parse_mime: nested multipart and message/rfc822") {
  const std::string raw =
      "Content-Type: multipart/mixed; boundary=outer\r\n\r\n"
      "--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n"
      "--inner\r\n\r\nplain\r\n--inner\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n--inner--\r\n"
      "--outer\r\nContent-Type: message/rfc822\r\n\r\nSubject: inside\r\n\r\nbody\r\n"
      "--outer--\r\n";
  const auto got = parse_mime(raw);
  REQUIRE(got.children.size() == 2);
  REQUIRE(got.children[0].children.size() == 2);
  CHECK(got.children[0].children[1].entity.body() == "<p>html</p>");
  REQUIRE(got.children[1].children.size() == 1);
  CHECK(got.children[1].children[0].entity.get("Subject") == std::optional<std::string>("inside"));
}

TEST_CASE("base64: RFC 4648 section 10 vectors both ways") {
  const std::vector<std::pair<std::string, std::string>> vectors = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base64_encode(plain) == encoded);
    CHECK(base64_decode(encoded) == std::optional<std::string>(plain));
  }
}

TEST_CASE("base64: every byte value, line breaks at 76, tolerant decoding") {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  const std::string got = base64_encode(bytes);
  std::size_t line_start = 0;
  for (auto crlf = got.find("\r\n"); crlf != std::string::npos; crlf = got.find("\r\n", line_start)) {
    CHECK(crlf - line_start == base64_line_length);
    line_start = crlf + 2;
  }
  CHECK(got.size() - line_start <= base64_line_length);
  CHECK(base64_decode(got) == std::optional<std::string>(bytes));
  CHECK(base64_decode("Zm9v\nYmFy\r\n") == std::optional<std::string>("foobar"));
  CHECK(base64_encode(std::string(57, 'x')).find('\n') == std::string::npos);  // exactly one line
  CHECK(base64_encode(std::string(58, 'x')).find('\n') != std::string::npos);
}

TEST_CASE("base64: invalid input") {
  CHECK_FALSE(base64_decode("Zm9v!").has_value());
  CHECK_FALSE(base64_decode("Zg==Zg").has_value());
}

TEST_CASE("quoted-printable: decoding") {
  CHECK(quoted_printable_decode("a=3Db") == "a=b");
  CHECK(quoted_printable_decode("a=3db") == "a=b");
  CHECK(quoted_printable_decode("abc=\r\ndef\r\n") == "abcdef\r\n");
  CHECK(quoted_printable_decode("abc=\ndef") == "abcdef");
  CHECK(quoted_printable_decode("trailing   \r\nnext") == "trailing\r\nnext");
  CHECK(quoted_printable_decode("bad=ZZ and =4") == "bad=ZZ and =4");
  CHECK(quoted_printable_decode("=C3=BC") == "ü");
}

TEST_CASE("decode_body: by Content-Transfer-Encoding") {
  CHECK(decode_body(message::parse("Content-Transfer-Encoding: BASE64\r\n\r\nZm9v\r\n")) == "foo");
  CHECK(decode_body(message::parse("Content-Transfer-Encoding: quoted-printable\r\n\r\na=3D")) == "a=");
  CHECK(decode_body(message::parse("Content-Transfer-Encoding: base64\r\n\r\nZm9v!YmFy\r\n--b")) == "foobar");
  CHECK(decode_body(message::parse("Content-Transfer-Encoding: base64\r\n\r\nZg==\r\n--b")) == "f");
  CHECK(decode_body(message::parse("Content-Transfer-Encoding: 8bit\r\n\r\na=3D")) == "a=3D");
}

TEST_CASE("make_boundary: deterministic and absent from the content") {
  const std::string first = make_boundary("<1@x>", "");
  CHECK(first == make_boundary("<1@x>", "other"));
  CHECK(first != make_boundary("<2@x>", ""));
  const std::string avoided = make_boundary("<1@x>", "text " + first + " text");
  CHECK(avoided != first);
  CHECK(avoided.starts_with(first));
}
