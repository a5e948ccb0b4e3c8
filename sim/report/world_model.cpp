// sim/report/world_model.cpp - routes, faults and totals from the trace.
#include "sim/report/world_model.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "sim/report/event_fields.hpp"

namespace sim::report {
namespace {

route_kind kind_for_port(std::int64_t port) {
  return port == 587 ? route_kind::submission : port == 25 ? route_kind::smtp
       : port == 110 || port == 143 ? route_kind::pop3 : route_kind::other;
}

std::string times_words(const json_event& e) {
  std::int64_t times = field_int(e, "times", 0);
  return times > 0 ? fmt::format(" ({} time{})", times, times == 1 ? "" : "s") : "";
}

}  // namespace

std::string fault_words(const json_event& e) {
  std::string kind = field_text(e, "kind"), phase = field_text(e, "phase"), port = field_text(e, "port");
  std::string on_port = port.empty() ? "" : " on port " + port;
  if (!field_text(e, "dns").empty()) {
    std::string type = field_text(e, "type");
    return fmt::format("{}{} answers {}", field_text(e, "dns"), type.empty() ? "" : " " + type, field_text(e, "rcode"));
  }
  if (kind == "refuse") return "refuses connections" + on_port;
  if (kind == "timeout") return "drops connections (no answer)" + on_port;
  if (kind == "reset" && phase == "accepted") return "resets the connection after accepting a message";
  if (kind == "reset") return "resets the connection at " + (phase.empty() ? std::string("random") : phase);
  if (kind == "reply") {
    std::string match = field_text(e, "match");
    return fmt::format("answers {}{} at {}{}{}", field_text(e, "code"),
                       field_text(e, "enhanced").empty() ? "" : " " + field_text(e, "enhanced"), phase,
                       match.empty() ? "" : " for " + match, times_words(e));
  }
  if (kind == "slow") return "replies slowly (" + field_text(e, "delay") + (phase.empty() ? "" : " at " + phase) + ")";
  if (kind == "mailbox_full") return "mailbox " + field_text(e, "mailbox") + " is full";
  std::string out;
  for (auto it = e.begin(); it != e.end(); ++it) {
    const std::string& k = it.key();
    if (k == "seq" || k == "t" || k == "host" || k == "agent" || k == "event") continue;
    out += (out.empty() ? "" : " ") + k + "=" + (it->is_string() ? it->get<std::string>() : it->dump());
  }
  return out;
}

void world_model::note_host(const std::string& h) {
  if (h.empty() || h == "sim" || h == "dns" || hosts_.size() >= max_hosts) return;
  if (hosts_.emplace(h, true).second) hosts_order_.push_back(h);
}

route* world_model::route_for(const json_event& e) {
  std::string from = field_text(e, "host"), to = field_text(e, "peer");
  std::int64_t port = field_int(e, "port");
  auto key = std::make_tuple(from, to, port);
  auto it = routes_.find(key);
  if (it != routes_.end()) return &it->second;
  if (routes_.size() >= max_edges || to.empty()) return nullptr;
  route r;
  r.from = from;
  r.to = to;
  r.port = port;
  r.kind = kind_for_port(port);
  r.first = field_int(e, "t");
  return &routes_.emplace(key, r).first->second;
}

void world_model::session_event(const json_event& e, const std::string& name) {
  std::string id = field_text(e, "session");
  if (name == "net.connect") {
    ++totals_.sessions;
    route* r = route_for(e);
    if (!r) return;
    ++r->sessions;
    sessions_[id] = {std::make_tuple(r->from, r->to, r->port)};
    return;
  }
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return;
  session_state& s = it->second;
  if (name == "smtp.data") s.data = true;
  if (name == "smtp.reply") {
    std::int64_t code = field_int(e, "code");
    if (code >= 400) s.worst = std::max(s.worst, code);
    if (s.data && !s.taken && code >= 200 && code < 300 && field_text(e, "phase") == "dot") s.taken = true;
    if (s.data && field_text(e, "phase") == "dot") s.data = false;
  }
  if (name == "net.reset") s.worst = std::max<std::int64_t>(s.worst, 421);
  if (name == "net.close" || name == "net.reset") {
    auto r = routes_.find(s.key);
    if (r != routes_.end()) {
      if (s.taken) ++r->second.messages;
      else if (s.worst >= 500) ++r->second.rejected;
      else if (s.worst >= 400) ++r->second.deferred;
    }
    sessions_.erase(it);
  }
}

void world_model::fault_event(const json_event& e, const std::string& name) {
  std::string host = field_text(e, "host");
  bool dns = host == "dns";
  std::string target = dns ? field_text(e, "dns") : host;
  std::int64_t t = field_int(e, "t");
  bool on = name == "fault.on" || name == "host.crash";
  if (on) {
    if (faults_.size() >= max_faults) {
      ++faults_dropped_;
      return;
    }
    faults_.push_back({target, dns, name == "host.crash" ? "crashed" : fault_words(e), t, -1});
    return;
  }
  // fault.off for a host ends all of its faults; for DNS, those of that name.
  bool restart = name == "host.restart";
  for (auto& f : faults_) {
    if (f.off >= 0 || f.dns != dns || f.target != target) continue;
    if (restart != (f.words == "crashed")) continue;
    f.off = t;
  }
}

void world_model::add(const json_event& e) {
  ++totals_.events;
  std::string name = field_text(e, "event");
  std::int64_t t = field_int(e, "t");
  totals_.end = std::max(totals_.end, t);
  note_host(field_text(e, "host"));
  note_host(field_text(e, "peer"));
  if (name == "net.connect.refused" || name == "net.connect.timeout") {
    if (route* r = route_for(e)) ++(name == "net.connect.refused" ? r->refused : r->timeouts);
  } else if (name.starts_with("net.") || name == "smtp.reply" || name == "smtp.data") {
    session_event(e, name);
  } else if (name.starts_with("fault.") || name == "host.crash" || name == "host.restart") {
    fault_event(e, name);
  } else if (name == "mua.compose") {
    ++totals_.composed;
    if (totals_.first_compose < 0) totals_.first_compose = t;
  } else if (name == "mua.reject") {
    ++totals_.submitted_refused;
  } else if (name == "queue.enqueue") {
    ++totals_.queued;
  } else if (name == "queue.attempt") {
    ++totals_.attempts;
  } else if (name == "queue.delivered") {
    std::string host = field_text(e, "host"), peer = field_text(e, "peer");
    auto it = routes_.lower_bound(std::make_tuple(host, peer, std::numeric_limits<std::int64_t>::min()));
    if (it != routes_.end() && std::get<0>(it->first) == host && std::get<1>(it->first) == peer) ++it->second.recipients;
  } else if (name == "queue.defer") {
    ++totals_.deferrals;
  } else if (name == "queue.bounce") {
    ++totals_.bounced_rcpts;
  } else if (name == "queue.warn") {
    ++totals_.warnings;
  } else if (name == "bounce.create") {
    ++totals_.dsns;
  } else if (name == "lda.deliver") {
    ++totals_.filed;
    totals_.last_filed = t;
  } else if (name == "lda.reject") {
    ++totals_.lda_refusals;
  } else if (name == "mua.fetch") {
    ++totals_.fetches;
    totals_.fetched += static_cast<std::size_t>(std::max<std::int64_t>(0, field_int(e, "count")));
  } else if (name == "dns.query") {
    ++totals_.dns_queries;
  } else if (name == "dns.answer") {
    std::string rcode = field_text(e, "rcode");
    if (!rcode.empty() && rcode != "NOERROR") ++totals_.dns_failures;
  }
}

std::vector<route> world_model::routes() const {
  std::vector<route> out;
  for (const auto& [key, r] : routes_) out.push_back(r);
  std::stable_sort(out.begin(), out.end(), [](const route& a, const route& b) { return a.first < b.first; });
  return out;
}

}  // namespace sim::report
