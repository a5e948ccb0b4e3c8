// sim/auth/author_domain.cpp - From addresses and their domain (RFC 5322 §3.4, RFC 7489 §6.6.1).
#include "sim/auth/author_domain.hpp"

#include <fmt/format.h>

#include "sim/auth/domain_name.hpp"
#include "sim/message/text.hpp"

namespace sim::auth {

namespace {

// White space outside quoted strings goes (FWS around the parts of an
// obsolete addr-spec, RFC 5322 §4.4).
std::string compact(std::string_view text) {
  std::string out;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted && c == '\\' && i + 1 < text.size()) {
      out.append(text.substr(i++, 2));
      continue;
    }
    if (c == '"') quoted = !quoted;
    if (!quoted && (c == ' ' || c == '\t' || c == '\r' || c == '\n')) continue;
    out += c;
  }
  return out;
}

// One mailbox: the angle-addr if there is one (after an obsolete route),
// otherwise the whole addr-spec.
std::string address_of(std::string_view entry) {
  std::string_view spec = entry;
  if (const auto open = entry.find('<'); open != std::string_view::npos) {
    spec = entry.substr(open + 1);
    spec = spec.substr(0, spec.find('>'));
    const auto colon = spec.rfind(':');
    const auto quote = spec.rfind('"');
    if (colon != std::string_view::npos && (quote == std::string_view::npos || quote < colon))
      spec = spec.substr(colon + 1);  // obs-route "@a,@b:user@example.org"
  }
  return compact(spec);
}

}  // namespace

std::vector<std::string> mailbox_addresses(std::string_view address_list) {
  const std::string text = message::strip_comments(address_list);
  std::vector<std::string> addresses;
  std::string current;
  bool quoted = false, angle = false;
  auto flush = [&] {
    if (auto a = address_of(current); !a.empty()) addresses.push_back(std::move(a));
    current.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      current += c;
      if (c == '\\' && i + 1 < text.size()) current += text[++i];
      else if (c == '"') quoted = false;
      continue;
    }
    if (c == '"') quoted = true;
    if (c == '<') angle = true;
    if (c == '>') angle = false;
    if (!angle && c == ':') {  // group: "name:" starts the member list
      current.clear();
      continue;
    }
    if (!angle && (c == ',' || c == ';')) {
      flush();
      continue;
    }
    current += c;
  }
  flush();
  return addresses;
}

author_domain_result author_domain(const std::vector<std::string>& from_values) {
  if (from_values.empty()) return {{}, "the message has no From field"};
  if (from_values.size() > 1) return {{}, fmt::format("the message has {} From fields", from_values.size())};
  const auto addresses = mailbox_addresses(from_values.front());
  if (addresses.empty()) return {{}, "the From field holds no address"};
  std::string domain;
  for (const auto& address : addresses) {
    const auto at = address.rfind('@');
    if (at == std::string::npos) return {{}, fmt::format("the From address {} has no domain", address)};
    const auto d = normalize_domain(address.substr(at + 1));
    if (!is_domain_name(d)) return {{}, fmt::format("the From domain {} is not a domain name", address.substr(at + 1))};
    if (!domain.empty() && d != domain)
      return {{}, fmt::format("the From field holds addresses in two domains ({} and {})", domain, d)};
    domain = d;
  }
  return {domain, {}};
}

}  // namespace sim::auth
