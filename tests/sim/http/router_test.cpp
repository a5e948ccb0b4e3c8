// The router: templates, parameters, 404, 405 with Allow, HEAD.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "sim/http/router.hpp"

using namespace sim::http;

namespace {

router sample() {
  router r;
  auto ok = [](const call&) { return response{}; };
  r.add({"GET", "/", {}, ok, ""});
  r.add({"GET", "/api/v1/mailboxes/{address}/messages", {}, ok, ""});
  r.add({"GET", "/api/v1/messages/{id}", {"raw"}, ok, ""});
  r.add({"DELETE", "/api/v1/messages", {}, ok, ""});
  r.add({"POST", "/api/v1/faults", {}, ok, ""});
  r.add({"DELETE", "/api/v1/faults/{host}", {}, ok, ""});
  return r;
}

std::vector<std::string> segments(std::string_view path) { return parse_target(path).value().segments; }

}  // namespace

TEST_CASE("a template parameter takes one decoded segment") {
  auto r = sample();
  auto m = r.find("GET", segments("/api/v1/mailboxes/bob%40example.org/messages"));
  REQUIRE(m.what == router::match::kind::found);
  CHECK(m.hit->path == "/api/v1/mailboxes/{address}/messages");
  CHECK(m.params.at("address") == "bob@example.org");
  auto odd = r.find("GET", segments("/api/v1/mailboxes/a%2Fb/messages"));
  REQUIRE(odd.what == router::match::kind::found);
  CHECK(odd.params.at("address") == "a/b");
  CHECK(r.find("GET", segments("/")).what == router::match::kind::found);
}

TEST_CASE("no template matches: 404, empty or extra segments do not match") {
  auto r = sample();
  for (std::string_view p : {"/api/v1/mailboxes//messages", "/api/v1/mailboxes/x/messages/y", "/api/v1", "/api/v1/hosts/",
                             "/API/v1/messages", "/api/v1/../v1/messages"}) {
    INFO(p);
    CHECK(r.find("GET", segments(p)).what == router::match::kind::no_path);
  }
}

TEST_CASE("a path that exists for other methods: 405 with Allow") {
  auto r = sample();
  auto m = r.find("POST", segments("/api/v1/messages/m1"));
  CHECK(m.what == router::match::kind::no_method);
  CHECK(m.allow == "GET, HEAD, OPTIONS");
  auto d = r.find("GET", segments("/api/v1/messages"));
  CHECK(d.what == router::match::kind::no_method);
  CHECK(d.allow == "DELETE, OPTIONS");
  auto f = r.find("PUT", segments("/api/v1/faults"));
  CHECK(f.allow == "POST, OPTIONS");
  CHECK(r.find("OPTIONS", segments("/api/v1/faults")).what == router::match::kind::no_method);
}

TEST_CASE("HEAD is answered by the GET route") {
  auto r = sample();
  auto m = r.find("HEAD", segments("/api/v1/messages/m7"));
  REQUIRE(m.what == router::match::kind::found);
  CHECK(m.hit->method == "GET");
  CHECK(r.find("HEAD", segments("/api/v1/messages")).what == router::match::kind::no_method);
}

TEST_CASE("malformed templates and routes given twice are programming errors") {
  router r;
  auto ok = [](const call&) { return response{}; };
  CHECK_THROWS_AS(r.add({"GET", "api", {}, ok, ""}), std::invalid_argument);
  CHECK_THROWS_AS(r.add({"GET", "/a//b", {}, ok, ""}), std::invalid_argument);
  CHECK_THROWS_AS(r.add({"GET", "/a/{b", {}, ok, ""}), std::invalid_argument);
  CHECK_THROWS_AS(r.add({"GET", "/a/x{b}", {}, ok, ""}), std::invalid_argument);
  r.add({"GET", "/a/{b}", {}, ok, ""});
  CHECK_THROWS_AS(r.add({"GET", "/a/{b}", {}, ok, ""}), std::invalid_argument);
}
