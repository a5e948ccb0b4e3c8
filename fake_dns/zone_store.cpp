// fake_dns/zone_store.cpp - adding, removing and looking up records.
#include "fake_dns/zone_store.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace dns {

bool zone_store::add(record r) {
  if (r.type == rr_type::ANY) throw zone_error(fmt::format("{}: ANY is not a record type", r.to_string()));
  auto it = by_name_.find(r.name);
  if (it == by_name_.end()) {
    add_ancestors(r.name, +1);
    it = by_name_.emplace(r.name, std::vector<record>{}).first;
  }
  for (const auto& existing : it->second) {
    if (same_rr(existing, r)) return false;
    // RFC 2181 10.1: a CNAME owner has no other data, and one CNAME only.
    if (existing.type == rr_type::CNAME || r.type == rr_type::CNAME)
      throw zone_error(fmt::format("{}: {} already has {} record, and a CNAME cannot share its name (RFC 2181 10.1)",
                                   r.to_string(), presentation_name(r.name),
                                   existing.type == rr_type::CNAME ? "a CNAME" : "another"));
  }
  it->second.push_back(std::move(r));
  ++size_;
  return true;
}

void zone_store::add_all(std::span<const record> records) {
  for (const auto& r : records) add(r);
}

std::size_t zone_store::remove(const record& r) {
  auto it = by_name_.find(r.name);
  if (it == by_name_.end()) return 0;
  auto removed = std::erase_if(it->second, [&](const record& x) { return same_rr(x, r); });
  size_ -= removed;
  if (it->second.empty()) {
    by_name_.erase(it);
    add_ancestors(r.name, -1);
  }
  return removed;
}

std::size_t zone_store::remove(std::string_view name, rr_type type) {
  auto key = canonical_name(name);
  auto it = by_name_.find(key);
  if (it == by_name_.end()) return 0;
  auto removed = std::erase_if(it->second, [&](const record& x) { return type == rr_type::ANY || x.type == type; });
  size_ -= removed;
  if (it->second.empty()) {
    by_name_.erase(it);
    add_ancestors(key, -1);
  }
  return removed;
}

bool zone_store::has(std::string_view name, rr_type type) const {
  auto it = by_name_.find(canonical_name(name));
  if (it == by_name_.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(),
                     [&](const record& r) { return type == rr_type::ANY || r.type == type; });
}

std::vector<record> zone_store::records() const {
  std::vector<record> out;
  for (const auto& [name, rrs] : by_name_) out.insert(out.end(), rrs.begin(), rrs.end());
  return out;
}

// Counts each proper ancestor ("org" for "example.org") so that an empty
// non-terminal answers NODATA, not NXDOMAIN (RFC 8020).
void zone_store::add_ancestors(const std::string& name, int delta) {
  for (auto dot = name.find('.'); dot != std::string::npos; dot = name.find('.', dot + 1)) {
    auto ancestor = name.substr(dot + 1);
    auto& count = non_terminals_[ancestor];
    count += delta;
    if (count == 0) non_terminals_.erase(ancestor);
  }
  if (!name.empty()) {  // every name has the root as an ancestor
    auto& count = non_terminals_[""];
    count += delta;
    if (count == 0) non_terminals_.erase("");
  }
}

// The SOA of the closest enclosing zone: the name itself, then each parent.
std::optional<record> zone_store::enclosing_soa(const std::string& name) const {
  for (std::string_view n = name;;) {
    if (auto it = by_name_.find(n); it != by_name_.end())
      for (const auto& r : it->second)
        if (r.type == rr_type::SOA) return r;
    if (n.empty()) return std::nullopt;
    auto dot = n.find('.');
    n = dot == std::string_view::npos ? std::string_view() : n.substr(dot + 1);
  }
}

bool zone_store::name_exists(const std::string& name) const {
  return by_name_.contains(name) || non_terminals_.contains(name);
}

answer zone_store::lookup(std::string_view name, rr_type type) const {
  std::string key;
  try {
    key = canonical_name(name);
  } catch (const parse_error&) {
    return answer{rcode::formerr, {}};
  }
  return lookup_canonical(key, type);
}

answer zone_store::lookup_canonical(const std::string& name, rr_type type) const {
  answer result;
  std::set<std::string> seen{name};
  std::string current = name;
  for (;;) {
    auto it = by_name_.find(current);
    if (it == by_name_.end()) {
      // RFC 6604: the rcode is that of the last name in the chain.
      if (!name_exists(current)) result.code = rcode::nxdomain;
      result.soa = enclosing_soa(current);
      return result;
    }
    const auto& rrs = it->second;
    bool is_alias = rrs.front().type == rr_type::CNAME;
    if (!is_alias || type == rr_type::CNAME || type == rr_type::ANY) {
      bool found = false;
      for (const auto& r : rrs)
        if (type == rr_type::ANY || r.type == type) {
          result.records.push_back(r);
          found = true;
        }
      if (!found) result.soa = enclosing_soa(current);  // NODATA
      return result;
    }
    result.records.push_back(rrs.front());
    current = rrs.front().data;
    if (result.records.size() > max_cname_chain || !seen.insert(current).second) return answer{rcode::servfail, {}};
  }
}

}  // namespace dns
