// sim/policy/access_list.cpp - allow and block lists: entries, precedence, decisions.
#include "sim/policy/access_list.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "sim/message/text.hpp"

namespace sim::policy {
namespace {

using kind = access_entry::kind;

bool is_domain_name(std::string_view d) {
  if (d.empty() || d.size() > 253 || d.front() == '.' || d.back() == '.') return false;
  std::size_t label = 0;
  for (char c : d) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok || ++label > 63) return false;
  }
  return true;
}

bool all_digits_and_dots(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

std::optional<access_entry> fail(std::string* why, std::string text) {
  if (why) *why = std::move(text);
  return std::nullopt;
}

std::optional<access_entry> parse_sender_entry(std::string_view text, std::string* why) {
  const std::size_t at = text.rfind('@');
  const std::string_view local = text.substr(0, at);
  const std::string_view domain = text.substr(at + 1);
  if (local.empty()) return fail(why, fmt::format("\"{}\": write {} for a whole domain", text, domain));
  if (local.find_first_of(" \t<>") != std::string_view::npos)
    return fail(why, fmt::format("\"{}\" is not an address", text));
  if (domain.empty()) return access_entry{kind::local_part, std::string(text), message::to_lower(local), {}};
  if (!is_domain_name(domain)) return fail(why, fmt::format("\"{}\": {} is not a domain name", text, domain));
  return access_entry{kind::address, std::string(text), message::to_lower(text), {}};
}

// How specific a match is (higher wins), or -1 for none.  Sender ranks sit
// above each other in access(5)'s lookup order.
int sender_rank(const access_entry& e, std::string_view sender) {
  if (e.type == kind::null_sender) return sender.empty() ? 3000 : -1;
  if (sender.empty() || e.type == kind::client) return -1;
  const std::size_t at = sender.rfind('@');
  const std::string_view local = at == std::string_view::npos ? sender : sender.substr(0, at);
  const std::string_view domain = at == std::string_view::npos ? "" : sender.substr(at + 1);
  const auto labels = static_cast<int>(std::count(e.value.begin(), e.value.end(), '.')) + 1;
  const bool below = domain.size() > e.value.size() && domain.ends_with(e.value) &&
                     domain[domain.size() - e.value.size() - 1] == '.';
  switch (e.type) {
    case kind::address: return sender == e.value ? 2000 : -1;
    case kind::domain: return domain == e.value || below ? 1000 + labels : -1;
    case kind::subdomains: return below ? 1000 + labels : -1;
    case kind::local_part: return local == e.value ? 100 : -1;
    default: return -1;
  }
}

int client_rank(const access_entry& e, const ip_address& client) {
  return e.type == kind::client && contains(e.network, client) ? e.network.prefix_length : -1;
}

struct best_match {
  int rank = -1;
  const access_entry* entry = nullptr;
};

template <typename Rank>
best_match best(const std::vector<access_entry>& entries, Rank rank) {
  best_match m;
  for (const access_entry& e : entries) {
    if (const int r = rank(e); r > m.rank) m = {r, &e};
  }
  return m;
}

struct dimension {
  access_action action = access_action::none;
  const access_entry* entry = nullptr;
};

// Within one kind of entry the more specific wins; a tie blocks.
template <typename Rank>
dimension decide(const access_list& lists, Rank rank) {
  const best_match allow = best(lists.allow, rank);
  const best_match block = best(lists.block, rank);
  if (block.entry && block.rank >= allow.rank) return {access_action::block, block.entry};
  if (allow.entry) return {access_action::allow, allow.entry};
  return {};
}

std::string list_name(access_action a) { return a == access_action::allow ? "allow" : "block"; }

access_decision client_decision(const dimension& d, const ip_address& client) {
  access_decision out{d.action, d.entry->text, fmt::format("client [{}] is on the {} list (entry {})", format_ip(client),
                                                           list_name(d.action), d.entry->text), std::nullopt};
  if (d.action == access_action::block)
    out.reply = reply{554, "5.7.1", fmt::format("Client host [{}] rejected: Access denied (block list entry {})",
                                                format_ip(client), d.entry->text)};
  return out;
}

access_decision sender_decision(const dimension& d, std::string_view sender) {
  access_decision out{d.action, d.entry->text, fmt::format("sender <{}> is on the {} list (entry {})", sender,
                                                           list_name(d.action), d.entry->text), std::nullopt};
  if (d.action == access_action::block)
    out.reply = reply{554, "5.7.1", fmt::format("<{}>: Sender address rejected: Access denied (block list entry {})",
                                                sender, d.entry->text)};
  return out;
}

access_decision decide_all(const access_list& lists, const std::optional<ip_address>& client,
                           std::optional<std::string_view> sender) {
  dimension by_client, by_sender;
  if (client) by_client = decide(lists, [&](const access_entry& e) { return client_rank(e, *client); });
  const std::string lower = sender ? message::to_lower(*sender) : "";
  if (sender) by_sender = decide(lists, [&](const access_entry& e) { return sender_rank(e, lower); });
  for (const access_action wanted : {access_action::block, access_action::allow}) {
    if (by_client.action == wanted) return client_decision(by_client, *client);
    if (by_sender.action == wanted) return sender_decision(by_sender, *sender);
  }
  return {};
}

}  // namespace

std::optional<access_entry> parse_access_entry(std::string_view text, std::string* why) {
  const std::string_view t = message::trim(text);
  if (t.empty()) return fail(why, "an empty entry");
  if (t == "<>") return access_entry{kind::null_sender, std::string(t), "", {}};
  if (auto network = parse_cidr(t)) return access_entry{kind::client, std::string(t), "", *network};
  if (t.find('/') != std::string_view::npos || t.find(':') != std::string_view::npos || all_digits_and_dots(t))
    return fail(why, fmt::format("\"{}\" is not an IP address or CIDR network (as 192.0.2.0/24)", t));
  if (t.find('@') != std::string_view::npos) return parse_sender_entry(t, why);
  const bool subdomains_only = t.front() == '.';
  const std::string_view domain = subdomains_only ? t.substr(1) : t;
  if (!is_domain_name(domain))
    return fail(why, fmt::format("\"{}\" is not an address, a domain or a CIDR network", t));
  return access_entry{subdomains_only ? kind::subdomains : kind::domain, std::string(t), message::to_lower(domain), {}};
}

std::vector<config_error> parse_access_lists(const std::vector<std::string>& allow,
                                             const std::vector<std::string>& block, access_list& out) {
  std::vector<config_error> errors;
  for (const auto& [name, texts, target] : {std::tuple{"allow", &allow, &out.allow}, {"block", &block, &out.block}}) {
    for (std::size_t i = 0; i < texts->size(); ++i) {
      std::string why;
      if (auto e = parse_access_entry((*texts)[i], &why)) target->push_back(std::move(*e));
      else errors.push_back({fmt::format("/{}/{}", name, i), why});
    }
  }
  return errors;
}

std::string_view access_action_name(access_action action) {
  switch (action) {
    case access_action::none: return "none";
    case access_action::allow: return "allow";
    case access_action::block: return "block";
  }
  return "none";
}

check_result access_decision::as_check_result() const {
  return {"access", std::string(access_action_name(action)),
          action == access_action::none ? "on no allow or block list" : detail, reply};
}

access_decision check_host_access(const access_list& lists, const std::optional<ip_address>& client,
                                  std::optional<std::string_view> sender) {
  return decide_all(lists, client, sender);
}

mailbox_placement place_in_mailbox(const access_list& mailbox_lists, const std::optional<ip_address>& client,
                                   std::string_view author, bool filter_junk) {
  const access_decision d = decide_all(mailbox_lists, client, author);
  if (d.action == access_action::block) return {junk_folder, "block list entry " + d.entry};
  if (d.action == access_action::allow) return {inbox_folder, "allow list entry " + d.entry};
  if (filter_junk) return {junk_folder, "spam filter verdict junk"};
  return {inbox_folder, "not junk"};
}

}  // namespace sim::policy
