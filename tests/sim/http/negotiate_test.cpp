// Content negotiation (RFC 9110 section 12.5.1), kept simple.
#include <catch2/catch.hpp>

#include <array>

#include "sim/http/negotiate.hpp"

using namespace sim::http;

namespace {
constexpr std::array<std::string_view, 2> trace_offers = {"application/jsonl", "text/event-stream"};
constexpr std::array<std::string_view, 2> expect_offers = {"application/json", "text/plain; charset=utf-8"};
}  // namespace

TEST_CASE("no Accept field, or */*: the endpoint's first offer") {
  CHECK(negotiate(std::nullopt, trace_offers) == "application/jsonl");
  CHECK(negotiate("", trace_offers) == "application/jsonl");
  CHECK(negotiate("*/*", trace_offers) == "application/jsonl");
}

TEST_CASE("the most specific range gives the weight") {
  CHECK(negotiate("text/event-stream", trace_offers) == "text/event-stream");
  CHECK(negotiate("text/*", expect_offers) == "text/plain; charset=utf-8");
  CHECK(negotiate("text/plain, application/json;q=0.5", expect_offers) == "text/plain; charset=utf-8");
  CHECK(negotiate("TEXT/PLAIN;Q=0.9, */*;q=0.8", expect_offers) == "text/plain; charset=utf-8");
  CHECK(negotiate("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", expect_offers) == "application/json");
  CHECK(negotiate("*/*;q=0.1, application/json;q=0", expect_offers) == "text/plain; charset=utf-8");
}

TEST_CASE("nothing acceptable: nullopt (406)") {
  CHECK_FALSE(negotiate("image/png", expect_offers));
  CHECK_FALSE(negotiate("application/json;q=0, text/*;q=0", expect_offers));
  CHECK_FALSE(negotiate("text/html", std::array<std::string_view, 1>{"application/json"}));
}
