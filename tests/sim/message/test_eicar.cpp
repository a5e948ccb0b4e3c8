// Tests for sim/message/eicar.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "sim/message/eicar.hpp"
#include "sim/message/mime.hpp"

using namespace sim::message;

namespace {

std::string nest(const std::string& inner_part, int levels) {
  std::string part = inner_part;
  for (int level = 0; level < levels; ++level) {
    std::string boundary = "b";
    boundary += std::to_string(level);
    std::string outer = "Content-Type: multipart/mixed; boundary=\"";
    outer.append(boundary).append("\"\r\n\r\n--").append(boundary).append("\r\n");
    outer.append(part).append("\r\n--").append(boundary).append("--\r\n");
    part = std::move(outer);
  }
  return part;
}

const std::string base64_part =
    "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
    base64_encode(eicar_test_string) + "\r\n";

}  // namespace

TEST_CASE("eicar: the test string is 68 bytes") { CHECK(eicar_test_string.size() == 68); }

TEST_CASE("eicar: found in a plain body") {
  CHECK(contains_eicar(fmt::format("Subject: x\r\n\r\n{}\r\n", eicar_test_string)));
}

TEST_CASE("eicar: found in a base64 part and in nested multiparts") {
  CHECK(contains_eicar(nest(base64_part, 1)));
  CHECK(contains_eicar(nest(base64_part, 5)));
  CHECK(contains_eicar(nest(base64_part, max_mime_depth - 1)));
}

TEST_CASE("eicar: nesting past the depth bound is not looked into") {
  CHECK_FALSE(contains_eicar(nest(base64_part, max_mime_depth + 1)));
}

TEST_CASE("eicar: found in a quoted-printable part") {
  std::string qp;
  for (char c : eicar_test_string) qp += c == '=' ? std::string("=3D") : std::string(1, c);
  qp.insert(30, "=\r\n");  // a soft line break in the middle
  const std::string part = "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + qp + "\r\n";
  CHECK(contains_eicar(nest(part, 1)));
}

TEST_CASE("eicar: absent") {
  const std::string almost(eicar_test_string.substr(0, 67));
  CHECK_FALSE(contains_eicar("Subject: x\r\n\r\n" + almost + "\r\n"));
  const std::string other = "Content-Transfer-Encoding: base64\r\n\r\n" + base64_encode(almost) + "\r\n";
  CHECK_FALSE(contains_eicar(nest(other, 2)));
  CHECK_FALSE(contains_eicar(""));
}

TEST_CASE("eicar: every prefix of a composed attachment message") {
  const std::string raw = nest(base64_part, 2);
  const std::string last_group = base64_encode(eicar_test_string).substr(76 + 2, 15);  // "LUZJTEUhJEgrSCo"
  for (std::size_t cut = 0; cut <= raw.size(); ++cut) {
    const std::string prefix = raw.substr(0, cut);
    const bool want = prefix.find(last_group) != std::string::npos;
    INFO("cut " << cut << " of " << raw.size() << ": " << prefix.substr(prefix.size() > 40 ? prefix.size() - 40 : 0));
    REQUIRE(contains_eicar(prefix) == want);
  }
}
