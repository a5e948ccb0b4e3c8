// sim/policy/spf_evaluator.hpp - the state of one SPF evaluation (internal).
//
// Shared by spf_eval.cpp (check_host, modifiers, explanation) and
// spf_mechanisms.cpp (one function per mechanism).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fake_dns/resolver.hpp"
#include "sim/core/asio.hpp"
#include "sim/policy/ip_address.hpp"
#include "sim/policy/spf_eval.hpp"
#include "sim/policy/spf_macro.hpp"
#include "sim/policy/spf_record.hpp"

namespace sim::policy {

// Section 4.6.4 processing limits.
inline constexpr int spf_max_dns_terms = 10;
inline constexpr int spf_max_void_lookups = 2;
inline constexpr std::size_t spf_max_mx_names = 10;
inline constexpr std::size_t spf_max_ptr_names = 10;

// What check_host() returned, and where a fail's explanation comes from.
struct spf_host_outcome {
  spf_result result = spf_result::none;
  std::string problem;
  std::string domain;                    // %{d} of the deciding record
  std::optional<spf_macro_string> exp;   // its exp=, if any
};

// A mechanism matched, did not, or ended evaluation with an error.
struct spf_term_outcome {
  bool matched = false;
  std::optional<spf_result> error;
  std::string problem;

  static spf_term_outcome fail_with(spf_result result, std::string why) { return {false, result, std::move(why)}; }
};

class spf_evaluator {
 public:
  spf_evaluator(dns::resolver& resolver, const spf_request& request, ip_address client, spf_macro_values base,
                spf_evaluation& out);

  asio::awaitable<spf_host_outcome> check_host(std::string domain, int depth);
  asio::awaitable<std::string> explanation(const spf_host_outcome& outcome);

 private:
  asio::awaitable<spf_term_outcome> evaluate(const spf_mechanism& mechanism, const std::string& domain, int depth);
  asio::awaitable<spf_term_outcome> match_include(const std::string& target, int depth);
  asio::awaitable<spf_term_outcome> match_a(const std::string& target, const spf_mechanism& mechanism, int depth);
  asio::awaitable<spf_term_outcome> match_mx(const std::string& target, const spf_mechanism& mechanism, int depth);
  asio::awaitable<spf_term_outcome> match_ptr(const std::string& target, int depth);
  asio::awaitable<spf_term_outcome> match_exists(const std::string& target, int depth);
  asio::awaitable<spf_host_outcome> follow_redirect(const spf_record& record, const std::string& domain, int depth);

  // Client addresses among `name`'s A/AAAA records; error set on DNS failure.
  asio::awaitable<spf_term_outcome> match_host_addresses(const std::string& name, int prefix_length, int depth,
                                                        bool count_void);
  asio::awaitable<std::vector<std::string>> ptr_names(int depth, bool& failed, bool& is_void);
  asio::awaitable<bool> validates(const std::string& name, int depth);
  asio::awaitable<std::string> validated_name(const std::string& domain, int depth);

  // Expands a domain-spec for `domain` (looking up %{p} when used);
  // nullopt when the result is not a name DNS can be asked about.
  asio::awaitable<std::optional<std::string>> target_name(const spf_macro_string& spec, const std::string& domain,
                                                          int depth);
  asio::awaitable<dns::answer> lookup(const std::string& name, dns::rr_type type, int depth);
  // Counts a void lookup (section 4.6.4); true when past the limit.
  bool count_void(int depth);
  // Counts a DNS-querying term; true when past the limit of 10.
  bool count_term(const std::string& text, int depth);
  void step(int depth, std::string text);

  dns::resolver& resolver_;
  const spf_request& request_;
  ip_address client_;
  spf_macro_values base_;
  spf_evaluation& out_;
};

// Records of `type` in an answer (CNAMEs of the chain left out).
std::vector<const dns::record*> records_of(const dns::answer& answer, dns::rr_type type);
// An answer that is neither NOERROR nor NXDOMAIN: SERVFAIL, timeout, ...
bool is_dns_error(const dns::answer& answer);
std::string lower_name(std::string name);

}  // namespace sim::policy
