// Response builders: JSON that survives any bytes, problem documents, SSE framing.
#include <catch2/catch.hpp>

#include "sim/http/response.hpp"

using namespace sim::http;

TEST_CASE("JSON text replaces invalid UTF-8 and stays parseable") {
  json v = {{"subject", std::string("caf\xe9 \xff")}};
  auto text = json_text(v);
  CHECK(text == "{\"subject\":\"caf\xef\xbf\xbd \xef\xbf\xbd\"}");
  CHECK(json::parse(text)["subject"] == "caf\xef\xbf\xbd \xef\xbf\xbd");
}

TEST_CASE("a problem is an RFC 9457 document with the reason as title") {
  auto r = problem_response({413, "the body is 2000000 octets; the limit is 1048576"});
  CHECK(r.status == 413);
  CHECK(r.field("content-type") == problem_type);
  auto body = json::parse(r.body);
  CHECK(body["type"] == "about:blank");
  CHECK(body["title"] == "Content Too Large");
  CHECK(body["status"] == 413);
  CHECK(body["detail"] == "the body is 2000000 octets; the limit is 1048576");
  CHECK(reason_phrase(431) == "Request Header Fields Too Large");
  CHECK(reason_phrase(599).empty());
}

TEST_CASE("set() replaces a field whatever its case") {
  response r;
  r.set("Content-Type", "a");
  r.set("content-type", "b");
  REQUIRE(r.fields.size() == 1);
  CHECK(r.field("CONTENT-TYPE") == "b");
}

TEST_CASE("SSE: one data line per line of the event, whatever its line ends") {
  CHECK(sse_event(7, "{\"seq\":7}") == "id: 7\ndata: {\"seq\":7}\n\n");
  CHECK(sse_event(1, "a\nb\r\nc\rd") == "id: 1\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
  CHECK(sse_event(2, "") == "id: 2\ndata: \n\n");
  CHECK(sse_event(3, "x\n") == "id: 3\ndata: x\ndata: \n\n");
  CHECK(sse_comment("keep\nalive") == ": keep alive\n\n");
}

TEST_CASE("the Date field is an IMF-fixdate") {
  CHECK(http_date(*sim::parse_rfc3339("1994-11-06T08:49:37Z")) == "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(http_date(*sim::parse_rfc3339("2026-01-05T09:00:00.999Z")) == "Mon, 05 Jan 2026 09:00:00 GMT");
}
