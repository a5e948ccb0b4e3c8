// Request targets: percent-decoding, segments, queries, the forms RFC 9112 allows.
#include <catch2/catch.hpp>

#include "sim/http/url.hpp"

using namespace sim::http;

TEST_CASE("percent-decoding: escapes, plus signs, and bad escapes refused") {
  CHECK(percent_decode("bob%40example.org") == "bob@example.org");
  CHECK(percent_decode("%2f%2F") == "//");
  CHECK(percent_decode("a+b") == "a+b");
  CHECK(percent_decode("a+b", true) == "a b");
  CHECK(percent_decode("%e2%82%ac") == "\xe2\x82\xac");
  CHECK_FALSE(percent_decode("%"));
  CHECK_FALSE(percent_decode("%4"));
  CHECK_FALSE(percent_decode("ab%4"));
  CHECK_FALSE(percent_decode("%zz"));
  CHECK(percent_encode("bob@example.org/x y") == "bob%40example.org%2Fx%20y");
  CHECK(percent_encode("A-z_0.~") == "A-z_0.~");
}

TEST_CASE("a target is split into segments before it is decoded") {
  auto t = parse_target("/api/v1/mailboxes/bob%40example.org/messages");
  REQUIRE(t);
  CHECK(t.value().segments == std::vector<std::string>{"api", "v1", "mailboxes", "bob@example.org", "messages"});
  CHECK(t.value().path == "/api/v1/mailboxes/bob%40example.org/messages");
  auto slash = parse_target("/api/v1/messages/a%2Fb");
  REQUIRE(slash);
  CHECK(slash.value().segments.back() == "a/b");
  auto root = parse_target("/");
  REQUIRE(root);
  CHECK(root.value().segments.empty());
  auto trailing = parse_target("/api/v1/hosts/");
  REQUIRE(trailing);
  CHECK(trailing.value().segments == std::vector<std::string>{"api", "v1", "hosts", ""});
}

TEST_CASE("query strings: form encoding, flags without values, order kept") {
  auto t = parse_target("/api/v1/trace?since=12&follow&q=a+b%26c&&empty=");
  REQUIRE(t);
  const auto& q = t.value().query;
  REQUIRE(q.size() == 4);
  CHECK(q[0].name == "since");
  CHECK(q[0].value == "12");
  CHECK(q[1].name == "follow");
  CHECK_FALSE(q[1].has_value);
  CHECK(q[2].value == "a b&c");
  CHECK(q[3].has_value);
  CHECK(q[3].value.empty());
  CHECK(find_param(q, "follow") == &q[1]);
  CHECK(find_param(q, "limit") == nullptr);
  CHECK_FALSE(parse_target("/x?a=%zz"));
}

TEST_CASE("absolute form gives its authority, other forms are 400") {
  auto t = parse_target("http://127.0.0.1:8025/api/v1/hosts?x=1");
  REQUIRE(t);
  CHECK(t.value().authority == "127.0.0.1:8025");
  CHECK(t.value().segments == std::vector<std::string>{"api", "v1", "hosts"});
  auto bare = parse_target("HTTP://localhost");
  REQUIRE(bare);
  CHECK(bare.value().path == "/");
  for (std::string_view bad : {"", "*", "example.org:443", "http:///x", "http://h?x", "/a b", "/a\tb", "/\x7f", "/caf\xc3\xa9",
                               "/%00", "/a%0d%0ab", "/%zz"}) {
    INFO(bad);
    auto r = parse_target(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().status == 400);
  }
}

TEST_CASE("a fragment is dropped") {
  auto t = parse_target("/api/v1/hosts#top");
  REQUIRE(t);
  CHECK(t.value().segments.back() == "hosts");
}
