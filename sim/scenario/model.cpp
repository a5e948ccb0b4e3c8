// sim/scenario/model.cpp - helpers of the scenario model.
#include "sim/scenario/model.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "sim/message/text.hpp"

namespace sim::scenario {
namespace {

using message::iequals;

constexpr std::array<std::string_view, 7> phase_names{"connect", "ehlo", "mail", "rcpt", "data", "dot", "quit"};

}  // namespace

bool host::is_mta() const {
  return !local_domains.empty() || !relay_domains.empty() || submission || !mynetworks.empty() ||
         smarthost.has_value();
}

bool host::is_local_domain(std::string_view domain) const {
  return std::any_of(local_domains.begin(), local_domains.end(),
                     [&](const std::string& d) { return iequals(d, domain); });
}

const mailbox* host::find_mailbox(std::string_view address) const {
  for (const auto& m : mailboxes)
    if (same_address(m.address, address)) return &m;
  return nullptr;
}

std::vector<std::string> send_action::recipients() const {
  std::vector<std::string> all = to;
  all.insert(all.end(), cc.begin(), cc.end());
  all.insert(all.end(), bcc.begin(), bcc.end());
  return all;
}

bool bounds::holds(std::uint64_t n) const {
  if (count) return n == *count;
  std::uint64_t low = min.value_or(max && !min ? 0 : 1);
  return n >= low && (!max || n <= *max);
}

std::string bounds::describe() const {
  if (count) return fmt::format("exactly {}", *count);
  std::uint64_t low = min.value_or(max && !min ? 0 : 1);
  if (max && low > 0) return fmt::format("between {} and {}", low, *max);
  if (max) return fmt::format("at most {}", *max);
  return fmt::format("at least {}", low);
}

std::string_view expectation::kind() const {
  static constexpr std::array<std::string_view, 11> names{"delivered", "not_delivered", "bounced", "no_bounce",
                                                          "deferred",  "rejected",      "fetched", "trace",
                                                          "sequence",  "queue_empty",   "stats"};
  if (const auto* b = std::get_if<expect_bounced>(&what); b && b->action == "delayed") return "delay_warned";
  if (const auto* b = std::get_if<expect_bounced>(&what); b && (b->action == "delivered" || b->action == "relayed"))
    return "success_reported";
  return names[what.index()];
}

sim::wall_time scenario::default_start() { return *sim::parse_rfc3339("2026-01-05T09:00:00Z"); }

std::vector<const campaign_action*> scenario::campaigns() const {
  std::vector<const campaign_action*> out;
  for (const auto& entry : timeline)
    if (const auto* c = std::get_if<campaign_action>(&entry.what)) out.push_back(c);
  return out;
}

const host* scenario::find_host(std::string_view name) const {
  for (const auto& h : hosts)
    if (iequals(h.name, name)) return &h;
  return nullptr;
}

std::vector<const host*> scenario::mailbox_hosts(std::string_view address) const {
  std::vector<const host*> found;
  for (const auto& h : hosts)
    if (h.find_mailbox(address)) found.push_back(&h);
  return found;
}

const host* scenario::submission_host_for(std::string_view address) const {
  std::string_view domain = domain_of(address);
  for (const auto& h : hosts)
    if (h.submission && h.is_local_domain(domain)) return &h;
  return nullptr;
}

std::string_view phase_name(smtp_phase p) { return phase_names[static_cast<std::size_t>(p)]; }

std::optional<smtp_phase> parse_phase(std::string_view text) {
  for (std::size_t i = 0; i < phase_names.size(); ++i)
    if (phase_names[i] == text) return static_cast<smtp_phase>(i);
  return std::nullopt;
}

std::string_view fault_kind_name(fault_kind k) {
  static constexpr std::array<std::string_view, 7> names{"refuse", "timeout", "reset", "reply",
                                                         "slow",   "mailbox_full", "tls"};
  return names[static_cast<std::size_t>(k)];
}

std::string_view spf_mode_name(spf_mode m) {
  static constexpr std::array<std::string_view, 3> names{"off", "tag", "reject"};
  return names[static_cast<std::size_t>(m)];
}

bool same_address(std::string_view a, std::string_view b) { return iequals(a, b); }

std::string fetching_client(const scenario& s, const fetch_action& a) {
  if (a.client) return *a.client;
  for (const auto& entry : s.timeline) {
    const auto* send = std::get_if<send_action>(&entry.what);
    if (send && send->client && same_address(send->from, a.user)) return *send->client;
  }
  auto at = a.user.rfind('@');
  std::string owner;
  for (char c : a.user.substr(0, at == std::string::npos ? a.user.size() : at)) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a'), keep = true;
    owner += keep ? c : '-';
  }
  std::string name = (owner.empty() ? std::string("user") : owner) + "-mua." +
                     (at == std::string::npos ? std::string("invalid") : a.user.substr(at + 1));
  // A scenario host of that name would be someone else's machine.
  return s.find_host(name) ? owner + "-mua.client.invalid" : name;
}

std::string_view domain_of(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view{} : address.substr(at + 1);
}

}  // namespace sim::scenario
