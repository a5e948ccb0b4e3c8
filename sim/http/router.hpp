// sim/http/router.hpp - method and path templates to handlers (sans-I/O).
//
// A template is a path whose segments are literals or `{name}`; `{name}`
// takes exactly one non-empty segment, already percent-decoded, so
// "/api/v1/mailboxes/{address}/messages" matches
// "/api/v1/mailboxes/bob%40example.org/messages" with address =
// "bob@example.org".  A path that matches no template is 404; a path that
// matches only for other methods is 405 with their list for the Allow field
// (RFC 9110 section 15.5.6).  HEAD matches wherever GET does (section
// 9.3.2); OPTIONS matches no route (the API answers it from `allow`).
// Each route also lists the query parameters it takes, so that a misspelt
// one is refused, not ignored.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/http/request.hpp"
#include "sim/http/response.hpp"
#include "sim/http/url.hpp"

namespace sim::http {

// What a handler is given: the request, its parsed target, the template's values.
struct call {
  const request& req;
  const target& where;
  std::map<std::string, std::string, std::less<>> params;

  // The value of `{name}`; "" when the template has none.
  std::string_view param(std::string_view name) const;
  const query_param* query(std::string_view name) const { return find_param(where.query, name); }
};

using handler = std::function<response(const call&)>;

struct route {
  std::string method;              // "GET", "POST", "DELETE"
  std::string path;                // "/api/v1/mailboxes/{address}/messages"
  std::vector<std::string> query;  // the query parameters it takes
  handler run;
  std::string summary;             // one line, for the route list
};

class router {
 public:
  // Throws std::invalid_argument for a malformed template or a route given
  // twice (programming errors, found when the server is built).
  void add(route r);

  struct match {
    enum class kind { found, no_path, no_method };
    kind what = kind::no_path;
    const route* hit = nullptr;
    std::map<std::string, std::string, std::less<>> params;
    std::string allow;  // found and no_method: "GET, HEAD, OPTIONS"
  };
  match find(std::string_view method, const std::vector<std::string>& segments) const;

  const std::vector<route>& routes() const { return routes_; }

 private:
  struct compiled {
    std::vector<std::string> segments;  // literal, or "{name}"
  };
  bool matches(const compiled& c, const std::vector<std::string>& segments,
               std::map<std::string, std::string, std::less<>>* params) const;

  std::vector<route> routes_;
  std::vector<compiled> templates_;
};

}  // namespace sim::http
