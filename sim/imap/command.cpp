// sim/imap/command.cpp - IMAP commands: tag, name, and the trace's view of a line.
#include "sim/imap/command.hpp"

#include <algorithm>
#include <cctype>

#include "sim/imap/limits.hpp"
#include "sim/imap/syntax.hpp"
#include "sim/core/ascii.hpp"

namespace sim::imap {

namespace {

// Commands that take a UID prefix (RFC 9051 §6.4.9, RFC 6851, RFC 4315).
bool uid_form(std::string_view name) {
  return name == "FETCH" || name == "STORE" || name == "SEARCH" || name == "COPY" || name == "MOVE" ||
         name == "EXPUNGE";
}

// The text with every literal's octets left out (its "{n}" kept).
std::string without_literals(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto crlf = text.find("\r\n", pos);
    auto line = text.substr(pos, crlf == std::string_view::npos ? std::string_view::npos : crlf - pos);
    out += line;
    if (crlf == std::string_view::npos) break;
    pos = crlf + 2;
    if (auto ann = literal_at_end(line)) pos += static_cast<std::size_t>(std::min<std::uint64_t>(ann->size, text.size() - pos));
  }
  return out;
}

}  // namespace

split_result split_command(std::string_view text) {
  split_result out;
  parser p(text);
  auto tag = p.tag();
  if (!tag || tag->size() > limits::tag_length || !p.space()) {
    out.error = tag ? "command name expected after the tag" : "invalid or missing tag";
    if (tag && tag->size() <= limits::tag_length) out.tag = std::move(tag);
    return out;
  }
  out.tag = *tag;
  auto name = p.atom();
  if (!name) {
    out.error = "command name expected after the tag";
    return out;
  }
  command_head head{*tag, ascii::to_upper(*name), false};
  if (head.name == "UID") {
    auto sub = p.space() ? p.atom() : std::nullopt;
    if (!sub || !uid_form(ascii::to_upper(*sub))) {
      out.error = "UID must be followed by FETCH, STORE, SEARCH, COPY, MOVE or EXPUNGE";
      return out;
    }
    head.name = ascii::to_upper(*sub);
    head.uid = true;
  }
  if (!p.at_end() && !p.space()) {
    out.error = "invalid command name";
    return out;
  }
  out.arguments_at = p.position();
  out.head = std::move(head);
  return out;
}

std::string display_command(std::string_view text) {
  auto split = split_command(text);
  if (split.head && (split.head->name == "LOGIN" || split.head->name == "AUTHENTICATE")) {
    // Keep the tag, the name and the first argument (user or mechanism).
    parser p(text);
    p.seek(split.arguments_at);
    if (p.astring() && p.space()) return without_literals(text.substr(0, p.position())) + "********";
  }
  return without_literals(text);
}

}  // namespace sim::imap
