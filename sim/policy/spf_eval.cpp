// sim/policy/spf_eval.cpp - check_host(), modifiers and the explanation (RFC 7208 4, 6).
#include "sim/policy/spf_eval.hpp"

#include <fmt/format.h>

#include "sim/policy/spf_evaluator.hpp"

namespace sim::policy {
namespace {

std::string_view qtype_label(dns::rr_type type) {
  switch (type) {
    case dns::rr_type::A: return "A";
    case dns::rr_type::AAAA: return "AAAA";
    case dns::rr_type::MX: return "MX";
    case dns::rr_type::PTR: return "PTR";
    case dns::rr_type::TXT: return "TXT";
    default: return "other";
  }
}

std::string_view rcode_label(dns::rcode code) {
  switch (code) {
    case dns::rcode::noerror: return "NOERROR";
    case dns::rcode::formerr: return "FORMERR";
    case dns::rcode::servfail: return "SERVFAIL";
    case dns::rcode::nxdomain: return "NXDOMAIN";
    case dns::rcode::notimp: return "NOTIMP";
    case dns::rcode::refused: return "REFUSED";
    case dns::rcode::timeout: return "timeout";
  }
  return "unknown";
}

std::string record_text(const dns::record& record) {
  if (record.type == dns::rr_type::MX) return fmt::format("{} {}", record.preference, record.data);
  if (record.type != dns::rr_type::TXT) return record.data;
  std::string joined;
  for (const auto& piece : record.strings) joined += piece;
  return fmt::format("\"{}\"", joined);
}

std::string describe(const dns::answer& answer, dns::rr_type type) {
  auto records = records_of(answer, type);
  if (answer.code != dns::rcode::noerror || records.empty())
    return answer.code == dns::rcode::noerror ? "NOERROR, no records" : std::string(rcode_label(answer.code));
  std::string text = "NOERROR:";
  for (const auto* record : records) {
    text += ' ';
    text += record_text(*record);
  }
  return text;
}

std::string joined_strings(const dns::record& record) {
  std::string joined;
  for (const auto& piece : record.strings) joined += piece;
  return joined;
}

}  // namespace

std::vector<const dns::record*> records_of(const dns::answer& answer, dns::rr_type type) {
  std::vector<const dns::record*> records;
  for (const auto& record : answer.records)
    if (record.type == type) records.push_back(&record);
  return records;
}

bool is_dns_error(const dns::answer& answer) {
  return answer.code != dns::rcode::noerror && answer.code != dns::rcode::nxdomain;
}

std::string lower_name(std::string name) {
  for (auto& c : name)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return name;
}

spf_evaluator::spf_evaluator(dns::resolver& resolver, const spf_request& request, ip_address client,
                             spf_macro_values base, spf_evaluation& out)
    : resolver_(resolver), request_(request), client_(client), base_(std::move(base)), out_(out) {}

void spf_evaluator::step(int depth, std::string text) { out_.steps.push_back({depth, std::move(text)}); }

asio::awaitable<dns::answer> spf_evaluator::lookup(const std::string& name, dns::rr_type type, int depth) {
  auto answer = co_await resolver_.query(request_.asker, name, type);
  step(depth, fmt::format("dns {} {} -> {}", name, qtype_label(type), describe(answer, type)));
  co_return answer;
}

bool spf_evaluator::count_void(int depth) {
  ++out_.void_lookups;
  step(depth, fmt::format("void lookup {} of {}", out_.void_lookups, spf_max_void_lookups));
  return out_.void_lookups > spf_max_void_lookups;
}

bool spf_evaluator::count_term(const std::string& text, int depth) {
  ++out_.lookups;
  step(depth, fmt::format("{}: DNS term {} of {}", text, out_.lookups, spf_max_dns_terms));
  return out_.lookups > spf_max_dns_terms;
}

asio::awaitable<std::optional<std::string>> spf_evaluator::target_name(const spf_macro_string& spec,
                                                                      const std::string& domain, int depth) {
  auto values = base_;
  values.domain = domain;
  if (spec.uses('p')) values.validated_name = co_await validated_name(domain, depth);
  auto name = spf_query_name(expand_spf_macros(spec, values));
  if (!is_valid_dns_name(name)) {
    // Sections 4.8 and 7.3 leave this open; like RFC 7208 4.3 for the
    // checked domain, a name DNS cannot be asked about does not exist.
    step(depth, fmt::format("'{}' is not a valid domain name: no match", name));
    co_return std::nullopt;
  }
  co_return name;
}

asio::awaitable<spf_host_outcome> spf_evaluator::check_host(std::string domain, int depth) {
  step(depth, fmt::format("check_host({}, {})", domain, format_ip(client_)));
  spf_host_outcome outcome{spf_result::none, {}, domain, std::nullopt};
  auto answer = co_await lookup(domain, dns::rr_type::TXT, depth);
  if (is_dns_error(answer)) {  // section 4.4
    outcome.result = spf_result::temperror;
    outcome.problem = fmt::format("DNS {} looking up TXT {}", rcode_label(answer.code), domain);
    co_return outcome;
  }
  std::vector<std::vector<std::string>> txt;
  for (const auto* record : records_of(answer, dns::rr_type::TXT)) txt.push_back(record->strings);
  auto selection = select_spf_record(txt);
  if (selection.found != spf_selection::outcome::one) {  // section 4.5
    bool many = selection.found == spf_selection::outcome::many;
    outcome.result = many ? spf_result::permerror : spf_result::none;
    outcome.problem = many ? fmt::format("more than one v=spf1 record at {}", domain)
                           : fmt::format("no v=spf1 record at {}", domain);
    step(depth, outcome.problem);
    co_return outcome;
  }
  step(depth, fmt::format("record {}: {}", domain, selection.text));
  auto parsed = parse_spf_record(selection.text);
  if (!parsed.record) {
    outcome.result = spf_result::permerror;
    outcome.problem = fmt::format("syntax error in the record of {}: {}", domain, parsed.error);
    step(depth, outcome.problem);
    co_return outcome;
  }
  const auto& record = *parsed.record;
  for (const auto& mechanism : record.mechanisms) {
    if (mechanism.queries_dns() && count_term(mechanism.text, depth)) {
      outcome.result = spf_result::permerror;
      outcome.problem = fmt::format("more than {} DNS-querying terms", spf_max_dns_terms);
      co_return outcome;
    }
    auto term = co_await evaluate(mechanism, domain, depth);
    if (term.error) {
      outcome.result = *term.error;
      outcome.problem = term.problem;
      step(depth, fmt::format("{} -> {}: {}", mechanism.text, spf_result_name(*term.error), term.problem));
      co_return outcome;
    }
    if (term.matched) {
      step(depth, fmt::format("{} -> match: {}", mechanism.text, spf_result_name(mechanism.qualifier)));
      outcome.result = mechanism.qualifier;
      outcome.exp = record.exp;
      co_return outcome;
    }
    step(depth, fmt::format("{} -> no match", mechanism.text));
  }
  if (record.redirect) co_return co_await follow_redirect(record, domain, depth);
  step(depth, "no mechanism matched: neutral");  // section 4.7
  outcome.result = spf_result::neutral;
  co_return outcome;
}

// Section 6.1: check_host() again with the redirect target; its result,
// explanation included, replaces this record's.
asio::awaitable<spf_host_outcome> spf_evaluator::follow_redirect(const spf_record& record, const std::string& domain,
                                                                 int depth) {
  spf_host_outcome outcome{spf_result::permerror, {}, domain, std::nullopt};
  auto text = "redirect=" + record.redirect_text;
  if (count_term(text, depth)) {
    outcome.problem = fmt::format("more than {} DNS-querying terms", spf_max_dns_terms);
    co_return outcome;
  }
  auto target = co_await target_name(*record.redirect, domain, depth);
  if (!target) {
    outcome.problem = fmt::format("{}: invalid target name", text);
    co_return outcome;
  }
  auto result = co_await check_host(*target, depth + 1);
  if (result.result == spf_result::none) {
    outcome.problem = fmt::format("{}: {} has no SPF record", text, *target);
    step(depth, outcome.problem);
    co_return outcome;
  }
  co_return result;
}

// Section 6.2: the exp= TXT of the deciding record, expanded; the default
// explanation when exp= is absent or any step of it fails.
asio::awaitable<std::string> spf_evaluator::explanation(const spf_host_outcome& outcome) {
  auto values = base_;
  values.domain = outcome.domain;
  if (outcome.exp) {
    auto name = co_await target_name(*outcome.exp, outcome.domain, 0);
    if (name) {
      auto answer = co_await lookup(*name, dns::rr_type::TXT, 0);
      auto records = records_of(answer, dns::rr_type::TXT);
      if (answer.code == dns::rcode::noerror && records.size() == 1) {
        auto text = parse_spf_macro_string(joined_strings(*records[0]), spf_macro_context::explanation);
        if (text) {
          if (text->uses('p')) values.validated_name = co_await validated_name(outcome.domain, 0);
          co_return expand_spf_macros(*text, values);
        }
      }
    }
    step(0, "exp= unusable: default explanation");
  }
  auto text = parse_spf_macro_string(request_.default_explanation, spf_macro_context::explanation);
  if (!text) co_return request_.default_explanation;
  if (text->uses('p')) values.validated_name = co_await validated_name(outcome.domain, 0);
  co_return expand_spf_macros(*text, values);
}

}  // namespace sim::policy
