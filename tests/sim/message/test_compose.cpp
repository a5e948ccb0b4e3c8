// Tests for sim/message/compose: the MUA's message.
#include <catch2/catch.hpp>

#include "sim/message/compose.hpp"
#include "sim/message/eicar.hpp"
#include "sim/message/encoded_words.hpp"
#include "sim/message/message.hpp"
#include "sim/message/mime.hpp"
#include "sim/message/text.hpp"

using namespace sim::message;

namespace {

compose_request hello() {
  compose_request r;
  r.from = "alice@sender.test";
  r.to = {"bob@example.org", "carol@example.org"};
  r.cc = {"dave@example.net"};
  r.bcc = {"eve@example.com"};
  r.subject = "Hello";
  r.body = "Hi Bob.\nSee you.";
  r.headers = {{"X-Scenario", "backup-mx"}, {"X-Note", "second"}};
  r.date = sim::wall_time{std::chrono::milliseconds{1767603600000}};  // 2026-01-05T09:00:00Z
  r.message_id = make_message_id(1, "backup-mx", r.from);
  return r;
}

std::vector<std::string> field_names(const message& m) {
  std::vector<std::string> names;
  for (const auto& f : m.fields()) names.push_back(f.name);
  return names;
}

bool crlf_only(const std::string& raw) {
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) return false;
    if (raw[i] == '\r' && (i + 1 == raw.size() || raw[i + 1] != '\n')) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("make_message_id: sequence, scenario and sender domain") {
  CHECK(make_message_id(7, "tour", "alice@sender.test") == "<7.tour@sender.test>");
}

TEST_CASE("compose: header fields, order and values") {
  const auto m = message::parse(compose(hello()));
  const std::vector<std::string> want = {"Date", "From", "To", "Cc", "Subject", "Message-ID", "X-Scenario",
                                         "X-Note", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"};
  CHECK(field_names(m) == want);
  CHECK(m.get("Date") == std::optional<std::string>("Mon, 05 Jan 2026 09:00:00 +0000"));
  CHECK(m.get("To") == std::optional<std::string>("bob@example.org, carol@example.org"));
  CHECK(m.get("Message-ID") == std::optional<std::string>("<1.backup-mx@sender.test>"));
  CHECK(m.get("Content-Type") == std::optional<std::string>("text/plain; charset=utf-8"));
  CHECK(m.get("Content-Transfer-Encoding") == std::optional<std::string>("7bit"));
  CHECK(m.body() == "Hi Bob.\r\nSee you.\r\n");
}

TEST_CASE("compose: Bcc is envelope only") {
  const std::string raw = compose(hello());
  CHECK(raw.find("eve@example.com") == std::string::npos);
  CHECK(message::parse(raw).count("Bcc") == 0);
  auto request = hello();
  request.cc.push_back("bob@example.org");
  const std::vector<std::string> want = {"bob@example.org", "carol@example.org", "dave@example.net",
                                         "eve@example.com"};
  CHECK(envelope_recipients(request) == want);
}

TEST_CASE("compose: a non-ASCII subject and body") {
  auto request = hello();
  request.subject = "Grüße aus Köln, ein sehr langer Betreff mit Umlauten: äöü ÄÖÜ ß und noch mehr Text";
  request.body = "Schöne Grüße\n";
  const std::string raw = compose(request);
  CHECK(is_ascii(message::parse(raw).header_text()));
  const auto m = message::parse(raw);
  CHECK(decode_words(*m.get("Subject")) == request.subject);
  CHECK(m.get("Content-Transfer-Encoding") == std::optional<std::string>("8bit"));
  const std::string header = m.header_text();
  for (const auto line : split_lines(header)) CHECK(line.size() <= max_encoded_word + 9);
}

TEST_CASE("compose: CRLF everywhere and long body lines wrapped") {
  auto request = hello();
  std::string words;
  while (words.size() < 3000) words += "lorem ipsum ";
  // The last line: an odd offset, then two-byte characters and no space.
  request.body = "a\rb\r\n" + words + "\n" + std::string(2500, 'x') + "\nz";
  for (int i = 0; i < 600; ++i) request.body += "é";
  const std::string raw = compose(request);
  CHECK(crlf_only(raw));
  for (const auto line : split_lines(raw)) {
    CHECK(line.size() <= max_line_octets);
    CHECK((line.empty() || (static_cast<unsigned char>(line[0]) & 0xc0) != 0x80));  // no split character
  }
  const std::string body = message::parse(raw).body();
  std::string joined;
  for (const auto line : split_lines(body)) joined += line;
  std::string want_joined = "ab" + words + std::string(2500, 'x') + "z";
  for (int i = 0; i < 600; ++i) want_joined += "é";
  CHECK(joined == want_joined);
}

TEST_CASE("compose: size pads to exactly the size asked") {
  const std::size_t natural = compose(hello()).size();
  for (std::size_t want : {natural + 2, natural + 3, natural + 77, natural + 78, natural + 1000, std::size_t{10240}}) {
    auto request = hello();
    request.size = want;
    const std::string raw = compose(request);
    CHECK(raw.size() == want);
    CHECK(crlf_only(raw));
    if (want >= natural + 30) CHECK(raw.find("mailsim filler line 000001") != std::string::npos);
  }
}

TEST_CASE("compose: size at or below the natural size, or one octet over it, adds nothing") {
  const std::string natural = compose(hello());
  for (std::size_t want : {std::size_t{0}, natural.size() - 1, natural.size(), natural.size() + 1}) {
    auto request = hello();
    request.size = want;
    CHECK(compose(request) == natural);
  }
}

TEST_CASE("compose: eicar makes a multipart/mixed message that parses back") {
  auto request = hello();
  request.eicar = true;
  request.size = 4096;
  const std::string raw = compose(request);
  CHECK(raw.size() == 4096);
  const auto tree = parse_mime(raw);
  CHECK(content_type_of(tree.entity).mime_type() == "multipart/mixed");
  REQUIRE(tree.children.size() == 2);
  CHECK(content_type_of(tree.children[0].entity).mime_type() == "text/plain");
  CHECK(tree.children[0].entity.body().starts_with("Hi Bob.\r\nSee you.\r\n"));
  const auto& attachment = tree.children[1].entity;
  CHECK(content_type_of(attachment).parameter("name") == std::optional<std::string>("eicar.com"));
  CHECK(attachment.get("Content-Transfer-Encoding") == std::optional<std::string>("base64"));
  CHECK(decode_body(attachment) == eicar_test_string);
  CHECK(contains_eicar(raw));
  CHECK_FALSE(contains_eicar(compose(hello())));
}

TEST_CASE("compose: deterministic, with a default Message-ID from the inputs") {
  auto request = hello();
  request.eicar = true;
  CHECK(compose(request) == compose(request));
  request.message_id.clear();
  CHECK(message::parse(compose(request)).get("Message-ID") == std::optional<std::string>("<1767603600000.mailsim@sender.test>"));
}

TEST_CASE("compose: no Subject, To or Cc fields when there are none") {
  compose_request request;
  request.from = "alice@sender.test";
  request.bcc = {"bob@example.org"};
  const auto m = message::parse(compose(request));
  CHECK(m.count("Subject") == 0);
  CHECK(m.count("To") == 0);
  CHECK(m.count("Cc") == 0);
  CHECK(m.body().empty());
}

TEST_CASE("compose: a body line of 998 octets stays whole, 999 wraps") {
  auto request = hello();
  request.body = std::string(max_line_octets, 'x');
  CHECK(message::parse(compose(request)).body() == request.body + "\r\n");
  request.body += "y";
  CHECK(message::parse(compose(request)).body() == std::string(max_line_octets, 'x') + "\r\ny\r\n");
}

TEST_CASE("compose: a field named in headers replaces the composed one, in its place, in any case") {
  compose_request request = hello();
  request.headers = {{"from", "CEO <ceo@brand.test>"}, {"X-Note", "kept"}, {"Content-Type", "text/html; charset=utf-8"}};
  const message m = message::parse(compose(request));
  CHECK(m.get_all("From") == std::vector<std::string>{"CEO <ceo@brand.test>"});
  CHECK(m.get_all("Content-Type") == std::vector<std::string>{"text/html; charset=utf-8"});
  CHECK(field_names(m) == std::vector<std::string>{"Date", "from", "To", "Cc", "Subject", "Message-ID", "X-Note",
                                                   "MIME-Version", "Content-Type", "Content-Transfer-Encoding"});
  // Fields the request does not name are composed as before.
  CHECK(m.get("To") == "bob@example.org, carol@example.org");
}

TEST_CASE("compose: the envelope lists each recipient once, in order, even among very many") {
  compose_request request = hello();
  request.to.clear();
  request.cc.clear();
  request.bcc.clear();
  for (int i = 0; i < 50'000; ++i) request.to.push_back("user" + std::to_string(i % 20'000) + "@example.org");
  request.bcc = {"user7@example.org", "extra@example.org"};
  auto got = envelope_recipients(request);
  REQUIRE(got.size() == 20'001);
  CHECK(got[0] == "user0@example.org");
  CHECK(got[19'999] == "user19999@example.org");
  CHECK(got.back() == "extra@example.org");
}

TEST_CASE("compose: a large size is built to the octet, a plain message ending in the filler") {
  compose_request request = hello();
  request.size = std::size_t{8} << 20;
  const std::string raw = compose(request);
  CHECK(raw.size() == request.size);
  CHECK(raw.ends_with("\r\n"));
  CHECK(crlf_only(raw));
  CHECK(message::parse(raw).body().starts_with("Hi Bob.\r\nSee you.\r\nmailsim filler line 000001"));
}
