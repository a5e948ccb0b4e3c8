// tests/sim/http/api_support.hpp - requests for the api tests.
#pragma once

#include <string>
#include <vector>

#include "sim/http/api.hpp"
#include "tests/sim/http/fake_world.hpp"

namespace sim::http::testing {

// A request as a browser or curl on this machine would send it.
inline request make_request(std::string method, std::string target, std::string body = {},
                            std::vector<header_field> extra = {}) {
  request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.fields = {{"Host", "127.0.0.1:8025"}};
  if (!body.empty()) r.fields.push_back({"Content-Type", "application/json"});
  for (auto& f : extra) {
    std::erase_if(r.fields, [&](const header_field& g) { return g.name == f.name; });
    r.fields.push_back(std::move(f));
  }
  r.body = std::move(body);
  return r;
}

inline json body_json(const response& r) { return json::parse(r.body); }

}  // namespace sim::http::testing
