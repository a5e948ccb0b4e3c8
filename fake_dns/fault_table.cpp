// fake_dns/fault_table.cpp - per-(name, type) DNS faults.
#include "fake_dns/fault_table.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace dns {
namespace {

int key_type(std::optional<rr_type> type) { return type ? static_cast<int>(*type) : -1; }

std::string checked_name(std::string_view name) {
  try {
    return canonical_name(name);
  } catch (const parse_error& e) {
    throw std::invalid_argument(e.what());
  }
}

}  // namespace

void fault_table::set(std::string_view name, std::optional<rr_type> type, rcode effect) {
  if (effect != rcode::servfail && effect != rcode::nxdomain && effect != rcode::timeout)
    throw std::invalid_argument(fmt::format("a DNS fault is SERVFAIL, NXDOMAIN or timeout, not {}", rcode_name(effect)));
  faults_[{checked_name(name), key_type(type)}] = effect;
}

bool fault_table::clear(std::string_view name, std::optional<rr_type> type) {
  return faults_.erase({checked_name(name), key_type(type)}) > 0;
}

std::size_t fault_table::clear_name(std::string_view name) {
  auto key = checked_name(name);
  return std::erase_if(faults_, [&](const auto& entry) { return entry.first.first == key; });
}

std::optional<rcode> fault_table::find(const std::string& name, rr_type type) const {
  if (faults_.empty()) return std::nullopt;
  if (auto it = faults_.find({name, static_cast<int>(type)}); it != faults_.end()) return it->second;
  if (auto it = faults_.find({name, any_type}); it != faults_.end()) return it->second;
  return std::nullopt;
}

std::optional<rcode> parse_fault_rcode(std::string_view text) {
  std::string upper;
  for (char c : text) upper += c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
  if (upper == "SERVFAIL") return rcode::servfail;
  if (upper == "NXDOMAIN") return rcode::nxdomain;
  if (upper == "TIMEOUT") return rcode::timeout;
  return std::nullopt;
}

}  // namespace dns
