// sim/pop3/command.cpp - POP3 command lines: parse, mask, read numbers.
#include "sim/pop3/command.hpp"

#include "sim/pop3/limits.hpp"

namespace sim::pop3 {

namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace

command parse_command(std::string_view line) {
  auto space = line.find(' ');
  if (space == std::string_view::npos) return {upper(line), {}};
  return {upper(line.substr(0, space)), std::string(line.substr(space + 1))};
}

std::vector<std::string_view> split_arguments(std::string_view argument) {
  std::vector<std::string_view> out;
  if (argument.empty()) return out;
  std::size_t start = 0;
  while (true) {
    auto space = argument.find(' ', start);
    out.push_back(argument.substr(start, space - start));
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  return out;
}

std::optional<std::size_t> parse_number(std::string_view text) {
  if (text.empty() || text.size() > limits::max_number_digits) return std::nullopt;
  std::size_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::size_t>(c - '0');
  }
  return value;
}

std::string mask_command(std::string_view line) {
  if (parse_command(line).keyword != "PASS") return std::string(line);
  return std::string(line.substr(0, 4)) + " ********";
}

}  // namespace sim::pop3
