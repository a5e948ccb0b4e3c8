// The endpoints that change the world, and what every request goes through.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "tests/sim/http/api_support.hpp"

using namespace sim::http;
using namespace sim::http::testing;

TEST_CASE("POST /api/v1/faults applies the object as written, the world's message on refusal") {
  fake_world w;
  api a(w);
  std::string fault = R"({"host": "mx1.example.org", "kind": "reply", "phase": "rcpt", "code": 451})";
  auto r = a.handle(make_request("POST", "/api/v1/faults", fault));
  CHECK(r.status == 200);
  CHECK(body_json(r)["applied"] == json::parse(fault));
  CHECK(w.hosts()[2].faults.size() == 1);
  CHECK(a.handle(make_request("GET", "/api/v1/trace?since=1")).body.find("\"event\":\"fault.on\"") != std::string::npos);
  auto bad = a.handle(make_request("POST", "/api/v1/faults", R"({"host": "mx1.example.org", "kind": "explode"})"));
  CHECK(bad.status == 400);
  CHECK(body_json(bad)["detail"] == "/kind: \"explode\" is not a fault kind");
  w.set_validator([](const json&) { return std::optional<std::string>("/: refused by the scenario rules"); });
  CHECK(body_json(a.handle(make_request("POST", "/api/v1/faults", fault)))["detail"] == "/: refused by the scenario rules");
  w.set_validator([](const json&) { return std::nullopt; });
  CHECK(a.handle(make_request("POST", "/api/v1/faults", R"({"host": "nowhere.test", "kind": "refuse"})")).status == 404);
}

TEST_CASE("a body must be JSON sent as JSON: 415, then 400") {
  fake_world w;
  api a(w);
  auto plain = make_request("POST", "/api/v1/faults", "{}", {{"Content-Type", "text/plain"}});
  CHECK(a.handle(plain).status == 415);
  auto form = make_request("POST", "/api/v1/send", "from=a", {{"Content-Type", "application/x-www-form-urlencoded"}});
  CHECK(a.handle(form).status == 415);
  auto none = make_request("POST", "/api/v1/faults");
  CHECK(a.handle(none).status == 415);
  auto empty = make_request("POST", "/api/v1/faults", {}, {{"Content-Type", "application/json; charset=utf-8"}});
  CHECK(a.handle(empty).status == 400);
  auto broken = a.handle(make_request("POST", "/api/v1/faults", "{\"host\": "));
  CHECK(broken.status == 400);
  CHECK(body_json(broken)["detail"].get<std::string>().starts_with("the body is not JSON: "));
  CHECK(a.handle(make_request("POST", "/api/v1/faults", "[1]")).status == 400);
}

TEST_CASE("DELETE /api/v1/faults/{host} heals, ?dns heals a DNS name") {
  fake_world w;
  api a(w);
  a.handle(make_request("POST", "/api/v1/faults", R"({"host": "mx1.example.org", "kind": "refuse"})"));
  auto r = a.handle(make_request("DELETE", "/api/v1/faults/mx1.example.org"));
  CHECK(r.status == 200);
  CHECK(body_json(r) == json({{"healed", {{"host", "mx1.example.org"}}}}));
  CHECK(w.hosts()[2].faults.empty());
  CHECK(a.handle(make_request("DELETE", "/api/v1/faults/nowhere.test")).status == 404);
  auto dns = a.handle(make_request("DELETE", "/api/v1/faults/example.org?dns"));
  CHECK(body_json(dns) == json({{"healed", {{"dns", "example.org"}}}}));
}

TEST_CASE("POST /api/v1/send: 202 with the id and Message-ID, the message arrives") {
  fake_world w;
  api a(w);
  auto r = a.handle(make_request("POST", "/api/v1/send", R"({"id": "hello", "from": "alice@sender.test", "to": ["bob@example.org"], "subject": "Hi"})"));
  CHECK(r.status == 202);
  CHECK(body_json(r) == json({{"id", "hello"}, {"message_id", "<hello@fake.mailsim>"}}));
  auto list = body_json(a.handle(make_request("GET", "/api/v1/mailboxes/bob@example.org/messages")));
  REQUIRE(list.size() == 1);
  CHECK(list[0]["subject"] == "Hi");
  auto bad = a.handle(make_request("POST", "/api/v1/send", R"({"from": "alice@sender.test"})"));
  CHECK(bad.status == 400);
  CHECK(body_json(bad)["detail"] == "/to: a non-empty array of addresses");
}

TEST_CASE("POST /api/v1/expect: PASS/FAIL lines as JSON or as text") {
  fake_world w;
  api a(w);
  w.send({{"from", "alice@sender.test"}, {"to", {"bob@example.org"}}});
  std::string list = R"([{"delivered": {"to": "bob@example.org"}}, {"delivered": {"to": "carol@example.org"}}])";
  auto r = a.handle(make_request("POST", "/api/v1/expect", list));
  CHECK(r.status == 200);
  auto report = body_json(r);
  CHECK(report["passed"] == 1);
  CHECK(report["failed"] == 1);
  CHECK(report["summary"] == "1 passed, 1 failed");
  CHECK(report["results"][0] == json({{"passed", true}, {"line", "PASS delivered bob@example.org: in the mailbox"}}));
  auto text = a.handle(make_request("POST", "/api/v1/expect", list, {{"Accept", "text/plain"}}));
  CHECK(text.field("Content-Type") == "text/plain; charset=utf-8");
  CHECK(text.body == "PASS delivered bob@example.org: in the mailbox\nFAIL delivered carol@example.org: not delivered\n1 passed, 1 failed\n");
  auto one = body_json(a.handle(make_request("POST", "/api/v1/expect", R"({"queue_empty": true})")));
  CHECK(one["summary"] == "1 passed, 0 failed");
  CHECK(a.handle(make_request("POST", "/api/v1/expect", R"([{"bounced": {}}])")).status == 400);
  CHECK(a.handle(make_request("POST", "/api/v1/expect", "7")).status == 400);
}

TEST_CASE("DELETE /api/v1/messages empties every mailbox") {
  fake_world w;
  api a(w);
  w.file("bob@example.org", "Subject: a\r\n\r\n");
  w.file("carol@example.org", "Subject: b\r\n\r\n");
  auto r = a.handle(make_request("DELETE", "/api/v1/messages"));
  CHECK(r.status == 200);
  CHECK(body_json(r) == json({{"deleted", 2}}));
  CHECK(body_json(a.handle(make_request("GET", "/api/v1/mailboxes")))[1]["messages"] == 0);
}

TEST_CASE("404, 405 with Allow, 501, OPTIONS, HEAD") {
  fake_world w;
  api a(w);
  CHECK(a.handle(make_request("GET", "/api/v1/nothing")).status == 404);
  CHECK(a.handle(make_request("GET", "/index.html")).status == 404);
  CHECK(a.handle(make_request("GET", "/api/v1/hosts/")).status == 404);
  auto wrong = a.handle(make_request("POST", "/api/v1/hosts", "{}"));
  CHECK(wrong.status == 405);
  CHECK(wrong.field("Allow") == "GET, HEAD, OPTIONS");
  auto wrong2 = a.handle(make_request("GET", "/api/v1/messages"));
  CHECK(wrong2.status == 405);
  CHECK(wrong2.field("Allow") == "DELETE, OPTIONS");
  CHECK(a.handle(make_request("PUT", "/api/v1/faults")).field("Allow") == "POST, OPTIONS");
  CHECK(a.handle(make_request("BREW", "/api/v1/hosts")).status == 501);
  auto options = a.handle(make_request("OPTIONS", "/api/v1/faults/mx1.example.org"));
  CHECK(options.status == 204);
  CHECK(options.field("Allow") == "DELETE, OPTIONS");
  CHECK(options.body.empty());
  CHECK(a.handle(make_request("OPTIONS", "/api/v1/nothing")).status == 404);
  auto head = a.handle(make_request("HEAD", "/api/v1/hosts"));
  CHECK(head.status == 200);
  CHECK(head.body == a.handle(make_request("GET", "/api/v1/hosts")).body);  // the server sends only its length
}

TEST_CASE("406 when nothing offered is acceptable, errors are problem documents anyway") {
  fake_world w;
  api a(w);
  auto r = a.handle(make_request("GET", "/api/v1/hosts", {}, {{"Accept", "text/html"}}));
  CHECK(r.status == 406);
  CHECK(r.field("Content-Type") == "application/problem+json");
  CHECK(a.handle(make_request("GET", "/", {}, {{"Accept", "application/json"}})).status == 406);
}

TEST_CASE("Host must be a loopback address or localhost (DNS rebinding): 421") {
  fake_world w;
  api a(w);
  for (std::string_view host : {"127.0.0.1:8025", "127.9.9.9", "localhost", "LOCALHOST:80", "app.localhost:1", "[::1]:8025",
                                "[::ffff:127.0.0.1]:1", "localhost."}) {
    INFO(host);
    CHECK(a.handle(make_request("GET", "/api/v1/hosts", {}, {{"Host", std::string(host)}})).status == 200);
  }
  for (std::string_view host : {"evil.example", "127.0.0.1.evil.example", "10.0.0.1:8025", "[::2]", "localhost:x", "[::1", "",
                                "localhost.evil"}) {
    INFO(host);
    CHECK(a.handle(make_request("GET", "/api/v1/hosts", {}, {{"Host", std::string(host)}})).status == 421);
  }
  CHECK(a.handle(make_request("GET", "http://evil.example/api/v1/hosts")).status == 421);
  CHECK(a.handle(make_request("GET", "http://localhost:8025/api/v1/hosts")).status == 200);
}

TEST_CASE("a change from another origin is refused (CSRF): 403") {
  fake_world w;
  api a(w);
  auto from = [&](std::string origin) {
    return a.handle(make_request("DELETE", "/api/v1/messages", {}, {{"Origin", std::move(origin)}})).status;
  };
  CHECK(from("http://127.0.0.1:8025") == 200);
  CHECK(from("http://localhost:3000") == 200);
  CHECK(from("https://evil.example") == 403);
  CHECK(from("null") == 403);
  CHECK(a.handle(make_request("GET", "/api/v1/hosts", {}, {{"Origin", "https://evil.example"}})).status == 200);
}

TEST_CASE("every response forbids caching, sniffing and framing") {
  fake_world w;
  api a(w);
  for (auto r : {a.handle(make_request("GET", "/api/v1/hosts")), a.handle(make_request("GET", "/nothing")),
                 a.handle(make_request("GET", "/"))}) {
    CHECK(r.field("Cache-Control") == "no-store");
    CHECK(r.field("X-Content-Type-Options") == "nosniff");
    CHECK(r.field("Referrer-Policy") == "no-referrer");
    CHECK(r.field("Content-Security-Policy")->find("frame-ancestors 'none'") != std::string_view::npos);
  }
  CHECK(a.handle(make_request("GET", "/api/v1/hosts")).field("Content-Security-Policy") ==
        "default-src 'none'; frame-ancestors 'none'; sandbox");
  auto refused = refusal({431, "too many fields"});
  CHECK(refused.close);
  CHECK(refused.field("X-Content-Type-Options") == "nosniff");
}

namespace {
struct broken_world : fake_world {
  std::vector<host_info> hosts() const override { throw std::runtime_error("the world fell over"); }
};
}  // namespace

TEST_CASE("a world that throws gives 500 with what it said") {
  broken_world w;
  api a(w);
  auto r = a.handle(make_request("GET", "/api/v1/hosts"));
  CHECK(r.status == 500);
  CHECK(body_json(r)["detail"] == "internal error: the world fell over");
}
