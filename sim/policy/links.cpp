// sim/policy/links.cpp - URL hosts, domains shown in text, shorteners.
#include "sim/policy/links.hpp"

#include <algorithm>
#include <cctype>

#include "sim/message/text.hpp"

namespace sim::policy {
namespace {

bool is_label_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-'; }

// Generic top-level domains common in mail, and RFC 2606's reserved names.
constexpr std::array<std::string_view, 36> known_tlds = {
    "ai", "app", "bank", "biz", "click", "club", "com", "dev", "edu", "email", "example", "gov",
    "info", "int", "invalid", "io", "link", "live", "localhost", "me", "mil", "mobi", "name", "net",
    "online", "org", "pro", "shop", "site", "store", "tech", "test", "top", "tv", "xyz", "zip"};

bool is_known_tld(std::string_view label) {
  const auto alpha = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  if (label.size() == 2) return alpha(label[0]) && alpha(label[1]);
  const std::string lower = message::to_lower(label);
  return std::find(known_tlds.begin(), known_tlds.end(), lower) != known_tlds.end();
}

// "a.b.tld" with non-empty labels of letters, digits and '-' and a known TLD.
bool looks_like_domain(std::string_view word) {
  const std::size_t last_dot = word.rfind('.');
  if (last_dot == std::string_view::npos || word.size() > 253) return false;
  std::size_t start = 0;
  while (start <= word.size()) {
    const std::size_t dot = std::min(word.find('.', start), word.size());
    const std::string_view label = word.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    start = dot + 1;
  }
  return is_known_tld(word.substr(last_dot + 1));
}

bool starts_with_icase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && message::iequals(text.substr(0, prefix.size()), prefix);
}

}  // namespace

std::optional<std::string> url_host(std::string_view url) {
  url = message::trim(url);
  std::size_t skip = 0;
  for (std::string_view scheme : {"http://", "https://", "ftp://"}) {
    if (starts_with_icase(url, scheme)) skip = scheme.size();
  }
  if (skip == 0) return std::nullopt;
  std::string_view authority = url.substr(skip);
  authority = authority.substr(0, authority.find_first_of("/?#\\"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (!authority.starts_with('[')) authority = authority.substr(0, authority.find(':'));
  while (authority.ends_with('.')) authority.remove_suffix(1);
  if (authority.empty()) return std::nullopt;
  return message::to_lower(authority);
}

std::vector<std::string> urls_in_text(std::string_view text, std::size_t max) {
  std::vector<std::string> urls;
  const std::string lower = message::to_lower(text);
  std::size_t i = 0;
  while (urls.size() < max) {
    const std::size_t found = std::min(lower.find("http://", i), lower.find("https://", i));
    if (found == std::string_view::npos) break;
    std::size_t end = found;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) &&
           std::string_view("<>\"'").find(text[end]) == std::string_view::npos) {
      ++end;
    }
    urls.emplace_back(text.substr(found, end - found));
    i = end;
  }
  return urls;
}

std::vector<std::string> domains_in_text(std::string_view text) {
  std::vector<std::string> domains;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_label_char(text[i])) { ++i; continue; }
    const std::size_t start = i;
    while (i < text.size() && (is_label_char(text[i]) || text[i] == '.')) ++i;
    std::string_view word = text.substr(start, i - start);
    while (!word.empty() && (word.back() == '.' || word.back() == '-')) word.remove_suffix(1);
    if (!looks_like_domain(word)) continue;
    std::string lower = message::to_lower(word);
    if (std::find(domains.begin(), domains.end(), lower) == domains.end()) domains.push_back(std::move(lower));
  }
  return domains;
}

bool same_site(std::string_view a, std::string_view b) {
  if (a.size() < b.size()) std::swap(a, b);
  if (a == b) return true;
  return a.size() > b.size() && a.ends_with(b) && a[a.size() - b.size() - 1] == '.';
}

bool is_url_shortener(std::string_view host) {
  return std::any_of(url_shortener_domains.begin(), url_shortener_domains.end(),
                     [&](std::string_view s) { return same_site(host, s) && host.size() >= s.size(); });
}

}  // namespace sim::policy
