// sim/smtp/reply.cpp - reply formatting and the incremental reply parser.
#include "sim/smtp/reply.hpp"

#include <cctype>
#include <charconv>

#include "sim/smtp/limits.hpp"

namespace sim::smtp {
namespace {

bool digits(std::string_view s, std::size_t min, std::size_t max) {
  if (s.size() < min || s.size() > max) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

const std::string& reply::text() const {
  static const std::string empty;
  return lines.empty() ? empty : lines.front();
}

bool is_enhanced_status(std::string_view s) {
  auto first = s.find('.');
  auto second = first == std::string_view::npos ? first : s.find('.', first + 1);
  if (second == std::string_view::npos) return false;
  auto cls = s.substr(0, first);
  if (cls != "2" && cls != "4" && cls != "5") return false;
  return digits(s.substr(first + 1, second - first - 1), 1, 3) && digits(s.substr(second + 1), 1, 3);
}

// RFC 5321 4.2.1: "250-" on every line but the last, "250 " on the last;
// RFC 2034 3: the enhanced status after the code on every line.
void append_reply(const reply& r, std::string& out, std::vector<std::size_t>* ends) {
  static const std::string empty;
  std::size_t count = r.lines.empty() ? 1 : r.lines.size();
  char code[16];
  auto code_size = std::to_chars(code, code + sizeof code, r.code).ptr - code;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string& text = r.lines.empty() ? empty : r.lines[i];
    out.append(code, static_cast<std::size_t>(code_size));
    out += i + 1 < count ? '-' : ' ';
    if (!r.enhanced.empty()) {
      out += r.enhanced;
      if (!text.empty()) out += ' ';
    }
    out += text;
    if (ends) ends->push_back(out.size());
    out += "\r\n";
  }
}

std::vector<std::string> wire_lines(const reply& r) {
  std::string wire;
  std::vector<std::size_t> ends;
  append_reply(r, wire, &ends);
  std::vector<std::string> out;
  std::size_t start = 0;
  for (auto end : ends) {
    out.emplace_back(wire, start, end - start);
    start = end + 2;
  }
  return out;
}

std::string format_reply(const reply& r) {
  std::string out;
  append_reply(r, out);
  return out;
}

std::size_t reply_parser::feed(std::string_view input) {
  std::size_t used = 0;
  while (used < input.size() && state_ == status::need_more) {
    // A line's text (or what has arrived of it) in one piece.
    std::size_t lf = input.find('\n', used);
    std::size_t end = lf == std::string_view::npos ? input.size() : lf;
    std::string_view text = input.substr(used, end - used);
    // RFC 5321 4.5.3.1.5: 512 octets including the CRLF.  The first octet
    // past the limit ends the reading there.
    std::size_t room = limits::reply_line - 1 - line_.size();  // octets that still fit
    if (text.size() > room || (text.size() == room && !text.empty() && text.back() != '\r')) {
      std::size_t take = text.size() > room ? room + 1 : room;
      if (text.size() > room && room > 0 && text[room - 1] != '\r') take = room;
      line_.append(text.substr(0, take));
      used += take;
      state_ = status::malformed;
      error_ = "reply line too long";
      break;
    }
    line_.append(text);
    used = end;
    if (lf == std::string_view::npos) break;
    ++used;  // the LF
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    end_line();
    line_.clear();
  }
  return used;
}

// RFC 5321 4.2: Reply-code [ ("-" / SP) textstring ] CRLF; every line of a
// multiline reply repeats the same code.
void reply_parser::end_line() {
  std::string_view l = line_;
  if (!digits(l.substr(0, 3), 3, 3) || l[0] < '2' || l[0] > '5' || (l.size() > 3 && l[3] != '-' && l[3] != ' ')) {
    state_ = status::malformed;
    error_ = "malformed reply line";
    return;
  }
  int code = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');  // three digits, checked above
  if (started_ && code != current_.code) {
    state_ = status::malformed;
    error_ = "reply code changed inside a multiline reply";
    return;
  }
  bool more = l.size() > 3 && l[3] == '-';
  std::string_view text = l.size() > 4 ? l.substr(4) : std::string_view{};
  std::string_view enh = text.substr(0, text.find(' '));
  if (!started_) {
    current_.code = code;
    // RFC 2034: the enhanced status's class must match the reply's.
    if (is_enhanced_status(enh) && enh[0] == l[0]) current_.enhanced = std::string(enh);
  }
  if (!current_.enhanced.empty() && enh == current_.enhanced)
    text = text.size() > enh.size() ? text.substr(enh.size() + 1) : std::string_view{};
  current_.lines.emplace_back(text);
  started_ = true;
  if (!more) state_ = status::complete;
}

reply reply_parser::take() {
  reply out = std::move(current_);
  current_ = reply{};
  started_ = false;
  state_ = status::need_more;
  error_.clear();
  return out;
}

}  // namespace sim::smtp
