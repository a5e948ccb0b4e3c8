// sim/http/views.cpp - JSON for hosts, mailboxes and queue entries.
#include "sim/http/views.hpp"

#include <algorithm>

namespace sim::http {

namespace {

void put_time(json& out, const char* name, const std::optional<sim::time_point>& t, sim::wall_time start) {
  out[name] = t ? json(format_rfc3339(start + t->time_since_epoch())) : json(nullptr);
  out[std::string(name) + "_t"] = t ? json(millis(*t)) : json(nullptr);
}

}  // namespace

json host_json(const host_info& h) {
  json services = json::array();
  for (const auto& s : h.services)
    services.push_back({{"name", s.name}, {"port", s.port}, {"listen", s.listen.empty() ? json(nullptr) : json(s.listen)}});
  json faults = json::array();
  for (const auto& f : h.faults) faults.push_back(f);
  return {{"name", h.name}, {"ip", h.ip}, {"roles", h.roles}, {"services", services}, {"up", h.up}, {"faults", faults}};
}

json mailbox_json(const mailbox_info& m) {
  std::size_t messages = 0;
  std::uint64_t bytes = 0;
  json folders = json::array();
  for (const auto& f : m.folders) {
    messages += f.messages;
    bytes += f.bytes;
    folders.push_back({{"name", f.name}, {"messages", f.messages}, {"bytes", f.bytes}});
  }
  return {{"address", m.address}, {"host", m.host}, {"messages", messages}, {"bytes", bytes}, {"folders", folders}};
}

json queue_json(const queued_message& q, sim::wall_time start) {
  json out = {{"queue_id", q.queue_id}, {"sender", q.sender}, {"size", q.size}};
  put_time(out, "arrival", q.arrival, start);
  int attempts = 0;
  std::optional<sim::time_point> next;
  json recipients = json::array();
  for (const auto& r : q.recipients) {
    attempts = std::max(attempts, r.attempts);
    if (r.next_attempt && (!next || *r.next_attempt < *next)) next = r.next_attempt;
    json one = {{"address", r.address}, {"state", r.state}, {"attempts", r.attempts}, {"last_reply", r.last_reply}};
    put_time(one, "next_attempt", r.next_attempt, start);
    recipients.push_back(std::move(one));
  }
  out["attempts"] = attempts;
  put_time(out, "next_attempt", next, start);
  out["recipients"] = std::move(recipients);
  return out;
}

}  // namespace sim::http
