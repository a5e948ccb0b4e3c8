// sim/smtp/command.cpp - command lines, MAIL and RCPT syntax (RFC 5321 4.1.1, 4.1.2).
#include "sim/smtp/command.hpp"

#include <array>
#include <cctype>
#include <limits>
#include <utility>

#include "sim/smtp/limits.hpp"
#include "sim/smtp/xtext.hpp"
#include "sim/core/ascii.hpp"

namespace sim::smtp {
namespace {

constexpr std::array<std::pair<std::string_view, verb>, 17> verbs{{
    {"EHLO", verb::ehlo}, {"HELO", verb::helo}, {"LHLO", verb::lhlo}, {"MAIL", verb::mail},
    {"RCPT", verb::rcpt}, {"DATA", verb::data}, {"RSET", verb::rset}, {"NOOP", verb::noop},
    {"QUIT", verb::quit}, {"VRFY", verb::vrfy}, {"HELP", verb::help}, {"AUTH", verb::auth},
    {"STARTTLS", verb::starttls}, {"EXPN", verb::expn}, {"BDAT", verb::bdat}, {"ETRN", verb::etrn},
    {"TURN", verb::turn},
}};

reply syntax(std::string text) { return reply{501, "5.5.4", std::move(text)}; }

// Finds the end of "<...>" starting at s[0] == '<', skipping quoted parts.
std::size_t path_end(std::string_view s) {
  bool quoted = false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (quoted && s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      quoted = !quoted;
    } else if (!quoted && s[i] == '>') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

struct split_argument {
  std::string_view path;
  std::vector<std::pair<std::string, std::string_view>> params;  // KEYWORD, value
  bool ok = false;
};

// "FROM:<path> KEY=value KEY" (RFC 5321 4.1.2 Mail-parameters).  Spaces
// after the colon are tolerated, as Postfix does.
split_argument split(std::string_view arg, std::string_view prefix) {
  split_argument out;
  if (arg.size() < prefix.size() || ascii::to_upper(arg.substr(0, prefix.size())) != prefix) return out;
  arg.remove_prefix(prefix.size());
  while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
  if (arg.empty() || arg.front() != '<') return out;
  auto end = path_end(arg);
  if (end == std::string_view::npos) return out;
  out.path = arg.substr(0, end);
  arg.remove_prefix(end);
  if (!arg.empty() && arg.front() != ' ') return out;
  while (!arg.empty()) {
    while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
    if (arg.empty()) break;
    auto word = arg.substr(0, arg.find(' '));
    arg.remove_prefix(word.size());
    auto eq = word.find('=');
    out.params.emplace_back(ascii::to_upper(word.substr(0, eq)),
                            eq == std::string_view::npos ? std::string_view{} : word.substr(eq + 1));
  }
  out.ok = true;
  return out;
}

// RFC 5321 4.1.2 esmtp-keyword and esmtp-value.
bool valid_param(const std::string& key, std::string_view value, bool has_value) {
  if (key.empty() || !std::isalnum(static_cast<unsigned char>(key[0]))) return false;
  for (char c : key)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  if (has_value && value.empty()) return false;
  for (char c : value)
    if (c < 33 || c > 126 || c == '=') return false;
  return true;
}

// RFC 1870 section 3: size-value ::= 1*20DIGIT.  A value past 2^64 - 1
// is held as that maximum: it is still a size, and too big (552), not a
// syntax error.
std::optional<std::uint64_t> parse_size(std::string_view v) {
  if (v.empty() || v.size() > 20) return std::nullopt;
  constexpr std::uint64_t most = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t n = 0;
  for (char c : v) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    auto digit = static_cast<std::uint64_t>(c - '0');
    n = n > (most - digit) / 10 ? most : n * 10 + digit;
  }
  return n;
}

// RFC 3461 sections 4.2 and 4.4: ENVID and ORCPT are printable text once
// xtext-decoded; a control octet (NUL, CR, LF...) could only end up in a
// DSN's header fields (RFC 5322 section 2.2 forbids it), so it is refused,
// as Postfix refuses it ("Bad ORCPT parameter syntax").
bool printable(std::string_view decoded) {
  for (char ch : decoded) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 32 || c == 127) return false;
  }
  return true;
}

std::optional<reply> path_reply(path_error e, bool sender) {
  std::string code = sender ? "5.1.7" : "5.1.3";
  std::string who = sender ? "sender" : "recipient";
  switch (e) {
    case path_error::none: return std::nullopt;
    case path_error::syntax: return reply{501, code, "Bad " + who + " address syntax"};
    case path_error::too_long: return reply{501, code, "Path too long"};
    case path_error::local_part_too_long: return reply{501, code, "Local part too long"};
    case path_error::domain_too_long: return reply{501, code, "Domain too long"};
  }
  return std::nullopt;
}

}  // namespace

command parse_command(std::string_view line) {
  command out;
  auto space = line.find(' ');
  out.name = ascii::to_upper(line.substr(0, space));
  if (space != std::string_view::npos) out.argument = std::string(line.substr(space + 1));
  for (auto& [name, v] : verbs)
    if (out.name == name) {
      out.what = v;
      break;
    }
  return out;
}

bool has_control_bytes(std::string_view line) {
  for (char ch : line) {
    auto c = static_cast<unsigned char>(ch);
    if ((c < 32 && c != '\t') || c == 127) return true;
  }
  return false;
}

namespace {

// One MAIL parameter into `p`; the error reply when it is wrong.
std::optional<reply> mail_param(mail_parameters& p, const std::string& key, std::string_view v) {
  auto bad = [&] { return syntax("Bad " + key + " parameter syntax"); };
  if (key == "SIZE") {
    if (p.size || !(p.size = parse_size(v))) return bad();
  } else if (key == "BODY") {
    if (p.body != body_type::unspecified) return bad();
    auto u = ascii::to_upper(v);
    if (u == "7BIT") p.body = body_type::seven_bit;
    else if (u == "8BITMIME") p.body = body_type::eight_bit_mime;
    else return bad();
  } else if (key == "SMTPUTF8") {
    if (p.smtputf8 || !v.empty()) return bad();
    p.smtputf8 = true;
  } else if (key == "RET") {
    if (p.ret != dsn_ret::unspecified) return bad();
    auto u = ascii::to_upper(v);
    if (u == "FULL") p.ret = dsn_ret::full;
    else if (u == "HDRS") p.ret = dsn_ret::hdrs;
    else return bad();
  } else if (key == "ENVID") {
    if (p.envid || !(p.envid = xtext_decode(v)) || p.envid->size() > limits::envid || !printable(*p.envid)) return bad();
  } else if (key == "AUTH") {
    if (p.auth || !(p.auth = xtext_decode(v))) return bad();
  } else {
    return reply{555, "5.5.4", "Unsupported option: " + key};
  }
  return std::nullopt;
}

std::optional<dsn_notify> parse_notify(std::string_view v) {
  dsn_notify n;
  for (std::size_t start = 0; start <= v.size();) {
    auto comma = v.find(',', start);
    auto word = ascii::to_upper(v.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    bool* flag = word == "NEVER" ? &n.never : word == "SUCCESS" ? &n.success
               : word == "FAILURE" ? &n.failure : word == "DELAY" ? &n.delay : nullptr;
    if (!flag || *flag) return std::nullopt;
    *flag = true;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (n.never && (n.success || n.failure || n.delay)) return std::nullopt;
  return n;
}

std::optional<reply> rcpt_param(rcpt_parameters& p, const std::string& key, std::string_view v) {
  auto bad = [&] { return syntax("Bad " + key + " parameter syntax"); };
  if (key == "NOTIFY") {
    if (p.notify || !(p.notify = parse_notify(v))) return bad();
  } else if (key == "ORCPT") {
    auto semi = v.find(';');
    if (p.orcpt || semi == std::string_view::npos || semi == 0) return bad();
    auto addr = xtext_decode(v.substr(semi + 1));
    if (!addr || addr->empty() || !printable(*addr)) return bad();
    p.orcpt = original_recipient{std::string(v.substr(0, semi)), *addr};
  } else {
    return reply{555, "5.5.4", "Unsupported option: " + key};
  }
  return std::nullopt;
}

}  // namespace

parsed<mail_command> parse_mail(std::string_view argument) {
  auto parts = split(argument, "FROM:");
  if (!parts.ok) return {std::nullopt, syntax("Syntax: MAIL FROM:<address>")};
  auto path = parse_path(parts.path, path_kind::reverse);
  if (auto err = path_reply(path.error, true)) return {std::nullopt, *err};
  mail_command out{std::move(path.box), {}};
  for (auto& [key, value] : parts.params) {
    if (!valid_param(key, value, key != "SMTPUTF8")) return {std::nullopt, syntax("Bad parameter syntax")};
    if (auto err = mail_param(out.params, key, value)) return {std::nullopt, *err};
  }
  return {std::move(out), {}};
}

parsed<rcpt_command> parse_rcpt(std::string_view argument) {
  auto parts = split(argument, "TO:");
  if (!parts.ok) return {std::nullopt, syntax("Syntax: RCPT TO:<address>")};
  auto path = parse_path(parts.path, path_kind::forward);
  if (auto err = path_reply(path.error, false)) return {std::nullopt, *err};
  rcpt_command out{std::move(*path.box), {}};
  for (auto& [key, value] : parts.params) {
    if (!valid_param(key, value, true)) return {std::nullopt, syntax("Bad parameter syntax")};
    if (auto err = rcpt_param(out.params, key, value)) return {std::nullopt, *err};
  }
  return {std::move(out), {}};
}

std::string format_mail(const mail_command& m) {
  std::string out = "MAIL FROM:" + path_text(m.reverse_path);
  const auto& p = m.params;
  if (p.size) out += " SIZE=" + std::to_string(*p.size);
  if (p.body != body_type::unspecified) out += p.body == body_type::seven_bit ? " BODY=7BIT" : " BODY=8BITMIME";
  if (p.smtputf8) out += " SMTPUTF8";
  if (p.ret != dsn_ret::unspecified) out += p.ret == dsn_ret::full ? " RET=FULL" : " RET=HDRS";
  if (p.envid) out += " ENVID=" + xtext_encode(*p.envid);
  if (p.auth) out += " AUTH=" + (*p.auth == "<>" ? std::string("<>") : xtext_encode(*p.auth));
  return out;
}

std::string format_rcpt(const rcpt_command& r) {
  std::string out = "RCPT TO:<";
  out.append(r.forward_path.text()).push_back('>');
  if (const auto& n = r.params.notify) {
    std::string list;
    for (auto [flag, name] : {std::pair{n->never, "NEVER"}, {n->success, "SUCCESS"}, {n->failure, "FAILURE"},
                              {n->delay, "DELAY"}})
      if (flag) {
        if (!list.empty()) list += ',';
        list += name;
      }
    out += " NOTIFY=" + list;
  }
  if (const auto& o = r.params.orcpt) out += " ORCPT=" + o->addr_type + ";" + xtext_encode(o->address);
  return out;
}

std::string mask_auth_line(std::string_view line) {
  // Only AUTH lines change; everything else is copied as it is.
  std::string_view first = line.substr(0, line.find(' '));
  if (first.size() != 4 || ascii::to_upper(first) != "AUTH") return std::string(line);
  auto cmd = parse_command(line);
  if (cmd.what != verb::auth) return std::string(line);
  auto space = cmd.argument.find(' ');
  if (space == std::string::npos) return std::string(line);
  return std::string(line.substr(0, line.size() - cmd.argument.size() + space)) + " ********";
}

}  // namespace sim::smtp
