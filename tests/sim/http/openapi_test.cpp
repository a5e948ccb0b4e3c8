// The checked-in OpenAPI document and the router describe the same API.
#include <catch2/catch.hpp>

#include <set>

#include "sim/http/api.hpp"
#include "sim/http/assets.hpp"
#include "tests/sim/http/fake_world.hpp"

using namespace sim::http;

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "{address}" names of a template, in order.
std::vector<std::string> path_params(const std::string& path) {
  std::vector<std::string> out;
  for (std::size_t at = path.find('{'); at != std::string::npos; at = path.find('{', at + 1))
    out.push_back(path.substr(at + 1, path.find('}', at) - at - 1));
  return out;
}

}  // namespace

TEST_CASE("every route is in the OpenAPI document and every operation is a route") {
  testing::fake_world w;
  api a(w);
  auto doc = json::parse(assets::openapi_document());
  REQUIRE(doc["openapi"].get<std::string>().starts_with("3."));
  std::set<std::string> routes, documented;
  for (const auto& r : a.routes().routes()) routes.insert(lower(r.method) + " " + r.path);
  for (const auto& [path, item] : doc["paths"].items())
    for (const auto& [method, op] : item.items())
      if (method != "parameters" && method != "summary" && method != "description") documented.insert(method + " " + path);
  CHECK(routes == documented);
}

TEST_CASE("each operation documents exactly its route's path and query parameters, and its responses") {
  testing::fake_world w;
  api a(w);
  auto doc = json::parse(assets::openapi_document());
  for (const auto& r : a.routes().routes()) {
    INFO(r.method << " " << r.path);
    const auto& op = doc["paths"][r.path][lower(r.method)];
    std::vector<std::string> in_path, in_query;
    for (const auto& p : op.value("parameters", json::array())) {
      if (p["in"] == "path") {
        CHECK(p["required"] == true);
        in_path.push_back(p["name"]);
      }
      if (p["in"] == "query") in_query.push_back(p["name"]);
    }
    CHECK(in_path == path_params(r.path));
    CHECK(in_query == r.query);
    REQUIRE(op.contains("responses"));
    bool has_success = false;
    for (const auto& [code, resp] : op["responses"].items()) has_success = has_success || code.starts_with("2");
    CHECK(has_success);
    CHECK(op.contains("summary"));
    CHECK(op.contains("operationId"));
  }
}

TEST_CASE("every schema the document refers to is defined") {
  auto doc = json::parse(assets::openapi_document());
  std::vector<const json*> todo{&doc};
  std::size_t refs = 0;
  while (!todo.empty()) {
    const json* j = todo.back();
    todo.pop_back();
    if (j->is_object()) {
      if (j->contains("$ref")) {
        auto ref = (*j)["$ref"].get<std::string>();
        INFO(ref);
        auto pointer = json::json_pointer(ref.substr(1));
        CHECK(doc.contains(pointer));
        ++refs;
      }
      for (const auto& [k, v] : j->items()) todo.push_back(&v);
    } else if (j->is_array()) {
      for (const auto& v : *j) todo.push_back(&v);
    }
  }
  CHECK(refs > 10);
}
