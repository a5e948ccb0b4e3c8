// sim/auth/dkim_key.cpp - DKIM key record tags (RFC 6376 §3.6.1).
#include "sim/auth/dkim_key.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/auth/domain_name.hpp"
#include "sim/auth/tag_list.hpp"
#include "sim/message/mime.hpp"
#include "sim/message/text.hpp"

namespace sim::auth {

namespace {

// Colon-separated lists (h=, s=, t=), white space around items dropped.
std::vector<std::string> split_colons(std::string_view text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto colon = text.find(':', start);
    if (colon == std::string_view::npos) colon = text.size();
    if (auto item = message::trim(text.substr(start, colon - start)); !item.empty())
      items.push_back(message::to_lower(item));
    start = colon + 1;
  }
  return items;
}

bool contains(const std::vector<std::string>& items, std::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

}  // namespace

dkim_key_parse parse_dkim_key(std::string_view text) {
  auto parsed = parse_tag_list(text);
  if (!parsed.list) return {std::nullopt, "key syntax error: " + parsed.error};
  const tag_list& tags = *parsed.list;
  // §3.6.1 v=: if present, first and "DKIM1"; other records are discarded.
  if (const tag* v = tags.find("v")) {
    if (&tags.tags.front() != v) return {std::nullopt, "key syntax error: v= is not the first tag"};
    if (v->value != "DKIM1") return {std::nullopt, fmt::format("key syntax error: v={} is not DKIM1", v->value)};
  }
  const tag* p = tags.find("p");
  if (!p) return {std::nullopt, "key syntax error: no p= tag"};
  dkim_key_record key;
  const auto compact = strip_fws(p->value);
  auto decoded = message::base64_decode(compact);
  if (!decoded || compact.size() % 4 != 0) return {std::nullopt, "key syntax error: p= is not base64"};
  key.public_key = std::move(*decoded);
  if (const tag* k = tags.find("k")) key.key_type = message::to_lower(k->value);
  if (const tag* h = tags.find("h")) key.hash_algorithms = split_colons(h->value);
  if (const tag* s = tags.find("s")) key.service_types = split_colons(s->value);
  if (const tag* t = tags.find("t")) {
    const auto flags = split_colons(t->value);
    key.testing = contains(flags, "y");
    key.strict_identity = contains(flags, "s");
  }
  if (const tag* n = tags.find("n")) key.notes = n->value;
  return {std::move(key), {}};
}

std::string key_query_name(std::string_view selector, std::string_view domain) {
  return normalize_domain(selector) + "._domainkey." + normalize_domain(domain);
}

std::string key_problem(const dkim_key_record& key, const dkim_signature& signature) {
  if (key.public_key.empty()) return "key revoked (empty p=)";
  if (key.key_type != key_type_name(signature.algorithm))
    return fmt::format("key type k={} does not match a={}", key.key_type, algorithm_name(signature.algorithm));
  if (!key.hash_algorithms.empty() && !contains(key.hash_algorithms, "sha256"))
    return "the key's h= does not allow sha256";
  if (!key.service_types.empty() && !contains(key.service_types, "*") && !contains(key.service_types, "email"))
    return "the key is not for email (s= lacks email and *)";
  if (key.strict_identity) {
    const auto at = signature.auid.rfind('@');
    if (normalize_domain(signature.auid.substr(at + 1)) != signature.domain)
      return fmt::format("the key has t=s but i={} is a subdomain of d={}", signature.auid, signature.domain);
  }
  return {};
}

std::string format_dkim_key(std::string_view key_type, std::string_view public_key_base64) {
  return fmt::format("v=DKIM1; k={}; p={}", key_type, public_key_base64);
}

}  // namespace sim::auth
