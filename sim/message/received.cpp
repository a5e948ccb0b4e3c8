// sim/message/received.cpp - format and read Received trace fields.
#include "sim/message/received.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/message/text.hpp"

namespace sim::message {

std::string received_protocol(bool tls, bool authenticated) {
  std::string out = "ESMTP";
  if (tls) out += 'S';
  if (authenticated) out += 'A';
  return out;
}

std::string tls_comment(const net::tls_info& tls) {
  return fmt::format("using {} with cipher {} ({}/{} bits)", tls.protocol, tls.cipher, tls.bits, tls.alg_bits);
}

std::string format_received(const received_stamp& stamp) {
  std::string out = "from " + stamp.helo + " (" + stamp.reverse_name.value_or("unknown") + " [" +
                    stamp.ip + "])";
  if (stamp.tls) out += "\n\t(" + tls_comment(*stamp.tls) + ")";
  out += "\n\tby " + stamp.by_host + " (mailsim) with " + stamp.protocol + " id " + stamp.queue_id;
  // RFC 5321 section 4.4: "for" names one recipient; with several it would
  // disclose the others (as Postfix, name it only when there is exactly one).
  if (stamp.recipients.size() == 1) {
    out += "\n\tfor <" + stamp.recipients.front() + ">; " + format_rfc5322_date(stamp.date);
  } else {
    out += ";\n\t" + format_rfc5322_date(stamp.date);
  }
  return out;
}

namespace {

struct token {
  std::string text;
  bool comment = false;  // "(...)", stored without the outer parentheses
};

std::vector<token> tokenize(std::string_view text) {
  std::vector<token> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t') { ++i; continue; }
    if (c == '(') {
      int depth = 0;
      std::size_t j = i;
      for (; j < text.size(); ++j) {
        if (text[j] == '(') ++depth;
        if (text[j] == ')' && --depth == 0) break;
      }
      tokens.push_back({std::string(text.substr(i + 1, std::min(j, text.size()) - i - 1)), true});
      i = j + 1;
      continue;
    }
    const auto end = text.find_first_of(" \t(", i);
    tokens.push_back({std::string(text.substr(i, end - i)), false});
    i = end == std::string_view::npos ? text.size() : end;
  }
  return tokens;
}

// "(mail.sender.test [192.0.2.25])", "(unknown [192.0.2.25])", "([192.0.2.25])".
void read_from_comment(std::string_view comment, received_fields& out) {
  const auto open = comment.find('[');
  const auto close = comment.find(']', open);
  if (open == std::string_view::npos || close == std::string_view::npos) return;
  std::string_view ip = comment.substr(open + 1, close - open - 1);
  if (ip.size() > 5 && iequals(ip.substr(0, 5), "IPv6:")) ip.remove_prefix(5);
  out.ip = std::string(ip);
  const auto before = trim(comment.substr(0, open));
  out.reverse_name = std::string(before.substr(0, before.find(' ')));
}

std::string strip_angles(std::string_view address) {
  if (address.starts_with('<')) address.remove_prefix(1);
  if (const auto close = address.find('>'); close != std::string_view::npos) address = address.substr(0, close);
  return std::string(trim(address));
}

}  // namespace

std::optional<received_fields> parse_received(std::string_view value) {
  const std::string text = unfold(value);
  const auto semicolon = text.rfind(';');
  received_fields out;
  if (semicolon != std::string::npos) out.date = std::string(trim(std::string_view(text).substr(semicolon + 1)));
  const auto tokens = tokenize(std::string_view(text).substr(0, semicolon));
  std::string clause;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const token& t = tokens[i];
    if (t.comment) {
      if (clause == "from") read_from_comment(t.text, out);
      continue;
    }
    clause = to_lower(t.text);
    if (i + 1 >= tokens.size() || tokens[i + 1].comment) continue;
    const std::string& word = tokens[++i].text;
    if (clause == "from") out.from_host = word;
    else if (clause == "by") out.by_host = word;
    else if (clause == "with") out.protocol = word;
    else if (clause == "id") out.id = word;
    else if (clause == "for") out.for_address = strip_angles(word);
  }
  if (out.ip.empty() && out.from_host.size() > 2 && out.from_host.front() == '[') {
    read_from_comment(out.from_host, out);  // an address literal: "[192.0.2.1]"
    out.reverse_name.clear();
  }
  if (out.by_host.empty()) return std::nullopt;
  return out;
}

std::vector<std::string> received_path(const message& m) {
  std::vector<std::string> path;
  const auto values = m.get_all("Received");
  for (auto it = values.rbegin(); it != values.rend(); ++it) {
    if (const auto fields = parse_received(*it)) path.push_back(fields->by_host);
  }
  return path;
}

}  // namespace sim::message
