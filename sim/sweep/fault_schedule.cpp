// sim/sweep/fault_schedule.cpp - drawing a bounded fault schedule from a seed.
#include "sim/sweep/fault_schedule.hpp"

#include <algorithm>
#include <set>

#include "sim/core/random.hpp"

namespace sim::sweep {

std::string_view density_name(fault_density d) {
  switch (d) {
    case fault_density::none: return "none";
    case fault_density::random: return "random";
    case fault_density::heavy: return "heavy";
  }
  return "none";
}

std::optional<fault_density> parse_density(std::string_view text) {
  for (auto d : {fault_density::none, fault_density::random, fault_density::heavy})
    if (text == density_name(d)) return d;
  return std::nullopt;
}

namespace {

using scenario::json;
using namespace std::chrono_literals;

// What a schedule may touch, read once from the scenario.
struct targets {
  std::vector<std::string> mtas;                                   // hosts that run an SMTP server
  std::vector<std::pair<std::string, std::string>> mailboxes;      // (host, address)
  std::vector<std::string> names;                                  // mail domains and MTA host names (DNS faults)
  std::vector<std::pair<std::string, std::pair<sim::duration, sim::duration>>> busy;  // the scenario's own crashes
  sim::duration window{};                                          // faults start in [0, window]
};

targets read_targets(const scenario::scenario& s) {
  targets t;
  std::set<std::string> names;
  for (const auto& h : s.hosts) {
    if (!h.is_mta()) continue;
    t.mtas.push_back(h.name);
    names.insert(h.name);
    for (const auto& d : h.local_domains) names.insert(d);
    for (const auto& m : h.mailboxes) t.mailboxes.emplace_back(h.name, m.address);
  }
  t.names.assign(names.begin(), names.end());
  sim::duration last_send{};
  std::map<std::string, sim::duration> crashed;
  for (const auto& e : s.timeline) {
    auto at = e.at.time_since_epoch();
    if (std::holds_alternative<scenario::send_action>(e.what)) last_send = std::max(last_send, at);
    if (auto* c = std::get_if<scenario::crash_action>(&e.what)) crashed[c->host] = at;
    if (auto* r = std::get_if<scenario::restart_action>(&e.what)) {
      t.busy.push_back({r->host, {crashed[r->host], at}});
      crashed.erase(r->host);
    }
  }
  for (const auto& [host, at] : crashed) t.busy.push_back({host, {at, scenario::scenario::max_run}});
  t.window = std::max<sim::duration>(1h, last_send + 1h);
  return t;
}

template <typename T>
const T& pick(random_stream& r, const std::vector<T>& from) {
  return from[r.below(from.size())];
}

sim::duration between(random_stream& r, sim::duration lo, sim::duration hi) {
  return sim::duration{r.between(lo.count(), hi.count())};
}

// The four phases where a reply can be replaced with a temporary failure.
const std::vector<std::string> reply_phases{"mail", "rcpt", "data", "dot"};
const std::vector<std::string> all_phases{"connect", "ehlo", "mail", "rcpt", "data", "dot", "quit"};
// A reset may also come after the reply to the final dot ("accepted": the
// server has the message, the client never hears so and sends it again).
const std::vector<std::string> reset_phases{"connect", "ehlo", "mail", "rcpt", "data", "dot", "accepted", "quit"};

struct reply_choice {
  int code;
  const char* enhanced;
  const char* text;
};
// RFC 5321 section 4.2.2 replies and RFC 3463 codes a loaded server really sends.
const std::vector<reply_choice> temporary_replies{{421, "4.3.2", "Service shutting down"},
                                                  {450, "4.2.1", "Mailbox busy"},
                                                  {451, "4.3.0", "Local error in processing"},
                                                  {452, "4.3.1", "Insufficient system storage"}};
const std::vector<reply_choice> permanent_replies{{550, "5.1.1", "No such user"},
                                                  {554, "5.7.1", "Rejected by policy"}};

json host_fault(std::string_view host, std::string_view kind) { return json{{"host", host}, {"kind", kind}}; }

json reply_fault(random_stream& r, const std::string& host, bool permanent) {
  const auto& c = permanent ? pick(r, permanent_replies) : pick(r, temporary_replies);
  json f = host_fault(host, "reply");
  f["phase"] = permanent ? pick(r, std::vector<std::string>{"mail", "rcpt", "dot"}) : pick(r, reply_phases);
  f["code"] = c.code;
  f["enhanced"] = c.enhanced;
  f["text"] = c.text;
  if (permanent || r.below(2) == 0) f["times"] = 1 + r.below(3);
  return f;
}

// One fault on a host, its kind drawn by weight (sim/sweep/README.md).
json draw_host_fault(random_stream& r, const targets& t) {
  const std::string& host = pick(r, t.mtas);
  auto roll = r.below(76);
  if (roll < 12) return host_fault(host, "refuse");
  if (roll < 22) return host_fault(host, "timeout");
  if (roll < 36) {
    json f = host_fault(host, "reset");
    f["phase"] = pick(r, reset_phases);
    return f;
  }
  if (roll < 50) return reply_fault(r, host, false);
  if (roll < 56) return reply_fault(r, host, true);
  if (roll < 66 || t.mailboxes.empty()) {
    json f = host_fault(host, "slow");
    f["delay"] = format_duration(between(r, 1s, 15min));
    if (r.below(2) == 0) f["phase"] = pick(r, all_phases);
    return f;
  }
  const auto& [box_host, address] = pick(r, t.mailboxes);
  json f = host_fault(box_host, "mailbox_full");
  f["mailbox"] = address;
  return f;
}

json draw_dns_fault(random_stream& r, const targets& t) {
  json f{{"dns", pick(r, t.names)}};
  auto type = r.below(3);
  if (type == 0) f["type"] = "MX";
  if (type == 1) f["type"] = "A";
  f["rcode"] = r.below(2) == 0 ? "SERVFAIL" : "timeout";
  return f;
}

bool overlaps(const fault_schedule& made, const targets& t, const std::string& host, sim::duration a, sim::duration b) {
  for (const auto& [h, span] : t.busy)
    if (h == host && a <= span.second && span.first <= b) return true;
  for (const auto& u : made)
    if (u.begin.contains("crash") && u.begin["crash"] == host && a <= u.stop && u.start <= b) return true;
  return false;
}

json entry(sim::duration at, std::string_view key, json value) {
  return json{{"at", format_duration(at)}, {std::string(key), std::move(value)}};
}

// A crash and its restart; none when it would overlap another crash of that host.
std::optional<fault_unit> draw_crash(random_stream& r, const targets& t, const fault_schedule& made,
                                     sim::duration start, sim::duration length) {
  const std::string& host = pick(r, t.mtas);
  sim::duration stop = start + std::min<sim::duration>(length, 1h);
  if (overlaps(made, t, host, start, stop)) return std::nullopt;
  return fault_unit{entry(start, "crash", host), entry(stop, "restart", host), start, stop};
}

fault_unit draw_unit(random_stream& r, const targets& t, const fault_schedule& made, bool heavy) {
  for (;;) {
    sim::duration start = between(r, 0ms, t.window);
    sim::duration length = heavy ? between(r, 5min, 6h) : between(r, 1min, 2h);
    auto roll = r.below(100);
    if (roll < 12) {
      if (auto u = draw_crash(r, t, made, start, length)) return *u;
      continue;
    }
    if (roll < 28) {
      json f = draw_dns_fault(r, t);
      json heal{{"dns", f["dns"]}};
      return fault_unit{entry(start, "fault", f), entry(start + length, "heal", heal), start, start + length};
    }
    json f = draw_host_fault(r, t);
    json heal{{"host", f["host"]}};
    return fault_unit{entry(start, "fault", f), entry(start + length, "heal", heal), start, start + length};
  }
}

}  // namespace

fault_schedule draw_schedule(const scenario::scenario& s, std::uint64_t seed, fault_density density) {
  fault_schedule out;
  if (density == fault_density::none) return out;
  targets t = read_targets(s);
  if (t.mtas.empty()) return out;
  random_stream r = random_source(seed).stream("sweep/faults");
  bool heavy = density == fault_density::heavy;
  auto count = heavy ? 4 + r.below(9) : 1 + r.below(4);
  for (std::uint64_t i = 0; i < count; ++i) out.push_back(draw_unit(r, t, out, heavy));
  return out;
}

json schedule_timeline(const fault_schedule& f) {
  struct item {
    sim::duration at;
    int order;
    std::size_t index;
    const json* value;
  };
  std::vector<item> items;
  for (std::size_t i = 0; i < f.size(); ++i) {
    items.push_back({f[i].start, 0, i, &f[i].begin});
    items.push_back({f[i].stop, 1, i, &f[i].end});
  }
  std::stable_sort(items.begin(), items.end(), [](const item& a, const item& b) { return a.at < b.at; });
  json out = json::array();
  for (const auto& i : items) out.push_back(*i.value);
  return out;
}

}  // namespace sim::sweep
