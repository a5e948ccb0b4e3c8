// sim/http/api.hpp - the REST API and the web UI over a world_api (sans-I/O).
//
// handle() turns one request into one response; it never does I/O and
// never throws for bad input.  The server calls it on the world's thread.
// A response that streams the trace (Server-Sent Events) carries a
// `follow` marker; the server then feeds events with trace_feed.
//
// The endpoints (the OpenAPI document sim/http/openapi.json lists the same
// routes; a test keeps the two equal):
//   GET    /                                  the web UI
//   GET    /api/v1/openapi.json               this API as OpenAPI 3
//   GET    /api/v1/hosts                      hosts: ip, roles, services, faults
//   GET    /api/v1/mailboxes                  every mailbox with its message counts
//   GET    /api/v1/mailboxes/{address}/messages   the messages of one address
//   GET    /api/v1/messages/{id}              one message (?raw: the message as filed)
//   DELETE /api/v1/messages                   delete every message
//   GET    /api/v1/queue/{host}               a host's MTA queue
//   GET    /api/v1/trace                      JSON Lines (?since, ?limit); ?follow: Server-Sent Events
//   POST   /api/v1/faults                     apply a timeline fault object now
//   DELETE /api/v1/faults/{host}              heal a host (?dns: a DNS name)
//   POST   /api/v1/send                       a timeline send object, submitted now
//   POST   /api/v1/expect                     check expectations now (JSON, or text/plain lines)
//
// Around every route: the target is parsed (400), the Host must name a
// loopback address or localhost (421: DNS rebinding), the method must be
// known (501), the path must exist (404) for this method (405 with Allow),
// query parameters must be the route's (400), a request that changes
// something must not come from another origin (403) and must carry JSON
// (415).  OPTIONS answers 204 with Allow; HEAD is GET without the body.
#pragma once

#include "sim/http/limits.hpp"
#include "sim/http/request.hpp"
#include "sim/http/response.hpp"
#include "sim/http/router.hpp"
#include "sim/http/world_api.hpp"

namespace sim::http {

// Lines of JSON Lines trace in one response at most; page with ?since.
inline constexpr std::size_t max_trace_page = 100000;

class api {
 public:
  explicit api(world_api& world);

  response handle(const request& r);

  const router& routes() const { return routes_; }
  world_api& world() { return world_; }

 private:
  response dispatch(const request& r);
  void add_routes();

  // api.cpp
  response get_ui(const call& c);
  response get_openapi(const call& c);
  // api_read.cpp
  response get_hosts(const call& c);
  response get_mailboxes(const call& c);
  response get_messages(const call& c);
  response get_message(const call& c);
  response get_queue(const call& c);
  response get_trace(const call& c);
  // api_change.cpp
  response post_fault(const call& c);
  response delete_fault(const call& c);
  response post_send(const call& c);
  response post_expect(const call& c);
  response delete_messages(const call& c);

  world_api& world_;
  router routes_;
};

// Helpers the handlers share (api.cpp).
// The media type to answer with, or a 406 problem.
result<std::string> choose_type(const call& c, std::initializer_list<std::string_view> offers);
// ?raw, ?raw=1/true/yes, ?raw=0/false/no; 400 otherwise.
result<bool> flag_param(const call& c, std::string_view name);
// A non-negative integer parameter (absent: `fallback`), at most `max`.
result<std::uint64_t> number_param(const call& c, std::string_view name, std::uint64_t fallback, std::uint64_t max);
// The body as JSON: 415 unless Content-Type is application/json, 400 when it does not parse.
result<json> json_body(const call& c);

// A refusal by the server before the api saw the request (a limit, a
// timeout, a malformed head): the problem document with the fields every
// response has, and Connection: close.
response refusal(const problem& p);

// Host names this server answers for: loopback addresses and localhost
// (RFC 6761 section 6.3), with any port.
bool is_loopback_authority(std::string_view authority);

}  // namespace sim::http
