// The endpoints that read, over the fake world: status, media type, JSON shape.
#include <catch2/catch.hpp>

#include "tests/sim/http/api_support.hpp"

using namespace sim::http;
using namespace sim::http::testing;

namespace {
const std::string hello = "From: alice@sender.test\r\nTo: bob@example.org\r\nSubject: <script>alert(1)</script>\r\n"
                          "Date: Mon, 05 Jan 2026 09:00:01 +0000\r\n\r\nHello Bob\r\n";
}  // namespace

TEST_CASE("GET /api/v1/hosts: every host with roles, services and faults") {
  fake_world w;
  api a(w);
  auto r = a.handle(make_request("GET", "/api/v1/hosts"));
  CHECK(r.status == 200);
  CHECK(r.field("Content-Type") == "application/json");
  auto hosts = body_json(r);
  REQUIRE(hosts.size() == 3);
  CHECK(hosts[1]["name"] == "mail.sender.test");
  CHECK(hosts[1]["roles"] == json::array({"mta", "submission"}));
  CHECK(hosts[1]["services"][1] == json({{"name", "submission"}, {"port", 587}, {"listen", "127.0.0.1:2501"}}));
  CHECK(hosts[1]["up"] == true);
  CHECK(hosts[1]["faults"] == json::array());
}

TEST_CASE("GET /api/v1/mailboxes and the messages of one address") {
  fake_world w;
  api a(w);
  auto id = w.file("bob@example.org", hello);
  auto boxes = body_json(a.handle(make_request("GET", "/api/v1/mailboxes")));
  REQUIRE(boxes.size() == 3);
  CHECK(boxes[1]["address"] == "bob@example.org");
  CHECK(boxes[1]["messages"] == 1);
  CHECK(boxes[1]["folders"][0]["name"] == "INBOX");
  auto r = a.handle(make_request("GET", "/api/v1/mailboxes/bob%40example.org/messages"));
  REQUIRE(r.status == 200);
  auto list = body_json(r);
  REQUIRE(list.size() == 1);
  for (const char* key : {"id", "from", "to", "subject", "date", "size", "folder"}) CHECK(list[0].contains(key));
  CHECK(list[0]["id"] == id);
  CHECK(list[0]["subject"] == "<script>alert(1)</script>");
  CHECK(a.handle(make_request("GET", "/api/v1/mailboxes/bob@example.org/messages")).status == 200);
  auto missing = a.handle(make_request("GET", "/api/v1/mailboxes/nobody%40example.org/messages"));
  CHECK(missing.status == 404);
  CHECK(missing.field("Content-Type") == "application/problem+json");
  CHECK(body_json(missing)["detail"] == "no mailbox nobody@example.org");
}

TEST_CASE("GET /api/v1/messages/{id}: the detail, ?raw, Accept: message/rfc822") {
  fake_world w;
  api a(w);
  auto id = w.file("bob@example.org", hello);
  auto r = a.handle(make_request("GET", "/api/v1/messages/" + id));
  REQUIRE(r.status == 200);
  auto m = body_json(r);
  CHECK(m["envelope"]["rcpt_to"] == "bob@example.org");
  CHECK(m["headers"][0]["name"] == "Return-Path");
  CHECK(m["text"] == "Hello Bob\r\n");
  auto raw = a.handle(make_request("GET", "/api/v1/messages/" + id + "?raw"));
  CHECK(raw.status == 200);
  CHECK(raw.field("Content-Type") == "message/rfc822");
  CHECK(raw.body.ends_with(hello));
  CHECK(raw.body.starts_with("Return-Path: <alice@sender.test>\r\n"));
  CHECK(a.handle(make_request("GET", "/api/v1/messages/" + id + "?raw=1")).field("Content-Type") == "message/rfc822");
  CHECK(a.handle(make_request("GET", "/api/v1/messages/" + id + "?raw=false")).field("Content-Type") == "application/json");
  CHECK(a.handle(make_request("GET", "/api/v1/messages/" + id + "?raw=maybe")).status == 400);
  auto negotiated = a.handle(make_request("GET", "/api/v1/messages/" + id, {}, {{"Accept", "message/rfc822"}}));
  CHECK(negotiated.field("Content-Type") == "message/rfc822");
  CHECK(a.handle(make_request("GET", "/api/v1/messages/m999")).status == 404);
}

TEST_CASE("GET /api/v1/queue/{host}: entries with recipients, attempts and next attempt, 404 for a non-MTA") {
  fake_world w;
  api a(w);
  w.send({{"from", "alice@sender.test"}, {"to", {"dave@elsewhere.test"}}, {"subject", "Hi"}});
  auto q = body_json(a.handle(make_request("GET", "/api/v1/queue/mail.sender.test")));
  REQUIRE(q.size() == 1);
  CHECK(q[0]["sender"] == "alice@sender.test");
  CHECK(q[0]["attempts"] == 1);
  CHECK(q[0]["next_attempt_t"] == 300000);
  CHECK(q[0]["next_attempt"] == "2026-01-05T09:05:00Z");
  CHECK(q[0]["recipients"][0]["state"] == "deferred");
  CHECK(q[0]["recipients"][0]["last_reply"] == "451 4.4.1 connection refused");
  CHECK(body_json(a.handle(make_request("GET", "/api/v1/queue/mx1.example.org"))) == json::array());
  CHECK(a.handle(make_request("GET", "/api/v1/queue/client.test")).status == 404);
  CHECK(a.handle(make_request("GET", "/api/v1/queue/nowhere.test")).status == 404);
}

TEST_CASE("GET /api/v1/trace: JSON Lines from ?since, at most ?limit, the next seq in a field") {
  fake_world w;
  api a(w);
  for (int i = 0; i < 5; ++i) w.emit("h", "sim", "tick", {{"i", i}});
  auto all = a.handle(make_request("GET", "/api/v1/trace"));
  CHECK(all.status == 200);
  CHECK(all.field("Content-Type") == "application/jsonl");
  CHECK(std::count(all.body.begin(), all.body.end(), '\n') == 6);
  CHECK(all.field("Mailsim-Next-Seq") == "6");
  auto page = a.handle(make_request("GET", "/api/v1/trace?since=2&limit=2"));
  CHECK(page.body == "{\"seq\":2,\"t\":0,\"host\":\"h\",\"agent\":\"sim\",\"event\":\"tick\",\"i\":1}\n"
                     "{\"seq\":3,\"t\":0,\"host\":\"h\",\"agent\":\"sim\",\"event\":\"tick\",\"i\":2}\n");
  CHECK(page.field("Mailsim-Next-Seq") == "4");
  CHECK(a.handle(make_request("GET", "/api/v1/trace?since=99")).body.empty());
  CHECK(a.handle(make_request("GET", "/api/v1/trace?since=-1")).status == 400);
  CHECK(a.handle(make_request("GET", "/api/v1/trace?limit=100001")).status == 400);
  CHECK(a.handle(make_request("GET", "/api/v1/trace?sinec=1")).status == 400);
}

TEST_CASE("?follow (or Accept: text/event-stream) marks a stream, Last-Event-ID resumes after it") {
  fake_world w;
  api a(w);
  auto r = a.handle(make_request("GET", "/api/v1/trace?follow&since=3&limit=10"));
  CHECK(r.status == 200);
  CHECK(r.field("Content-Type") == "text/event-stream");
  REQUIRE(r.follow);
  CHECK(r.follow->since == 3);
  CHECK(r.follow->limit == 10u);
  auto negotiated = a.handle(make_request("GET", "/api/v1/trace", {}, {{"Accept", "text/event-stream"}}));
  REQUIRE(negotiated.follow);
  CHECK_FALSE(negotiated.follow->limit);
  auto resumed = a.handle(make_request("GET", "/api/v1/trace?follow", {}, {{"Last-Event-ID", "41"}}));
  CHECK(resumed.follow->since == 42);
  CHECK_FALSE(a.handle(make_request("HEAD", "/api/v1/trace?follow")).follow);
}

TEST_CASE("the page and the OpenAPI document") {
  fake_world w;
  api a(w);
  auto page = a.handle(make_request("GET", "/"));
  CHECK(page.status == 200);
  CHECK(page.field("Content-Type") == "text/html; charset=utf-8");
  CHECK(page.field("Content-Security-Policy")->find("script-src 'sha256-") != std::string_view::npos);
  CHECK(page.body.starts_with("<!DOCTYPE html>"));
  auto doc = a.handle(make_request("GET", "/api/v1/openapi.json"));
  CHECK(doc.status == 200);
  CHECK(json::parse(doc.body)["openapi"] == "3.1.0");
}
