// sim/smtp/capabilities.cpp - EHLO keyword lines, read and written.
#include "sim/smtp/capabilities.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

#include <fmt/format.h>

namespace sim::smtp {
namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

bool capabilities::offers_auth(std::string_view mechanism) const {
  return std::find(auth.begin(), auth.end(), mechanism) != auth.end();
}

capabilities parse_capabilities(const reply& ehlo) {
  capabilities caps;
  for (std::size_t i = 1; i < ehlo.lines.size(); ++i) {
    std::istringstream words(ehlo.lines[i]);
    std::string keyword;
    words >> keyword;
    keyword = upper(keyword);
    if (keyword == "PIPELINING") {
      caps.pipelining = true;
    } else if (keyword == "SIZE") {
      std::uint64_t n = 0;
      caps.size = (words >> n) ? n : 0;
    } else if (keyword == "8BITMIME") {
      caps.eight_bit_mime = true;
    } else if (keyword == "ENHANCEDSTATUSCODES") {
      caps.enhanced_status_codes = true;
    } else if (keyword == "DSN") {
      caps.dsn = true;
    } else if (keyword == "SMTPUTF8") {
      caps.smtputf8 = true;
    } else if (keyword == "AUTH") {
      for (std::string mech; words >> mech;) caps.auth.push_back(upper(mech));
    }
  }
  return caps;
}

std::vector<std::string> capability_lines(const capabilities& caps) {
  std::vector<std::string> out;
  auto add = [&out](std::string_view keyword) { out.emplace_back(keyword); };
  if (caps.pipelining) add("PIPELINING");
  if (caps.size) add(fmt::format("SIZE {}", *caps.size));
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
