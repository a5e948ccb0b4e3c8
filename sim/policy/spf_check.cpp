// sim/policy/spf_check.cpp - the identity checked and the top-level call (RFC 7208 2.3, 2.4, 4.3).
#include <fmt/format.h>

#include "sim/policy/spf_eval.hpp"
#include "sim/policy/spf_evaluator.hpp"

namespace sim::policy {
namespace {

struct identity {
  std::string local_part;
  std::string domain;
};

// Section 4.3: MAIL FROM's local-part and domain; "postmaster" stands in
// for a missing local-part; the HELO name when MAIL FROM is <> (2.4).
identity choose_identity(const spf_request& request, spf_evaluation& out) {
  std::string_view mail_from = request.mail_from;
  if (mail_from.size() >= 2 && mail_from.front() == '<' && mail_from.back() == '>')
    mail_from = mail_from.substr(1, mail_from.size() - 2);
  identity chosen{"postmaster", request.helo};
  out.identity = "helo";
  if (!mail_from.empty()) {
    out.identity = "mailfrom";
    auto at = mail_from.rfind('@');
    chosen.domain = std::string(at == std::string_view::npos ? mail_from : mail_from.substr(at + 1));
    if (at != std::string_view::npos && at > 0) chosen.local_part = std::string(mail_from.substr(0, at));
  }
  if (!chosen.domain.empty() && chosen.domain.back() == '.') chosen.domain.pop_back();
  return chosen;
}

// Section 4.3: a malformed domain, or one that is not a multi-label FQDN
// (a domain literal, a bare host name), gives none without any lookup.
bool is_checkable_domain(const std::string& domain) {
  return is_valid_dns_name(domain) && domain.find('.') != std::string::npos && domain.front() != '[';
}

spf_macro_values base_values(const spf_request& request, const ip_address& client, const identity& chosen) {
  spf_macro_values values;
  values.sender = chosen.local_part + "@" + chosen.domain;
  values.local_part = chosen.local_part;
  values.sender_domain = chosen.domain;
  values.domain = chosen.domain;
  values.ip = dotted_ip(client);
  values.validated_name = "unknown";
  values.ip_version = is_v6(client) ? "ip6" : "in-addr";
  values.helo = request.helo;
  values.client_ip = format_ip(client);
  values.receiver = request.receiver;
  values.timestamp = std::to_string(request.timestamp);
  return values;
}

}  // namespace

asio::awaitable<spf_evaluation> evaluate_spf(dns::resolver& resolver, spf_request request) {
  spf_evaluation out;
  out.client_ip = request.client_ip;
  out.helo = request.helo;
  out.mail_from = request.mail_from;
  auto chosen = choose_identity(request, out);
  out.sender = chosen.local_part + "@" + chosen.domain;
  out.domain = chosen.domain;
  auto parsed_ip = parse_ip(request.client_ip);
  if (!parsed_ip) {
    out.result = spf_result::permerror;
    out.problem = fmt::format("invalid client IP address '{}'", request.client_ip);
    out.steps.push_back({0, out.problem});
    co_return out;
  }
  auto client = unmap_ipv4(*parsed_ip);  // section 5: IPv4-mapped clients are IPv4
  if (!is_checkable_domain(chosen.domain)) {
    out.result = spf_result::none;
    out.steps.push_back({0, fmt::format("'{}' is not a fully qualified domain name: none", chosen.domain)});
    co_return out;
  }
  spf_evaluator evaluator(resolver, request, client, base_values(request, client, chosen), out);
  auto outcome = co_await evaluator.check_host(chosen.domain, 0);
  out.result = outcome.result;
  out.problem = outcome.problem;
  if (out.result == spf_result::fail) out.explanation = co_await evaluator.explanation(outcome);
  out.steps.push_back({0, fmt::format("result {}", spf_result_name(out.result))});
  co_return out;
}

}  // namespace sim::policy
