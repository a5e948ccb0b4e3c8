// sim/http/api_change.cpp - the endpoints that change the world: faults, heal, send, expect, delete.
#include "sim/http/api.hpp"

namespace sim::http {

response api::post_fault(const call& c) {
  auto type = choose_type(c, {json_type});
  if (!type) return problem_response(type.error());
  auto body = json_body(c);
  if (!body) return problem_response(body.error());
  if (!body.value().is_object()) return problem_response(bad_request("a fault is a JSON object, as in a timeline entry"));
  if (auto refused = world_.apply_fault(body.value())) return problem_response(*refused);
  return json_response(200, {{"applied", body.value()}});
}

// DELETE /api/v1/faults/{host}: the timeline's {"heal": {"host": ...}};
// with ?dns, {"heal": {"dns": ...}} for the DNS faults on that name.
response api::delete_fault(const call& c) {
  auto type = choose_type(c, {json_type});
  if (!type) return problem_response(type.error());
  auto dns = flag_param(c, "dns");
  if (!dns) return problem_response(dns.error());
  json heal = {{dns.value() ? "dns" : "host", c.param("host")}};
  if (auto refused = world_.heal(heal)) return problem_response(*refused);
  return json_response(200, {{"healed", heal}});
}

// 202: the message is composed and handed to the world's MUA now; it is
// delivered later, in the world's own time.
response api::post_send(const call& c) {
  auto type = choose_type(c, {json_type});
  if (!type) return problem_response(type.error());
  auto body = json_body(c);
  if (!body) return problem_response(body.error());
  if (!body.value().is_object()) return problem_response(bad_request("a send is a JSON object, as in a timeline entry"));
  auto sent = world_.send(body.value());
  if (!sent) return problem_response(sent.error());
  return json_response(202, {{"id", sent.value().id}, {"message_id", sent.value().message_id}});
}

// The body is an array of expectation objects (one object alone is taken
// as an array of one).  JSON by default; text/plain gives the lines as
// `mailsim run` prints them, then its summary line.
response api::post_expect(const call& c) {
  auto type = choose_type(c, {json_type, text_type});
  if (!type) return problem_response(type.error());
  auto body = json_body(c);
  if (!body) return problem_response(body.error());
  json list = body.value().is_object() ? json::array({body.value()}) : body.value();
  if (!list.is_array()) return problem_response(bad_request("expectations are a JSON array of objects, as a scenario's expect"));
  auto checked = world_.check(list);
  if (!checked) return problem_response(checked.error());
  std::size_t passed = 0, failed = 0;
  json results = json::array();
  std::string text;
  for (const auto& l : checked.value()) {
    ++(l.passed ? passed : failed);
    results.push_back({{"passed", l.passed}, {"line", l.line}});
    text += l.line + "\n";
  }
  std::string summary = std::to_string(passed) + " passed, " + std::to_string(failed) + " failed";
  if (type.value() == text_type) return text_response(200, text + summary + "\n");
  return json_response(200, {{"passed", passed}, {"failed", failed}, {"summary", summary}, {"results", results}});
}

response api::delete_messages(const call& c) {
  auto type = choose_type(c, {json_type});
  if (!type) return problem_response(type.error());
  return json_response(200, {{"deleted", world_.delete_messages()}});
}

}  // namespace sim::http
