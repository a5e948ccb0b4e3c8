// A resolver for router tests: answers from a table at once, remembers what
// was asked.  A name with records of some type answers NODATA for the other
// types; an unknown name answers NXDOMAIN.
#pragma once

#include <map>
#include <utility>

#include "fake_dns/resolver.hpp"

namespace sim::mta::testing {

inline dns::record mx(std::string owner, std::uint16_t preference, std::string exchange) {
  dns::record r;
  r.name = std::move(owner);
  r.type = dns::rr_type::MX;
  r.preference = preference;
  r.data = std::move(exchange);
  return r;
}

inline dns::record address(std::string owner, std::string ip) {
  dns::record r;
  r.name = std::move(owner);
  r.type = ip.find(':') == std::string::npos ? dns::rr_type::A : dns::rr_type::AAAA;
  r.data = std::move(ip);
  return r;
}

class fake_resolver final : public dns::resolver {
 public:
  using key = std::pair<std::string, dns::rr_type>;

  void add(dns::record r) {
    auto& answer = answers_[{r.name, r.type}];
    answer.records.push_back(std::move(r));
  }
  void set(std::string name, dns::rr_type type, dns::answer answer) {
    answers_[{std::move(name), type}] = std::move(answer);
  }
  void fail(std::string name, dns::rr_type type, dns::rcode code) { answers_[{std::move(name), type}].code = code; }

  asio::awaitable<dns::answer> query(std::string asker, std::string name, dns::rr_type type) override {
    askers.push_back(asker);
    asked.emplace_back(name, type);
    auto it = answers_.find({name, type});
    if (it != answers_.end()) co_return it->second;
    auto any = answers_.lower_bound({name, dns::rr_type{}});
    if (any != answers_.end() && any->first.first == name) co_return dns::answer{};  // NODATA
    co_return dns::answer{dns::rcode::nxdomain, {}};
  }

  std::vector<key> asked;
  std::vector<std::string> askers;

 private:
  std::map<key, dns::answer> answers_;
};

}  // namespace sim::mta::testing
