// sim/imap/envelope.cpp - the ENVELOPE of a message (RFC 9051 §7.5.2).
#include "sim/imap/envelope.hpp"

#include <fmt/format.h>

#include "sim/imap/syntax.hpp"
#include "sim/message/text.hpp"

namespace sim::imap {

namespace {

struct token {
  enum class kind { word, quoted, special } what;
  std::string text;
};

constexpr std::string_view specials = "<>@,;:";

// Words, quoted strings (unescaped) and the specials; comments and white
// space dropped; a domain literal "[...]" is one word.
std::vector<token> tokenize(std::string_view s) {
  std::vector<token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else if (c == '(') {
      int depth = 0;
      for (; i < s.size(); ++i) {
        if (s[i] == '\\') ++i;
        else if (s[i] == '(') ++depth;
        else if (s[i] == ')' && --depth == 0) break;
      }
      ++i;
    } else if (c == '"') {
      std::string text;
      for (++i; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        text += s[i];
      }
      ++i;
      out.push_back({token::kind::quoted, std::move(text)});
    } else if (specials.find(c) != std::string_view::npos) {
      out.push_back({token::kind::special, std::string(1, c)});
      ++i;
    } else {
      std::size_t start = i;
      if (c == '[') {
        i = s.find(']', i);
        i = i == std::string_view::npos ? s.size() : i + 1;
      } else {
        while (i < s.size() && specials.find(s[i]) == std::string_view::npos &&
               std::string_view(" \t\r\n(\"").find(s[i]) == std::string_view::npos) {
          ++i;
        }
      }
      out.push_back({token::kind::word, std::string(s.substr(start, i - start))});
    }
  }
  return out;
}

bool is_special(const token& t, char c) { return t.what == token::kind::special && t.text[0] == c; }

// local-part "@" domain from tokens [from, to); words join without spaces.
envelope_address addr_spec(const std::vector<token>& t, std::size_t from, std::size_t to) {
  std::string local, domain;
  bool at = false;
  for (std::size_t i = from; i < to; ++i) {
    if (is_special(t[i], '@') && !at) at = true;
    else (at ? domain : local) += t[i].text;
  }
  return {std::nullopt, std::nullopt, local, domain};
}

std::optional<std::string> phrase(const std::vector<token>& t, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    if (!out.empty()) out += ' ';
    out += t[i].text;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

// "<" [route ":"] addr-spec ">" starting at t[open]; returns the index after ">".
std::size_t angle_addr(const std::vector<token>& t, std::size_t open, envelope_address& a) {
  std::size_t close = open + 1;
  while (close < t.size() && !is_special(t[close], '>')) ++close;
  std::size_t spec = open + 1;
  for (std::size_t i = open + 1; i < close; ++i) {
    if (is_special(t[i], ':')) spec = i + 1;
  }
  if (spec > open + 1) {
    std::string route;
    for (std::size_t i = open + 1; i + 1 < spec; ++i) route += t[i].text;
    a.route = route;
  }
  auto parsed = addr_spec(t, spec, close);
  a.mailbox = parsed.mailbox;
  a.host = parsed.host;
  return close < t.size() ? close + 1 : close;
}

std::string format_address_list(const std::vector<envelope_address>& list) {
  if (list.empty()) return "NIL";
  std::string out = "(";
  for (const auto& a : list) {
    out += fmt::format("({} {} {} {})", format_nstring(a.name), format_nstring(a.route), format_nstring(a.mailbox),
                       format_nstring(a.host));
  }
  return out + ")";
}

}  // namespace

std::vector<envelope_address> parse_address_list(std::string_view value) {
  auto t = tokenize(value);
  std::vector<envelope_address> out;
  std::size_t start = 0;  // first token of the current address
  bool in_group = false;
  std::size_t i = 0;
  auto flush = [&](std::size_t end) {
    if (end > start) out.push_back(addr_spec(t, start, end));
  };
  while (i < t.size()) {
    if (is_special(t[i], '<')) {
      envelope_address a;
      a.name = phrase(t, start, i);
      i = angle_addr(t, i, a);
      out.push_back(std::move(a));
      start = i;
    } else if (is_special(t[i], ':') && !in_group) {
      out.push_back({std::nullopt, std::nullopt, phrase(t, start, i).value_or(""), std::nullopt});
      in_group = true;
      start = ++i;
    } else if (is_special(t[i], ';') && in_group) {
      flush(i);
      out.push_back({});
      in_group = false;
      start = ++i;
    } else if (is_special(t[i], ',')) {
      flush(i);
      start = ++i;
    } else {
      ++i;
    }
  }
  flush(t.size());
  if (in_group) out.push_back({});
  return out;
}

std::string format_envelope(const message::message& m) {
  auto field = [&m](std::string_view name) { return format_nstring(m.get(name)); };
  auto addresses = [&m](std::string_view name) -> std::vector<envelope_address> {
    auto value = m.get(name);
    return value ? parse_address_list(*value) : std::vector<envelope_address>{};
  };
  auto from = addresses("From");
  auto sender = addresses("Sender");
  auto reply_to = addresses("Reply-To");
  // RFC 9051 §7.5.2: absent or empty Sender and Reply-To are From.
  if (sender.empty()) sender = from;
  if (reply_to.empty()) reply_to = from;
  return fmt::format("({} {} {} {} {} {} {} {} {} {})", field("Date"), field("Subject"), format_address_list(from),
                     format_address_list(sender), format_address_list(reply_to), format_address_list(addresses("To")),
                     format_address_list(addresses("Cc")), format_address_list(addresses("Bcc")),
                     field("In-Reply-To"), field("Message-ID"));
}

}  // namespace sim::imap
