// sim/scenario/loader_expect.cpp - the `expect` array, and the references
// to hosts, mailboxes and messages that the timeline shares.
#include <algorithm>

#include <fmt/format.h>

#include "sim/campaign/stats_view.hpp"
#include "sim/policy/regex.hpp"
#include "sim/scenario/loader_parts.hpp"

namespace sim::scenario::detail {
namespace {

const std::vector<std::string_view> expect_keys{"delivered", "not_delivered", "bounced",     "delay_warned",
                                                 "success_reported", "no_bounce", "deferred", "rejected",
                                                 "fetched",   "trace",         "sequence",    "queue_empty", "stats"};

double read_number(const node& n) {
  if (!n.value().is_number()) n.fail(fmt::format("expected a number, got {}", json_type_name(n.value())));
  return n.value().get<double>();
}

// {"campaign"?, "domain"?, "metric", "min"? / "max"? / "equals"?}
expect_stats read_stats(const node& n, const scenario& s) {
  auto r = n.as_object({"campaign", "domain", "metric", "min", "max", "equals"});
  expect_stats e;
  auto campaigns = s.campaigns();
  if (campaigns.empty()) n.fail("the timeline has no campaign to measure");
  if (auto v = r.find("campaign")) {
    e.campaign = v->as_string();
    if (std::none_of(campaigns.begin(), campaigns.end(), [&](const campaign_action* c) { return c->id == *e.campaign; }))
      v->fail(fmt::format("no campaign has the id {}", quote(*e.campaign)));
  } else if (campaigns.size() > 1) {
    n.fail("the timeline has several campaigns: say which with \"campaign\"");
  }
  if (auto v = r.find("domain")) e.domain = v->as_domain();
  auto metric = r.at("metric");
  e.metric = metric.as_string();
  const auto& names = campaign::metric_names();
  if (std::find(names.begin(), names.end(), e.metric) == names.end()) {
    std::string hint = closest_key(e.metric, names);
    metric.fail(fmt::format("{} is not a campaign metric{}", quote(e.metric),
                            hint.empty() ? " (see the README's list)" : fmt::format(" (did you mean {}?)", quote(hint))));
  }
  if (auto v = r.find("min")) e.min = read_number(*v);
  if (auto v = r.find("max")) e.max = read_number(*v);
  if (auto v = r.find("equals")) e.equals = read_number(*v);
  if (!e.min && !e.max && !e.equals) n.fail("expected \"min\", \"max\" or \"equals\"");
  if (e.equals && (e.min || e.max)) r.at("equals").fail("\"equals\" cannot be combined with \"min\" or \"max\"");
  if (e.min && e.max && *e.min > *e.max) r.at("min").fail("min is larger than max");
  return e;
}

std::string message_ref(const node& n, const scenario& s) {
  auto id = n.as_string();
  for (const auto& e : s.timeline)
    if (auto* send = std::get_if<send_action>(&e.what); send && send->id == id) return id;
  n.fail(fmt::format("no message has the id {} (give its send an \"id\")", quote(id)));
}

// "5.1.1", or a prefix ending in '.': "5." (a class), "5.1." (a subject).
std::string read_status(const node& n) {
  auto text = n.as_string();
  bool ok = text.size() >= 2 && (text[0] == '2' || text[0] == '4' || text[0] == '5') && text[1] == '.';
  int dots = 0, digits = 0;
  for (std::size_t i = 1; ok && i < text.size(); ++i) {
    if (text[i] == '.') {
      ok = i == 1 || digits > 0;
      ++dots;
      digits = 0;
    } else {
      ok = text[i] >= '0' && text[i] <= '9' && ++digits <= 3;
    }
  }
  ok = ok && dots <= 2 && (text.back() == '.' || dots == 2);
  if (!ok) n.fail(fmt::format("{} is not a status (\"5.1.1\", or a prefix such as \"5.\" or \"5.1.\")", quote(text)));
  return text;
}

json read_pattern(const node& n, const std::vector<std::string_view>& skip = {}) {
  if (!n.value().is_object()) n.fail(fmt::format("expected an event pattern (an object), got {}", json_type_name(n.value())));
  json pattern = json::object();
  for (const auto& [key, value] : n.value().items())
    if (std::find(skip.begin(), skip.end(), key) == skip.end()) pattern[key] = value;
  if (pattern.empty()) n.fail("an event pattern needs at least one field, such as \"event\"");
  if (pattern.contains("event") && !pattern["event"].is_string())
    node(n.file(), n.value()["event"], n.pointer() + "/event").fail("expected an event name (a string)");
  return pattern;
}

// `folder`, `score` and `rules` of a delivered expectation: what the
// content filter decided for that copy.
void read_spam_expectation(const object_reader& r, expect_delivered& e) {
  if (auto v = r.find("folder")) {
    e.folder = v->as_string();
    if (e.folder != "INBOX" && e.folder != "Junk") v->fail(fmt::format("{} is not a folder (\"INBOX\" or \"Junk\")", quote(*e.folder)));
  }
  if (auto v = r.find("score")) {
    if (!v->value().is_number()) v->fail(fmt::format("expected a number (a score such as 7.3), got {}", json_type_name(v->value())));
    double points = v->value().get<double>();
    if (points < -policy::spam_points_limit || points > policy::spam_points_limit)
      v->fail(fmt::format("{} is out of range (-1000 to 1000)", v->value().dump()));
    e.score = policy::to_tenths(points);
  }
  if (auto v = r.find("rules"))
    for (const auto& item : v->as_array()) {
      e.rules.push_back(item.as_string());
      if (!policy::is_rule_name(e.rules.back())) item.fail(fmt::format("{} is not a rule name", quote(e.rules.back())));
    }
}

// delivered.auth: {"spf"?, "dkim"?, "dmarc"?, "host"?}, results as RFC
// 8601 section 2.7 words.
void read_auth_expectation(const node& n, const scenario& s, expect_delivered& e) {
  auto r = n.as_object({"spf", "dkim", "dmarc", "host"});
  const std::vector<std::pair<std::string, std::vector<std::string_view>>> methods{
      {"spf", {"none", "neutral", "pass", "fail", "softfail", "temperror", "permerror"}},
      {"dkim", {"none", "pass", "fail", "policy", "neutral", "temperror", "permerror"}},
      {"dmarc", {"none", "pass", "fail", "temperror", "permerror"}}};
  for (const auto& [method, words] : methods) {
    auto v = r.find(method);
    if (!v) continue;
    auto word = v->as_string();
    if (std::find(words.begin(), words.end(), word) == words.end()) {
      std::string list;
      for (auto w : words) list += (list.empty() ? "" : ", ") + quote(w);
      v->fail(fmt::format("{} is not a {} result ({})", quote(word), method, list));
    }
    e.auth.emplace_back(method, word);
  }
  if (auto v = r.find("host")) e.auth_host = host_ref(*v, s).name;
  if (e.auth.empty()) n.fail("expected at least one of spf, dkim, dmarc");
}

// A header expectation: true / null (present), a string (the first
// instance's value), or {"equals" | "matches", "count" / "min" / "max"}.
header_check read_header_check(const node& field, const std::string& name) {
  header_check h{name};
  const json& value = field.value();
  if (value.is_null() || value == json(true)) return h;
  if (value.is_string()) {
    h.value = value.get<std::string>();
    return h;
  }
  if (!value.is_object())
    field.fail(fmt::format("expected the field's value (a string), true for \"present\", or an object with "
                           "\"equals\", \"matches\", \"count\", \"min\", \"max\"; got {}",
                           json_type_name(value)));
  auto r = field.as_object({"equals", "matches", "count", "min", "max"});
  if (auto v = r.find("equals")) h.equals = v->as_string();
  if (auto v = r.find("matches")) {
    h.matches = v->as_string();
    policy::regex_error error;
    if (!policy::regex::compile(*h.matches, {}, &error))
      v->fail(fmt::format("not a regular expression: {}", error.to_string()));
  }
  if (h.equals && h.matches) r.at("matches").fail("give \"equals\" or \"matches\", not both");
  h.range = read_bounds(r);
  return h;
}

expect_delivered read_delivered(const node& n, const scenario& s) {
  auto r = n.as_object({"to", "message", "host", "via", "within", "headers", "folder", "score", "rules", "auth"});
  expect_delivered e;
  e.to = mailbox_ref(r.at("to"), s);
  if (auto v = r.find("message")) e.message = message_ref(*v, s);
  if (auto v = r.find("host")) {
    const host& h = host_ref(*v, s);
    if (!h.find_mailbox(e.to)) v->fail(fmt::format("{} has no mailbox {}", h.name, quote(e.to)));
    e.host = h.name;
  }
  if (auto v = r.find("via")) {
    e.via.emplace();
    for (const auto& item : v->as_array()) e.via->push_back(host_ref(item, s).name);
    if (e.via->empty()) v->fail("expected at least one host");
  }
  if (auto v = r.find("within")) e.within = v->as_duration();
  if (auto v = r.find("headers")) {
    if (!v->value().is_object()) v->fail(fmt::format("expected an object (field name -> value), got {}", json_type_name(v->value())));
    for (const auto& [name, value] : v->value().items()) {
      node field(n.file(), value, v->pointer() + "/" + pointer_token(name));
      e.headers.push_back(read_header_check(field, name));
    }
  }
  read_spam_expectation(r, e);
  if (auto v = r.find("auth")) read_auth_expectation(*v, s, e);
  return e;
}

// `recipient`, or its alias `to` (as `delivered` names it); one of them.
std::string recipient_of(const object_reader& r) {
  if (r.has("recipient") && r.has("to")) r.at("to").fail("give \"recipient\" or its alias \"to\", not both");
  return (r.has("to") ? r.at("to") : r.at("recipient")).as_address();
}

// `bounced` / `delay_warned` / `success_reported`: a DSN with that Action
// for the recipient; a success's Action is "delivered" unless `action`
// says "relayed" (RFC 3464 2.3.3).
expect_bounced read_report(const node& v, const scenario& s, std::string action) {
  const bool success = action == "delivered";
  auto r = success ? v.as_object({"recipient", "to", "status", "within", "diagnostic", "remote", "action"})
                   : v.as_object({"recipient", "to", "status", "within", "diagnostic", "remote"});
  if (auto m = r.find("action")) {
    action = m->as_string();
    if (action != "delivered" && action != "relayed")
      m->fail(fmt::format("{} is not a success Action (delivered, relayed)", quote(action)));
  }
  expect_bounced e{r.at("recipient").as_address(), {}, {}, {}, std::move(action), {}, {}};
  if (auto m = r.find("to")) e.to = mailbox_ref(*m, s);
  if (auto m = r.find("status")) e.status = read_status(*m);
  if (auto m = r.find("within")) e.within = m->as_duration();
  if (auto m = r.find("diagnostic")) e.diagnostic = m->as_string();
  if (auto m = r.find("remote")) e.remote = m->as_domain();
  return e;
}

expectation_kind read_kind(std::string_view key, const node& v, const scenario& s) {
  if (key == "delivered") return read_delivered(v, s);
  if (key == "not_delivered") {
    auto r = v.as_object({"to", "message"});
    expect_not_delivered e{r.at("to").as_address(), std::nullopt};
    if (auto m = r.find("message")) e.message = message_ref(*m, s);
    return e;
  }
  if (key == "bounced" || key == "delay_warned") return read_report(v, s, key == "bounced" ? "failed" : "delayed");
  if (key == "success_reported") return read_report(v, s, "delivered");
  if (key == "no_bounce") {
    auto r = v.as_object({"to"});
    expect_no_bounce e;
    if (auto m = r.find("to")) e.to = mailbox_ref(*m, s);
    return e;
  }
  if (key == "deferred") {
    auto r = v.as_object({"recipient", "to", "count", "min", "max"});
    return expect_deferred{recipient_of(r), read_bounds(r)};
  }
  if (key == "rejected") {
    auto r = v.as_object({"host", "phase", "code", "enhanced", "text"});
    expect_rejected e{host_ref(r.at("host"), s).name, {}, {}, {}, {}};
    if (auto m = r.find("enhanced")) e.enhanced = read_status(*m);
    if (auto m = r.find("text")) e.text = m->as_string();
    if (auto m = r.find("phase")) {
      e.phase = parse_phase(m->as_string());
      if (!e.phase) m->fail(fmt::format("{} is not a phase (connect, ehlo, mail, rcpt, data, dot, quit)", quote(m->as_string())));
    }
    if (auto m = r.find("code")) e.code = static_cast<int>(m->as_uint(400, 599));
    return e;
  }
  if (key == "fetched") {
    auto r = v.as_object({"user", "subject", "count"});
    expect_fetched e{mailbox_ref(r.at("user"), s), {}, {}};
    if (auto m = r.find("subject")) e.subject = m->as_string();
    if (auto m = r.find("count")) e.count = m->as_uint();
    return e;
  }
  if (key == "trace") {
    expect_trace e{read_pattern(v, {"count", "min", "max"}), {}};
    // Only the bounds keys are checked here: the rest is the pattern.
    std::vector<std::string_view> known{"count", "min", "max"};
    for (const auto& [field, value] : v.value().items()) known.push_back(field);
    e.range = read_bounds(v.as_object(known));
    return e;
  }
  if (key == "stats") return read_stats(v, s);
  if (key == "sequence") {
    expect_sequence e;
    for (const auto& item : v.as_array()) e.patterns.push_back(read_pattern(item));
    if (e.patterns.empty()) v.fail("expected at least one event pattern");
    return e;
  }
  if (v.value() == json(true)) return expect_queue_empty{};
  if (!v.value().is_string()) v.fail(fmt::format("expected true or a host name, got {}", json_type_name(v.value())));
  return expect_queue_empty{host_ref(v, s).name};
}

}  // namespace

const host& host_ref(const node& n, const scenario& s) {
  auto name = n.as_string();
  if (const host* h = s.find_host(name)) return *h;
  std::vector<std::string_view> names;
  for (const auto& h : s.hosts) names.push_back(h.name);
  std::string hint = closest_key(name, names);
  n.fail(fmt::format("no host named {}{}", quote(name), hint.empty() ? "" : fmt::format(" (did you mean {}?)", quote(hint))));
}

const host& simulated_host_ref(const node& n, const scenario& s) {
  const host& h = host_ref(n, s);
  if (h.external)
    n.fail(fmt::format("{} is external (a real program): mailsim cannot inject faults into it or run programs on it",
                       quote(h.name)));
  return h;
}

std::string mailbox_ref(const node& n, const scenario& s) {
  auto address = n.as_address();
  if (s.mailbox_hosts(address).empty()) n.fail(fmt::format("no host has the mailbox {}", quote(address)));
  return address;
}

bounds read_bounds(const object_reader& r) {
  bounds b;
  if (auto v = r.find("count")) b.count = v->as_uint();
  if (auto v = r.find("min")) b.min = v->as_uint();
  if (auto v = r.find("max")) b.max = v->as_uint();
  if (b.count && (b.min || b.max)) r.at("count").fail("\"count\" cannot be combined with \"min\" or \"max\"");
  if (b.min && b.max && *b.min > *b.max) r.at("min").fail(fmt::format("min ({}) is larger than max ({})", *b.min, *b.max));
  return b;
}

std::vector<expectation> read_expect(const node& n, const scenario& s) {
  std::vector<expectation> out;
  auto items = n.as_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto r = items[i].as_object(expect_keys);
    auto keys = r.keys();
    if (keys.empty()) items[i].fail("empty expectation: expected one of delivered, not_delivered, bounced, delay_warned, "
                                    "no_bounce, deferred, rejected, fetched, trace, sequence, queue_empty, stats");
    if (keys.size() > 1)
      items[i].fail(fmt::format("two expectations ({} and {}): give each its own entry", quote(keys[0]), quote(keys[1])));
    out.push_back({i, read_kind(keys[0], r.at(keys[0]), s)});
  }
  return out;
}

}  // namespace sim::scenario::detail
