// sim/pop3/response.cpp - POP3 responses: status lines and multi-line bodies.
#include "sim/pop3/response.hpp"

namespace sim::pop3 {

std::string ok_line(std::string_view text) {
  if (text.empty()) return "+OK\r\n";
  return "+OK " + std::string(text) + "\r\n";
}

std::string err_line(std::string_view text) {
  if (text.empty()) return "-ERR\r\n";
  return "-ERR " + std::string(text) + "\r\n";
}

std::string err_line(std::string_view code, std::string_view text) {
  return "-ERR [" + std::string(code) + "] " + std::string(text) + "\r\n";
}

std::string multiline_body(std::string_view content) {
  std::string out;
  out.reserve(content.size() + content.size() / 64 + 8);
  bool line_start = true;
  for (char c : content) {
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = c == '\n';
  }
  if (!content.empty() && content.back() != '\n') out += "\r\n";
  out += ".\r\n";
  return out;
}

std::string_view top_of(std::string_view content, std::size_t body_lines) {
  // Find the end of the blank line that closes the header.
  std::size_t pos = 0;
  std::size_t body = std::string_view::npos;
  while (pos < content.size()) {
    auto lf = content.find('\n', pos);
    if (lf == std::string_view::npos) break;
    auto line = content.substr(pos, lf - pos);
    pos = lf + 1;
    if (line.empty() || line == "\r") {
      body = pos;
      break;
    }
  }
  if (body == std::string_view::npos) return content;
  pos = body;
  for (std::size_t i = 0; i < body_lines && pos < content.size(); ++i) {
    auto lf = content.find('\n', pos);
    pos = lf == std::string_view::npos ? content.size() : lf + 1;
  }
  return content.substr(0, pos);
}

std::optional<status_line> parse_status(std::string_view line) {
  status_line out;
  std::string_view rest;
  if (line.starts_with("+OK")) {
    out.ok = true;
    rest = line.substr(3);
  } else if (line.starts_with("-ERR")) {
    rest = line.substr(4);
  } else {
    return std::nullopt;
  }
  if (!rest.empty() && rest.front() != ' ') return std::nullopt;  // "+OKAY" is not a status
  if (!rest.empty()) rest.remove_prefix(1);
  if (rest.starts_with('[')) {
    auto close = rest.find(']');
    if (close != std::string_view::npos) {
      out.code = std::string(rest.substr(1, close - 1));
      rest.remove_prefix(close + 1);
      if (rest.starts_with(' ')) rest.remove_prefix(1);
    }
  }
  out.text = std::string(rest);
  return out;
}

std::optional<std::string_view> unstuff(std::string_view line) {
  if (line == ".") return std::nullopt;
  if (line.starts_with('.')) line.remove_prefix(1);
  return line;
}

}  // namespace sim::pop3
