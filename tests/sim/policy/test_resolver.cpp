// tests/sim/policy/test_resolver.cpp - in-memory resolver for policy tests.
#include "tests/sim/policy/test_resolver.hpp"

namespace sim::policy::test {

std::string canonical(std::string name) {
  if (!name.empty() && name.back() == '.') name.pop_back();
  for (auto& c : name)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return name;
}

void test_resolver::add(dns::record record) {
  record.name = canonical(record.name);
  if (record.type == dns::rr_type::CNAME || record.type == dns::rr_type::MX || record.type == dns::rr_type::PTR)
    record.data = canonical(record.data);
  zone_[record.name].push_back({false, dns::rcode::noerror, std::move(record)});
}

void test_resolver::add_failure(const std::string& name, dns::rcode code) {
  zone_[canonical(name)].push_back({true, code, {}});
}

void test_resolver::add(const std::string& name, dns::rr_type type, const std::string& data) {
  dns::record record;
  record.name = name;
  record.type = type;
  record.data = data;
  add(std::move(record));
}

void test_resolver::add_txt(const std::string& name, std::vector<std::string> strings) {
  dns::record record;
  record.name = name;
  record.type = dns::rr_type::TXT;
  record.strings = std::move(strings);
  add(std::move(record));
}

void test_resolver::add_mx(const std::string& name, std::uint16_t preference, const std::string& exchange) {
  dns::record record;
  record.name = name;
  record.type = dns::rr_type::MX;
  record.preference = preference;
  record.data = exchange;
  add(std::move(record));
}

dns::answer test_resolver::answer(const std::string& name, dns::rr_type type, int depth) const {
  dns::answer result;
  auto found = zone_.find(name);
  if (found == zone_.end()) {
    result.code = dns::rcode::nxdomain;
    return result;
  }
  bool seen_type = false;
  for (const auto& item : found->second) {
    if (item.is_failure) {
      if (!seen_type) return dns::answer{item.failure, {}};
      break;
    }
    if (item.record.type == dns::rr_type::CNAME && type != dns::rr_type::CNAME) {
      if (depth >= 8) return dns::answer{dns::rcode::servfail, {}};
      auto rest = answer(item.record.data, type, depth + 1);
      rest.records.insert(rest.records.begin(), item.record);
      return rest;
    }
    if (item.record.type == type) {
      seen_type = true;
      result.records.push_back(item.record);
    }
  }
  return result;
}

asio::awaitable<dns::answer> test_resolver::query(std::string, std::string name, dns::rr_type type) {
  name = canonical(std::move(name));
  queries.push_back(name + " " + std::to_string(static_cast<int>(type)));
  co_return answer(name, type, 0);
}

}  // namespace sim::policy::test
