// sim/auth/dkim_signature.cpp - DKIM-Signature tags and their checks (RFC 6376 §3.5).
#include "sim/auth/dkim_signature.hpp"

#include <fmt/format.h>

#include "sim/auth/domain_name.hpp"
#include "sim/auth/tag_list.hpp"
#include "sim/message/mime.hpp"
#include "sim/message/text.hpp"

namespace sim::auth {

namespace {

struct problem {
  dkim_result result = dkim_result::none;
  std::string text;
  explicit operator bool() const { return result != dkim_result::none; }
};

problem syntax(std::string text) { return {dkim_result::neutral, std::move(text)}; }
problem unacceptable(std::string text) { return {dkim_result::permerror, std::move(text)}; }

// §3.5 t= and x=: 1*12DIGIT.
std::optional<std::int64_t> parse_time(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// §3.5 l=: 1*76DIGIT; values past 2^64 - 1 saturate (no body is that long).
std::optional<std::uint64_t> parse_length(std::string_view text) {
  if (text.empty() || text.size() > 76) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    value = value > (UINT64_MAX - digit) / 10 ? UINT64_MAX : value * 10 + digit;
  }
  return value;
}

// §3.5 h=: hdr-name *( [FWS] ":" [FWS] hdr-name ); field names are ftext
// (RFC 5322 §3.6.8: %d33-57 / %d59-126).
std::optional<std::vector<std::string>> parse_header_list(std::string_view text) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (true) {
    auto colon = text.find(':', start);
    const bool last = colon == std::string_view::npos;
    if (last) colon = text.size();
    const auto name = std::string(message::trim(text.substr(start, colon - start)));
    if (name.empty()) return std::nullopt;
    for (char c : name) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 33 || u > 126 || c == ':') return std::nullopt;
    }
    names.push_back(name);
    if (last) return names;
    start = colon + 1;
  }
}

problem read_base64(const tag_list& tags, const char* name, std::string& out, std::string* text = nullptr) {
  const tag* t = tags.find(name);
  const auto compact = strip_fws(t->value);
  auto decoded = message::base64_decode(compact);
  if (!decoded || decoded->empty() || compact.size() % 4 != 0)
    return syntax(fmt::format("{}= is not base64", name));
  out = std::move(*decoded);
  if (text) *text = compact;
  return {};
}

problem check_required(const tag_list& tags) {
  for (const char* name : {"v", "a", "b", "bh", "d", "h", "s"})
    if (!tags.find(name)) return syntax(fmt::format("the signature has no {}= tag", name));
  if (tags.find("v")->value != "1")
    return unacceptable(fmt::format("unsupported version v={}", tags.find("v")->value));
  return {};
}

problem read_identity(const tag_list& tags, dkim_signature& sig) {
  const std::string d(tags.find("d")->value);
  if (!is_domain_name(d)) return syntax(fmt::format("d={} is not a domain name", d));
  sig.domain = normalize_domain(d);
  const std::string s(tags.find("s")->value);
  if (!is_domain_name(s)) return syntax(fmt::format("s={} is not a selector", s));
  sig.selector = normalize_domain(s);
  sig.auid = "@" + sig.domain;
  if (const tag* i = tags.find("i")) {
    const auto at = i->value.rfind('@');
    if (at == std::string::npos || !is_domain_name(i->value.substr(at + 1)))
      return syntax(fmt::format("i={} is not [local-part]@domain", i->value));
    // §3.5 i=: the domain is d= or a subdomain of it.
    if (!is_same_or_subdomain(i->value.substr(at + 1), sig.domain))
      return unacceptable(fmt::format("i={} is not within d={}", i->value, sig.domain));
    sig.auid = i->value;
  }
  return {};
}

problem read_methods(const tag_list& tags, dkim_signature& sig) {
  const auto& a = tags.find("a")->value;
  const auto algorithm = parse_algorithm(a);
  if (!algorithm) {
    if (message::iequals(a, "rsa-sha1")) return unacceptable("rsa-sha1 is no longer accepted (RFC 8301)");
    return unacceptable(fmt::format("unknown algorithm a={}", a));
  }
  sig.algorithm = *algorithm;
  if (const tag* c = tags.find("c")) {
    const auto canon = parse_canonicalization(c->value);
    if (!canon) return unacceptable(fmt::format("unknown canonicalization c={}", c->value));
    sig.canon = *canon;
  }
  // §3.5 q=: "dns/txt" is the only query method defined.
  if (const tag* q = tags.find("q")) {
    bool dns_txt = false;
    for (const auto& method : parse_header_list(q->value).value_or(std::vector<std::string>{}))
      dns_txt = dns_txt || message::iequals(method, "dns/txt");
    if (!dns_txt) return unacceptable(fmt::format("no known query method in q={}", q->value));
  }
  return {};
}

problem read_scope(const tag_list& tags, dkim_signature& sig) {
  auto names = parse_header_list(tags.find("h")->value);
  if (!names) return syntax("h= is not a list of header field names");
  sig.signed_headers = std::move(*names);
  bool from = false;
  for (const auto& name : sig.signed_headers) from = from || message::iequals(name, "From");
  if (!from) return unacceptable("the From field is not signed (h= lacks From)");  // §5.4
  if (const tag* l = tags.find("l")) {
    sig.body_length = parse_length(l->value);
    if (!sig.body_length) return syntax(fmt::format("l={} is not a number", l->value));
  }
  if (const tag* t = tags.find("t")) {
    sig.timestamp = parse_time(t->value);
    if (!sig.timestamp) return syntax(fmt::format("t={} is not a time", t->value));
  }
  if (const tag* x = tags.find("x")) {
    sig.expiration = parse_time(x->value);
    if (!sig.expiration) return syntax(fmt::format("x={} is not a time", x->value));
    if (sig.timestamp && *sig.expiration <= *sig.timestamp)
      return unacceptable(fmt::format("x={} is not after t={}", *sig.expiration, *sig.timestamp));
  }
  if (const tag* z = tags.find("z")) sig.copied_headers = z->value;
  return {};
}

}  // namespace

dkim_signature_parse parse_dkim_signature(std::string_view value) {
  dkim_signature_parse out;
  auto parsed = parse_tag_list(value);
  if (!parsed.list) {
    out.result = dkim_result::neutral;
    out.error = "malformed signature: " + parsed.error;
    return out;
  }
  const tag_list& tags = *parsed.list;
  if (const tag* d = tags.find("d")) out.domain = normalize_domain(d->value);
  if (const tag* s = tags.find("s")) out.selector = normalize_domain(s->value);
  if (const tag* b = tags.find("b")) out.b_text = strip_fws(b->value);
  if (const tag* a = tags.find("a")) out.algorithm_text = a->value;
  dkim_signature sig;
  problem p = check_required(tags);
  if (!p) p = read_base64(tags, "b", sig.signature, &sig.b_text);
  if (!p) p = read_base64(tags, "bh", sig.body_hash);
  if (!p) p = read_identity(tags, sig);
  if (!p) p = read_methods(tags, sig);
  if (!p) p = read_scope(tags, sig);
  if (p) {
    out.result = p.result;
    out.error = p.result == dkim_result::neutral ? "malformed signature: " + p.text : p.text;
    return out;
  }
  out.signature = std::move(sig);
  return out;
}

}  // namespace sim::auth
