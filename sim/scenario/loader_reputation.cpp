// sim/scenario/loader_reputation.cpp - a receiving host's `policy.reputation`
// (sim/policy/reputation.hpp).  `true` takes every default; an object
// changes some.  The policy library validates the settings
// (validate_reputation); each problem is a load error at its JSON pointer.
#include <fmt/format.h>

#include "sim/scenario/loader_parts.hpp"

namespace sim::scenario::detail {
namespace {

double reputation_number(const node& n) {
  if (!n.value().is_number()) n.fail(fmt::format("expected a number, got {}", json_type_name(n.value())));
  return n.value().get<double>();
}

// `code`, `enhanced`, `text` over the default reply; the code in [low, high].
policy::reply_template reputation_reply_over(const object_reader& r, policy::reply_template base, int low, int high) {
  if (auto v = r.find("code")) {
    base.code = static_cast<int>(v->as_uint(static_cast<std::uint64_t>(low), static_cast<std::uint64_t>(high)));
    if (!base.enhanced.empty() && base.enhanced[0] - '0' != base.code / 100) base.enhanced.clear();
  }
  if (auto v = r.find("enhanced")) base.enhanced = read_enhanced(*v, base.code);
  if (auto v = r.find("text")) base.lines = read_reply_lines(*v);
  return base;
}

void read_weights(const node& n, policy::reputation_weights& w) {
  auto r = n.as_object({"unknown_user", "spam_junk", "spam_reject", "trap_hit", "complaint"});
  if (auto v = r.find("unknown_user")) w.unknown_user = reputation_number(*v);
  if (auto v = r.find("spam_junk")) w.spam_junk = reputation_number(*v);
  if (auto v = r.find("spam_reject")) w.spam_reject = reputation_number(*v);
  if (auto v = r.find("trap_hit")) w.trap_hit = reputation_number(*v);
  if (auto v = r.find("complaint")) w.complaint = reputation_number(*v);
}

void read_subjects(const node& n, policy::reputation_settings& s) {
  s.by_ip = s.by_domain = false;
  for (const auto& item : n.as_array()) {
    auto word = item.as_string();
    bool& on = word == "ip" ? s.by_ip : word == "domain" ? s.by_domain
             : (item.fail(fmt::format("{} is not a reputation subject (\"ip\" or \"domain\")", quote(word))), s.by_ip);
    if (on) item.fail(fmt::format("{} is listed twice", quote(word)));
    on = true;
  }
}

}  // namespace

std::optional<policy::reputation_settings> read_reputation(const node& n) {
  if (n.value().is_boolean())
    return n.as_bool() ? std::optional<policy::reputation_settings>(policy::reputation_settings{}) : std::nullopt;
  auto r = n.as_object({"subjects", "weights", "junk_at", "throttle_at", "block_at", "min_volume", "half_life",
                        "throttle", "block"});
  policy::reputation_settings s;
  if (auto v = r.find("subjects")) read_subjects(*v, s);
  if (auto v = r.find("weights")) read_weights(*v, s.weights);
  if (auto v = r.find("junk_at")) s.junk_at = reputation_number(*v);
  if (auto v = r.find("throttle_at")) s.throttle_at = reputation_number(*v);
  if (auto v = r.find("block_at")) s.block_at = reputation_number(*v);
  if (auto v = r.find("min_volume")) s.min_volume = reputation_number(*v);
  if (auto v = r.find("half_life")) s.half_life = v->as_duration();
  if (auto v = r.find("throttle")) {
    // Throttling is temporary: a 4xx (Gmail 421 4.7.28).
    auto t = v->as_object({"messages", "window", "code", "enhanced", "text"});
    if (auto m = t.find("messages")) s.throttle_messages = m->as_uint(0, 100'000'000);
    if (auto w = t.find("window")) s.throttle_window = w->as_duration();
    s.throttle_reply = reputation_reply_over(t, s.throttle_reply, 400, 499);
  }
  if (auto v = r.find("block")) {
    auto b = v->as_object({"code", "enhanced", "text"});
    s.block_reply = reputation_reply_over(b, s.block_reply, 500, 599);
  }
  if (auto errors = policy::validate_reputation(s); !errors.empty())
    node(n.file(), n.value(), n.pointer() + errors.front().pointer).fail(errors.front().message);
  return s;
}

}  // namespace sim::scenario::detail
