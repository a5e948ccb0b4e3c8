// sim/policy/spf_report.cpp - Received-SPF, `mailsim spf` output, SPF policy check.
#include "sim/policy/spf_report.hpp"

#include <fmt/format.h>

namespace sim::policy {
namespace {

bool is_ascii_atext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// RFC 5322 dot-atom, or a quoted-string (section 9.1 key-value-pair).
std::string header_value(std::string_view value) {
  bool dot_atom = !value.empty() && value.front() != '.' && value.back() != '.' &&
                  value.find("..") == std::string_view::npos;
  for (char c : value) dot_atom = dot_atom && (is_ascii_atext(c) || c == '.');
  if (dot_atom) return std::string(value);
  std::string quoted = "\"";
  for (char c : value) {
    if (c < 0x20 || c > 0x7e) continue;  // not representable in a header
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

// Comments may not hold unbalanced parentheses or control characters.
std::string comment_safe(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) continue;
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string spf_comment(const spf_evaluation& e) {
  auto who = e.identity == "helo" ? e.domain : e.sender;
  switch (e.result) {
    case spf_result::pass: return fmt::format("domain of {} designates {} as permitted sender", who, e.client_ip);
    case spf_result::fail:
      return fmt::format("domain of {} does not designate {} as permitted sender", who, e.client_ip);
    case spf_result::softfail:
      return fmt::format("transitioning domain of {} does not designate {} as permitted sender", who, e.client_ip);
    case spf_result::neutral: return fmt::format("{} is neither permitted nor denied by domain of {}", e.client_ip, who);
    case spf_result::none: return fmt::format("domain of {} does not publish an SPF record", who);
    case spf_result::temperror:
    case spf_result::permerror: return fmt::format("error in processing during lookup of {}: {}", who, e.problem);
  }
  return {};
}

std::string received_spf_header(const spf_evaluation& e, std::string_view reporter) {
  auto text = fmt::format("Received-SPF: {} ({}: {}) client-ip={}; envelope-from={}; helo={};",
                          spf_result_name(e.result), reporter.empty() ? "mailsim" : reporter,
                          comment_safe(spf_comment(e)), header_value(e.client_ip), header_value(e.mail_from),
                          header_value(e.helo));
  if (e.result == spf_result::temperror || e.result == spf_result::permerror)
    text += fmt::format(" problem={};", header_value(e.problem));
  text += fmt::format(" identity={};", e.identity);
  return text;
}

std::string format_spf_output(const spf_evaluation& e) {
  std::string out = fmt::format("{}\n", spf_result_name(e.result));
  if (e.result == spf_result::fail) out += fmt::format("explanation: {}\n", e.explanation);
  if (!e.problem.empty()) out += fmt::format("problem: {}\n", e.problem);
  out += fmt::format("identity: {} {}\n", e.identity, e.sender);
  for (const auto& step : e.steps)
    out += fmt::format("{}{}\n", std::string(static_cast<std::size_t>(step.depth) * 2 + 2, ' '), step.text);
  out += fmt::format("DNS-querying terms: {} of 10; void lookups: {} of 2\n", e.lookups, e.void_lookups);
  return out;
}

check_result spf_check(const spf_evaluation& e, spf_mode mode) {
  check_result check{"spf", std::string(spf_result_name(e.result)), spf_comment(e), std::nullopt};
  if (mode != spf_mode::reject) return check;
  if (e.result == spf_result::fail)
    check.reply = reply{550, "5.7.23", fmt::format("SPF validation failed: {}", e.explanation)};
  else if (e.result == spf_result::temperror)
    check.reply = reply{451, "4.7.24", fmt::format("SPF validation error: {}", e.problem)};
  return check;
}

}  // namespace sim::policy
