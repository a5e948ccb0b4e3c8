// sim/http/api.cpp - the route table and what every request goes through.
#include "sim/http/api.hpp"

#include <array>
#include <exception>

#include <fmt/format.h>

#include "fake_dns/address.hpp"
#include "sim/http/assets.hpp"
#include "sim/http/negotiate.hpp"
#include "sim/message/text.hpp"

namespace sim::http {

namespace {

// RFC 9110 section 9: the methods a server may meet.  Any other token is
// "unrecognized" (501, section 9.1); these are 405 where a path exists.
bool known_method(std::string_view m) {
  static constexpr std::array<std::string_view, 9> known = {"GET",   "HEAD",    "POST",  "PUT",  "DELETE",
                                                            "PATCH", "OPTIONS", "TRACE", "CONNECT"};
  return std::find(known.begin(), known.end(), m) != known.end();
}

bool is_unsafe(std::string_view m) { return m != "GET" && m != "HEAD" && m != "OPTIONS" && m != "TRACE"; }

// Every response: no caching, no sniffing, no framing, no referrer; a
// response other than the UI may not even run as a document.
void add_common_fields(response& r) {
  r.set("Cache-Control", "no-store");
  r.set("X-Content-Type-Options", "nosniff");
  r.set("Referrer-Policy", "no-referrer");
  if (!r.field("Content-Security-Policy"))
    r.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox");
}

// The Origin of a request that changes something must be this server's
// kind of origin: a page elsewhere cannot drive it (CSRF).
bool origin_allowed(std::optional<std::string_view> origin) {
  if (!origin) return true;
  auto o = message::trim(*origin);
  for (std::string_view scheme : {"http://", "https://"})
    if (o.size() > scheme.size() && message::iequals(o.substr(0, scheme.size()), scheme))
      return is_loopback_authority(o.substr(scheme.size()));
  return false;
}

}  // namespace

response refusal(const problem& p) {
  response r = problem_response(p);
  r.close = true;
  add_common_fields(r);
  return r;
}

bool is_loopback_authority(std::string_view authority) {
  std::string_view host = authority, port;
  if (host.starts_with("[")) {
    auto close = host.find(']');
    if (close == std::string_view::npos) return false;
    port = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!port.empty() && port.front() != ':') return false;
    auto ip = dns::parse_ipv6(host);
    if (!ip) return false;
    std::array<std::uint8_t, 16> loopback{};
    loopback[15] = 1;
    std::array<std::uint8_t, 12> mapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    bool is_mapped = std::equal(mapped.begin(), mapped.end(), ip->bytes.begin());
    if (ip->bytes != loopback && !(is_mapped && ip->bytes[12] == 127)) return false;
  } else {
    auto colon = host.rfind(':');
    if (colon != std::string_view::npos) {
      port = host.substr(colon);
      host = host.substr(0, colon);
    }
    if (host.ends_with(".")) host.remove_suffix(1);
    auto lower = message::to_lower(host);
    if (auto ip = dns::parse_ipv4(host)) {
      if (ip->bytes[0] != 127) return false;
    } else if (lower != "localhost" && !lower.ends_with(".localhost")) {
      return false;
    }
  }
  if (port.empty()) return true;
  if (port.size() < 2 || port.size() > 6) return false;
  return port.substr(1).find_first_not_of("0123456789") == std::string_view::npos;
}

api::api(world_api& world) : world_(world) { add_routes(); }

void api::add_routes() {
  auto bind = [this](response (api::*fn)(const call&)) { return [this, fn](const call& c) { return (this->*fn)(c); }; };
  routes_.add({"GET", "/", {}, bind(&api::get_ui), "the web UI"});
  routes_.add({"GET", "/api/v1/openapi.json", {}, bind(&api::get_openapi), "this API as an OpenAPI 3 document"});
  routes_.add({"GET", "/api/v1/hosts", {}, bind(&api::get_hosts), "every host"});
  routes_.add({"GET", "/api/v1/mailboxes", {}, bind(&api::get_mailboxes), "every mailbox"});
  routes_.add({"GET", "/api/v1/mailboxes/{address}/messages", {}, bind(&api::get_messages), "the messages of one address"});
  routes_.add({"GET", "/api/v1/messages/{id}", {"raw"}, bind(&api::get_message), "one message"});
  routes_.add({"DELETE", "/api/v1/messages", {}, bind(&api::delete_messages), "delete every message"});
  routes_.add({"GET", "/api/v1/queue/{host}", {}, bind(&api::get_queue), "a host's queue"});
  routes_.add({"GET", "/api/v1/trace", {"since", "limit", "follow"}, bind(&api::get_trace), "the trace"});
  routes_.add({"POST", "/api/v1/faults", {}, bind(&api::post_fault), "apply a fault now"});
  routes_.add({"DELETE", "/api/v1/faults/{host}", {"dns"}, bind(&api::delete_fault), "heal a host"});
  routes_.add({"POST", "/api/v1/send", {}, bind(&api::post_send), "send a message now"});
  routes_.add({"POST", "/api/v1/expect", {}, bind(&api::post_expect), "check expectations now"});
}

response api::handle(const request& r) {
  response out;
  try {
    out = dispatch(r);
  } catch (const std::exception& e) {
    out = problem_response({500, std::string("internal error: ") + e.what()});
  }
  if (r.method == "HEAD") {
    out.follow.reset();  // the head of the stream, no stream
  }
  add_common_fields(out);
  return out;
}

response api::dispatch(const request& r) {
  auto where = parse_target(r.target);
  if (!where) return problem_response(where.error());
  auto authority = !where.value().authority.empty() ? std::optional<std::string_view>(where.value().authority) : r.field("Host");
  if (authority && !is_loopback_authority(message::trim(*authority)))
    return problem_response({421, "this server answers only for loopback addresses and localhost"});
  if (!known_method(r.method)) return problem_response({501, "method " + r.method + " is not implemented"});
  auto m = routes_.find(r.method, where.value().segments);
  if (m.what == router::match::kind::no_path) return problem_response(not_found("no such resource: " + where.value().path));
  if (r.method == "OPTIONS") {
    response opts;
    opts.status = 204;
    opts.set("Allow", m.allow);
    return opts;
  }
  if (m.what == router::match::kind::no_method) {
    response refused = problem_response({405, r.method + " is not allowed here; allowed: " + m.allow});
    refused.set("Allow", m.allow);
    return refused;
  }
  for (const auto& q : where.value().query)
    if (std::find(m.hit->query.begin(), m.hit->query.end(), q.name) == m.hit->query.end())
      return problem_response(bad_request("unknown query parameter '" + q.name + "'"));
  if (is_unsafe(r.method) && !origin_allowed(r.field("Origin")))
    return problem_response({403, "requests that change the world must come from this server's own pages or no page"});
  call c{r, where.value(), std::move(m.params)};
  return m.hit->run(c);
}

response api::get_ui(const call& c) {
  auto type = choose_type(c, {html_type});
  if (!type) return problem_response(type.error());
  response r = text_response(200, std::string(assets::ui_page()), html_type);
  r.set("Content-Security-Policy", assets::ui_policy());
  return r;
}

response api::get_openapi(const call& c) {
  auto type = choose_type(c, {json_type});
  if (!type) return problem_response(type.error());
  return text_response(200, std::string(assets::openapi_document()), json_type);
}

result<std::string> choose_type(const call& c, std::initializer_list<std::string_view> offers) {
  auto chosen = negotiate(c.req.field("Accept"), std::span<const std::string_view>(offers.begin(), offers.size()));
  if (!chosen) {
    std::string list;
    for (auto o : offers) list += (list.empty() ? "" : ", ") + std::string(o);
    return problem{406, "this resource is available as " + list};
  }
  return std::string(*chosen);
}

result<bool> flag_param(const call& c, std::string_view name) {
  const auto* p = c.query(name);
  if (!p) return false;
  auto v = message::to_lower(p->value);
  if (!p->has_value || v.empty() || v == "1" || v == "true" || v == "yes") return true;
  if (v == "0" || v == "false" || v == "no") return false;
  return bad_request(fmt::format("?{} takes no value, or 1/true/yes, or 0/false/no", name));
}

result<std::uint64_t> number_param(const call& c, std::string_view name, std::uint64_t fallback, std::uint64_t max) {
  const auto* p = c.query(name);
  if (!p) return fallback;
  const auto& v = p->value;
  if (v.empty() || v.size() > 19 || v.find_first_not_of("0123456789") != std::string::npos)
    return bad_request(fmt::format("?{} takes a non-negative integer", name));
  auto n = std::stoull(v);
  if (n > max) return bad_request(fmt::format("?{} is at most {}", name, max));
  return n;
}

result<json> json_body(const call& c) {
  auto type = c.req.field("Content-Type");
  auto bare = type ? message::to_lower(message::trim(type->substr(0, type->find(';')))) : std::string();
  if (bare != "application/json") return problem{415, "the body must be JSON, sent with Content-Type: application/json"};
  if (message::trim(c.req.body).empty()) return bad_request("the body is empty; it must be JSON");
  try {
    return json::parse(c.req.body);
  } catch (const json::parse_error& e) {
    return bad_request(std::string("the body is not JSON: ") + e.what());
  }
}

}  // namespace sim::http
