// sim/http/request.hpp - one HTTP request as the core sees it.
//
// The server fills it from whatever parsed the bytes (Beast's parser); the
// core never sees a socket.  Field names keep their case as sent and are
// compared without regard to it (RFC 9110 section 5.1).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::http {

struct header_field {
  std::string name;
  std::string value;
};

struct request {
  std::string method;  // as sent: "GET" (methods are case-sensitive, RFC 9110 section 9.1)
  std::string target;  // as sent: "/api/v1/trace?since=10"
  int version = 11;    // 10 for HTTP/1.0, 11 for HTTP/1.1
  std::vector<header_field> fields;
  std::string body;

  // The first field of that name, or nullopt.
  std::optional<std::string_view> field(std::string_view name) const;
  std::size_t count(std::string_view name) const;
};

}  // namespace sim::http
