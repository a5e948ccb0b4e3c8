// sim/auth/domain_name.cpp - domain name checks and comparisons.
#include "sim/auth/domain_name.hpp"

#include "sim/message/text.hpp"

namespace sim::auth {

std::string normalize_domain(std::string_view domain) {
  std::string out = message::to_lower(domain);
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

bool is_domain_name(std::string_view text) {
  if (text.empty() || text.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    auto dot = text.find('.', start);
    if (dot == std::string_view::npos) dot = text.size();
    const auto label = text.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) return false;
    }
    if (dot == text.size()) return true;
    start = dot + 1;
  }
}

bool is_same_or_subdomain(std::string_view name, std::string_view parent) {
  const auto n = normalize_domain(name);
  const auto p = normalize_domain(parent);
  if (n == p) return true;
  return n.size() > p.size() && n.compare(n.size() - p.size(), p.size(), p) == 0 && n[n.size() - p.size() - 1] == '.';
}

}  // namespace sim::auth
