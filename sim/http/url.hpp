// sim/http/url.hpp - request targets: path segments, query strings, percent-encoding.
//
// A target is split before it is decoded (RFC 3986 section 2.4), so an
// encoded "/" ("%2F") stays inside its segment and a mailbox address or a
// message id can hold any character.  Queries follow the form encoding that
// browsers send (WHATWG URL, application/x-www-form-urlencoded): "+" is a
// space.  Nothing here touches a file system: a path is only ever compared
// with the router's templates.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/http/result.hpp"

namespace sim::http {

// RFC 3986 section 2.1: "%41" becomes "A".  nullopt when a '%' is not
// followed by two hexadecimal digits.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space = false);
// Every byte outside RFC 3986 section 2.3's unreserved set as "%XX".
std::string percent_encode(std::string_view text);

struct query_param {
  std::string name;
  std::string value;       // "" when the parameter has no "=value"
  bool has_value = false;  // "?raw" has none, "?raw=" has an empty one
};

struct target {
  std::string path;                   // as sent, still encoded: "/api/v1/mailboxes/bob%40example.org/messages"
  std::vector<std::string> segments;  // decoded: {"api", "v1", "mailboxes", "bob@example.org", "messages"}
  std::vector<query_param> query;     // decoded, in order
  std::string authority;              // from an absolute-form target ("127.0.0.1:8025"), else ""
};

// Origin form "/a/b?x=1" or absolute form "http://host:port/a/b?x=1"
// (RFC 9112 sections 3.2.1 and 3.2.2).  400 for anything else: an
// asterisk or authority form, a bad escape, a control character or space,
// a decoded NUL or control character in the path.  "/" alone has no segment.
result<target> parse_target(std::string_view text);

// The first parameter of that name, or nullptr.
const query_param* find_param(const std::vector<query_param>& query, std::string_view name);

}  // namespace sim::http
