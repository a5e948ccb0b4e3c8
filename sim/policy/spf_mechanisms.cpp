// sim/policy/spf_mechanisms.cpp - the SPF mechanisms (RFC 7208 section 5).
#include <fmt/format.h>

#include "sim/policy/cidr.hpp"
#include "sim/policy/spf_evaluator.hpp"

namespace sim::policy {
namespace {

bool ends_with_domain(std::string_view name, std::string_view domain) {
  if (name.size() == domain.size()) return name == domain;
  return name.size() > domain.size() && name.substr(name.size() - domain.size()) == domain &&
         name[name.size() - domain.size() - 1] == '.';
}

std::string trim_dot(std::string name) {
  if (!name.empty() && name.back() == '.') name.pop_back();
  return name;
}

}  // namespace

asio::awaitable<spf_term_outcome> spf_evaluator::evaluate(const spf_mechanism& mechanism, const std::string& domain,
                                                          int depth) {
  switch (mechanism.kind) {
    case spf_mechanism_kind::all: co_return spf_term_outcome{true, std::nullopt, {}};
    case spf_mechanism_kind::ip4:
    case spf_mechanism_kind::ip6: {
      bool v6 = mechanism.kind == spf_mechanism_kind::ip6;
      int length = v6 ? mechanism.ip6_prefix_length : mechanism.ip4_prefix_length;
      co_return spf_term_outcome{in_prefix(client_, mechanism.network, length), std::nullopt, {}};
    }
    default: break;
  }
  std::string target = domain;
  if (mechanism.domain_spec) {
    auto name = co_await target_name(*mechanism.domain_spec, domain, depth);
    if (!name) {
      // An include whose target cannot exist has no record: check_host() is none.
      if (mechanism.kind == spf_mechanism_kind::include)
        co_return spf_term_outcome::fail_with(spf_result::permerror, "include target is not a valid name");
      co_return spf_term_outcome{};
    }
    target = *name;
  }
  int length = is_v6(client_) ? mechanism.ip6_prefix_length : mechanism.ip4_prefix_length;
  switch (mechanism.kind) {
    case spf_mechanism_kind::include: co_return co_await match_include(target, depth);
    case spf_mechanism_kind::a: co_return co_await match_host_addresses(target, length, depth, true);
    case spf_mechanism_kind::mx: co_return co_await match_mx(target, mechanism, depth);
    case spf_mechanism_kind::ptr: co_return co_await match_ptr(target, depth);
    default: co_return co_await match_exists(target, depth);
  }
}

// Section 5.2: pass matches; fail, softfail, neutral do not; errors and
// none end the evaluation.
asio::awaitable<spf_term_outcome> spf_evaluator::match_include(const std::string& target, int depth) {
  auto inner = co_await check_host(target, depth + 1);
  switch (inner.result) {
    case spf_result::pass: co_return spf_term_outcome{true, std::nullopt, {}};
    case spf_result::fail:
    case spf_result::softfail:
    case spf_result::neutral: co_return spf_term_outcome{};
    case spf_result::temperror: co_return spf_term_outcome::fail_with(spf_result::temperror, inner.problem);
    case spf_result::permerror: co_return spf_term_outcome::fail_with(spf_result::permerror, inner.problem);
    case spf_result::none: break;
  }
  co_return spf_term_outcome::fail_with(spf_result::permerror, fmt::format("include: {} has no SPF record", target));
}

// Section 5.3 (and each MX host of 5.4): A for an IPv4 client, AAAA for IPv6.
asio::awaitable<spf_term_outcome> spf_evaluator::match_host_addresses(const std::string& name, int prefix_length,
                                                                     int depth, bool count_void_answer) {
  auto type = is_v6(client_) ? dns::rr_type::AAAA : dns::rr_type::A;
  auto answer = co_await lookup(name, type, depth);
  if (is_dns_error(answer))
    co_return spf_term_outcome::fail_with(spf_result::temperror, fmt::format("DNS failure looking up {}", name));
  auto records = records_of(answer, type);
  if (records.empty() && count_void_answer && count_void(depth))
    co_return spf_term_outcome::fail_with(spf_result::permerror, "more than 2 void lookups");
  for (const auto* record : records) {
    auto address = parse_ip(record->data);
    if (address && in_prefix(client_, *address, prefix_length)) co_return spf_term_outcome{true, std::nullopt, {}};
  }
  co_return spf_term_outcome{};
}

// Section 5.4: the addresses of at most 10 MX hosts; no implicit MX.
asio::awaitable<spf_term_outcome> spf_evaluator::match_mx(const std::string& target, const spf_mechanism& mechanism,
                                                          int depth) {
  auto answer = co_await lookup(target, dns::rr_type::MX, depth);
  if (is_dns_error(answer))
    co_return spf_term_outcome::fail_with(spf_result::temperror, fmt::format("DNS failure looking up MX {}", target));
  auto records = records_of(answer, dns::rr_type::MX);
  if (records.empty() && count_void(depth))
    co_return spf_term_outcome::fail_with(spf_result::permerror, "more than 2 void lookups");
  if (records.size() > spf_max_mx_names)  // section 4.6.4: MUST produce permerror
    co_return spf_term_outcome::fail_with(spf_result::permerror,
                                          fmt::format("{} has more than {} MX records", target, spf_max_mx_names));
  int length = is_v6(client_) ? mechanism.ip6_prefix_length : mechanism.ip4_prefix_length;
  for (const auto* record : records) {
    auto exchange = trim_dot(record->data);
    if (exchange.empty()) continue;  // a null MX (RFC 7505) names no host
    auto matched = co_await match_host_addresses(exchange, length, depth, false);
    if (matched.error || matched.matched) co_return matched;
  }
  co_return spf_term_outcome{};
}

// The first 10 names of the client's PTR records (section 4.6.4).
asio::awaitable<std::vector<std::string>> spf_evaluator::ptr_names(int depth, bool& failed, bool& is_void) {
  auto answer = co_await lookup(reverse_name(client_), dns::rr_type::PTR, depth);
  std::vector<std::string> names;
  failed = is_dns_error(answer);
  for (const auto* record : records_of(answer, dns::rr_type::PTR)) {
    if (names.size() == spf_max_ptr_names) {
      step(depth, fmt::format("more than {} PTR names: the rest are ignored", spf_max_ptr_names));
      break;
    }
    names.push_back(lower_name(trim_dot(record->data)));
  }
  is_void = !failed && names.empty();
  co_return names;
}

// Section 5.5: a name validates when one of its addresses is the client's;
// a DNS error skips the name.
asio::awaitable<bool> spf_evaluator::validates(const std::string& name, int depth) {
  auto type = is_v6(client_) ? dns::rr_type::AAAA : dns::rr_type::A;
  auto answer = co_await lookup(name, type, depth);
  for (const auto* record : records_of(answer, type)) {
    auto address = parse_ip(record->data);
    if (address && *address == client_) co_return true;
  }
  co_return false;
}

asio::awaitable<spf_term_outcome> spf_evaluator::match_ptr(const std::string& target, int depth) {
  bool failed = false, is_void = false;
  auto names = co_await ptr_names(depth, failed, is_void);
  if (failed) co_return spf_term_outcome{};  // section 5.5: a DNS error is no match
  if (is_void && count_void(depth))
    co_return spf_term_outcome::fail_with(spf_result::permerror, "more than 2 void lookups");
  auto domain = lower_name(target);
  for (const auto& name : names)
    if (ends_with_domain(name, domain) && co_await validates(name, depth)) co_return spf_term_outcome{true, {}, {}};
  co_return spf_term_outcome{};
}

// Section 5.7: an A query whatever the client's family.
asio::awaitable<spf_term_outcome> spf_evaluator::match_exists(const std::string& target, int depth) {
  auto answer = co_await lookup(target, dns::rr_type::A, depth);
  if (is_dns_error(answer))
    co_return spf_term_outcome::fail_with(spf_result::temperror, fmt::format("DNS failure looking up {}", target));
  if (!records_of(answer, dns::rr_type::A).empty()) co_return spf_term_outcome{true, std::nullopt, {}};
  if (count_void(depth)) co_return spf_term_outcome::fail_with(spf_result::permerror, "more than 2 void lookups");
  co_return spf_term_outcome{};
}

// Section 7.3 "p": <domain> itself if it validates, else a validated
// subdomain of it, else any validated name, else "unknown".
asio::awaitable<std::string> spf_evaluator::validated_name(const std::string& domain, int depth) {
  bool failed = false, is_void = false;
  auto names = co_await ptr_names(depth, failed, is_void);
  auto wanted = lower_name(trim_dot(domain));
  std::string subdomain, any;
  for (const auto& name : names) {
    if (!co_await validates(name, depth)) continue;
    if (name == wanted) co_return name;
    if (subdomain.empty() && ends_with_domain(name, wanted)) subdomain = name;
    if (any.empty()) any = name;
  }
  co_return !subdomain.empty() ? subdomain : !any.empty() ? any : std::string("unknown");
}

}  // namespace sim::policy
