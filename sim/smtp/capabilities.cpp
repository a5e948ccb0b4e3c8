// sim/smtp/capabilities.cpp - EHLO keyword lines, read and written.
#include "sim/smtp/capabilities.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "sim/core/ascii.hpp"

namespace sim::smtp {
namespace {

bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// The next white-space separated word of `rest` ("" at the end), as
// `std::istream >> std::string` reads it.
std::string_view next_word(std::string_view& rest) {
  std::size_t start = 0;
  while (start < rest.size() && is_space(rest[start])) ++start;
  std::size_t end = start;
  while (end < rest.size() && !is_space(rest[end])) ++end;
  std::string_view word = rest.substr(start, end - start);
  rest.remove_prefix(end);
  return word;
}

// RFC 1870 3: "SIZE" [SP number]; 0 when the number is missing or too big.
std::uint64_t size_of(std::string_view word) {
  if (word.starts_with('+')) word.remove_prefix(1);
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), n);
  (void)end;
  return ec == std::errc() ? n : 0;
}

}  // namespace

bool capabilities::offers_auth(std::string_view mechanism) const {
  return std::find(auth.begin(), auth.end(), mechanism) != auth.end();
}

capabilities parse_capabilities(const reply& ehlo) {
  capabilities caps;
  for (std::size_t i = 1; i < ehlo.lines.size(); ++i) {
    std::string_view words = ehlo.lines[i];
    std::string keyword = ascii::to_upper(next_word(words));
    if (keyword == "PIPELINING") {
      caps.pipelining = true;
    } else if (keyword == "SIZE") {
      caps.size = size_of(next_word(words));
    } else if (keyword == "8BITMIME") {
      caps.eight_bit_mime = true;
    } else if (keyword == "ENHANCEDSTATUSCODES") {
      caps.enhanced_status_codes = true;
    } else if (keyword == "DSN") {
      caps.dsn = true;
    } else if (keyword == "STARTTLS") {
      caps.starttls = true;
    } else if (keyword == "SMTPUTF8") {
      caps.smtputf8 = true;
    } else if (keyword == "AUTH") {
      for (auto mech = next_word(words); !mech.empty(); mech = next_word(words)) caps.auth.push_back(ascii::to_upper(mech));
    }
  }
  return caps;
}

std::vector<std::string> capability_lines(const capabilities& caps) {
  std::vector<std::string> out;
  auto add = [&out](std::string_view keyword) { out.emplace_back(keyword); };
  if (caps.pipelining) add("PIPELINING");
  if (caps.size) add(fmt::format("SIZE {}", *caps.size));
  if (caps.starttls) add("STARTTLS");
  if (!caps.auth.empty()) {
    std::string line = "AUTH";
    for (const auto& m : caps.auth) line.append(" ").append(m);
    add(line);
  }
  if (caps.enhanced_status_codes) add("ENHANCEDSTATUSCODES");
  if (caps.eight_bit_mime) add("8BITMIME");
  if (caps.dsn) add("DSN");
  if (caps.smtputf8) add("SMTPUTF8");
  return out;
}

}  // namespace sim::smtp
