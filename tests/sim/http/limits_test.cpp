// Request limits: every refusal with its status, checked before any body is read.
#include <catch2/catch.hpp>

#include <string>

#include "sim/http/limits.hpp"

using namespace sim::http;

namespace {

request head(std::string target = "/", std::vector<header_field> fields = {{"Host", "127.0.0.1:8025"}}) {
  request r;
  r.method = "GET";
  r.target = std::move(target);
  r.fields = std::move(fields);
  return r;
}

int status_of(const request& r, const limits& lim = {}) {
  auto v = check_head(r, lim);
  return v ? 0 : v.error().status;
}

}  // namespace

TEST_CASE("the request line: 414 past the limit, accepted up to it") {
  limits lim;
  std::size_t room = lim.request_line - std::string("GET  HTTP/1.1").size();
  // "/" then letters, built in place (g++ 12 warns falsely on "/" + std::string(n, 'a')).
  auto target = [](std::size_t size) {
    std::string t(size, 'a');
    t[0] = '/';
    return t;
  };
  CHECK(status_of(head(target(room))) == 0);
  CHECK(status_of(head(target(room + 1))) == 414);
}

TEST_CASE("header fields: 431 for too many and for too many octets") {
  limits lim;
  std::vector<header_field> many{{"Host", "localhost"}};
  for (std::size_t i = 1; i < lim.header_fields; ++i) many.push_back({"X-F" + std::to_string(i), "v"});
  CHECK(status_of(head("/", many)) == 0);
  many.push_back({"X-One-More", "v"});
  CHECK(status_of(head("/", many)) == 431);
  std::vector<header_field> big{{"Host", "localhost"}, {"Cookie", std::string(lim.header_bytes, 'c')}};
  auto v = check_head(head("/", big), lim);
  REQUIRE_FALSE(v);
  CHECK(v.error().status == 431);
  CHECK(v.error().detail.find("octets") != std::string::npos);
}

TEST_CASE("Host: exactly one in HTTP/1.1 (RFC 9112 section 3.2), none needed in HTTP/1.0") {
  CHECK(status_of(head("/", {})) == 400);
  CHECK(status_of(head("/", {{"Host", "a"}, {"host", "b"}})) == 400);
  auto old = head("/", {});
  old.version = 10;
  CHECK(status_of(old) == 0);
}

TEST_CASE("the body: Content-Length checked, 413 before it is read") {
  limits lim;
  auto with = [](std::vector<header_field> extra) {
    std::vector<header_field> f{{"Host", "localhost"}};
    f.insert(f.end(), extra.begin(), extra.end());
    auto r = head("/", f);
    r.method = "POST";
    return r;
  };
  auto ok = check_head(with({{"Content-Length", " 12 "}}), lim);
  REQUIRE(ok);
  CHECK(ok.value().content_length == 12u);
  CHECK(status_of(with({{"Content-Length", std::to_string(lim.body_bytes)}})) == 0);
  CHECK(status_of(with({{"Content-Length", std::to_string(lim.body_bytes + 1)}})) == 413);
  CHECK(status_of(with({{"Content-Length", "12"}, {"Content-Length", "12"}})) == 0);
  CHECK(status_of(with({{"Content-Length", "12"}, {"Content-Length", "13"}})) == 400);
  CHECK(status_of(with({{"Content-Length", "-1"}})) == 400);
  CHECK(status_of(with({{"Content-Length", "1e3"}})) == 400);
  CHECK(status_of(with({{"Content-Length", "99999999999999999999999"}})) == 400);
}

TEST_CASE("Transfer-Encoding: chunked last (400), alone (501), never with Content-Length (400)") {
  auto r = head("/", {{"Host", "localhost"}, {"Transfer-Encoding", "chunked"}});
  auto v = check_head(r, {});
  REQUIRE(v);
  CHECK(v.value().chunked);
  CHECK_FALSE(v.value().content_length);
  CHECK(status_of(head("/", {{"Host", "localhost"}, {"Transfer-Encoding", "gzip, chunked"}})) == 501);
  CHECK(status_of(head("/", {{"Host", "localhost"}, {"Transfer-Encoding", "gzip"}, {"Transfer-Encoding", "chunked"}})) == 501);
  CHECK(status_of(head("/", {{"Host", "localhost"}, {"Transfer-Encoding", "gzip"}})) == 400);
  CHECK(status_of(head("/", {{"Host", "localhost"}, {"Transfer-Encoding", "chunked, gzip"}})) == 400);
  CHECK(status_of(head("/", {{"Host", "localhost"}, {"Transfer-Encoding", "chunked"}, {"Content-Length", "3"}})) == 400);
}

TEST_CASE("Expect: 100-continue is met, anything else is 417") {
  auto v = check_head(head("/", {{"Host", "localhost"}, {"Expect", "100-Continue"}}), {});
  REQUIRE(v);
  CHECK(v.value().expect_continue);
  CHECK(status_of(head("/", {{"Host", "localhost"}, {"Expect", "200-ok"}})) == 417);
}

TEST_CASE("an overflowing head: 414 when the request line never ended, else 431") {
  limits lim;
  std::string line = "GET /" + std::string(lim.request_line + 10, 'a');
  CHECK(head_overflow(line, lim).status == 414);
  CHECK(head_overflow("GET / HTTP/1.1\r\nCookie: " + std::string(lim.header_bytes, 'c'), lim).status == 431);
  CHECK(head_overflow("GET /" + std::string(lim.request_line + 10, 'a') + " HTTP/1.1\r\n", lim).status == 414);
}
