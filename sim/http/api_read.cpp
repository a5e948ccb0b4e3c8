// sim/http/api_read.cpp - the endpoints that only read: hosts, mailboxes, messages, queues, trace.
#include <fmt/format.h>

#include "sim/http/api.hpp"
#include "sim/http/message_view.hpp"
#include "sim/http/views.hpp"

namespace sim::http {

response api::get_hosts(const call& c) {
  auto type = choose_type(c, {json_type});
  if (!type) return problem_response(type.error());
  json out = json::array();
  for (const auto& h : world_.hosts()) out.push_back(host_json(h));
  return json_response(200, out);
}

response api::get_mailboxes(const call& c) {
  auto type = choose_type(c, {json_type});
  if (!type) return problem_response(type.error());
  json out = json::array();
  for (const auto& m : world_.mailboxes()) out.push_back(mailbox_json(m));
  return json_response(200, out);
}

response api::get_messages(const call& c) {
  auto type = choose_type(c, {json_type});
  if (!type) return problem_response(type.error());
  auto found = world_.messages(c.param("address"));
  if (!found) return problem_response(found.error());
  auto start = world_.start();
  json out = json::array();
  for (const auto& m : found.value()) out.push_back(summary_json(m, start));
  return json_response(200, out);
}

// ?raw (or Accept preferring message/rfc822): the message exactly as filed.
response api::get_message(const call& c) {
  auto raw = flag_param(c, "raw");
  if (!raw) return problem_response(raw.error());
  auto type = raw.value() ? result<std::string>(std::string(rfc822_type)) : choose_type(c, {json_type, rfc822_type});
  if (!type) return problem_response(type.error());
  auto found = world_.message(c.param("id"));
  if (!found) return problem_response(found.error());
  const auto& m = found.value();
  if (type.value() == rfc822_type) return text_response(200, std::string(m.raw), rfc822_type);
  return json_response(200, detail_json(m, world_.start()));
}

response api::get_queue(const call& c) {
  auto type = choose_type(c, {json_type});
  if (!type) return problem_response(type.error());
  auto found = world_.queue(c.param("host"));
  if (!found) return problem_response(found.error());
  auto start = world_.start();
  json out = json::array();
  for (const auto& q : found.value()) out.push_back(queue_json(q, start));
  return json_response(200, out);
}

// JSON Lines from ?since (at most ?limit lines), or with ?follow (or
// Accept: text/event-stream) Server-Sent Events that go on as the world
// runs.  A reconnecting EventSource sends Last-Event-ID: it resumes after it.
response api::get_trace(const call& c) {
  auto since = number_param(c, "since", 0, UINT64_MAX / 2);
  if (!since) return problem_response(since.error());
  auto follow = flag_param(c, "follow");
  if (!follow) return problem_response(follow.error());
  const auto* limit_param = c.query("limit");
  auto limit = number_param(c, "limit", max_trace_page, follow.value() ? UINT64_MAX / 2 : max_trace_page);
  if (!limit) return problem_response(limit.error());
  auto type = follow.value() ? result<std::string>(std::string(sse_type)) : choose_type(c, {jsonl_type, sse_type});
  if (!type) return problem_response(type.error());
  std::uint64_t from = since.value();
  if (type.value() == sse_type) {
    if (auto last = c.req.field("Last-Event-ID")) {
      auto text = std::string(*last);
      if (!text.empty() && text.size() < 19 && text.find_first_not_of("0123456789") == std::string::npos)
        from = std::max<std::uint64_t>(from, std::stoull(text) + 1);
    }
    response r;
    r.set("Content-Type", sse_type);
    r.follow = trace_follow{from, limit_param ? std::optional<std::uint64_t>(limit.value()) : std::nullopt};
    return r;
  }
  auto page = world_.trace(from, static_cast<std::size_t>(limit.value()));
  std::string body;
  for (const auto& e : page.events) {
    body += e.line;
    body += '\n';
  }
  response r = text_response(200, std::move(body), jsonl_type);
  r.set("Mailsim-Next-Seq", std::to_string(page.next));
  return r;
}

}  // namespace sim::http
