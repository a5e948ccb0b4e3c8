// sim/mta/profiles/profile_text.cpp - text tools shared by the profiles.
#include "sim/mta/profiles/profile_text.hpp"

#include <fmt/format.h>

#include "sim/message/message.hpp"

namespace sim::mta::text {

std::string_view phase_word(smtp::client_phase p) {
  switch (p) {
    case smtp::client_phase::greeting: return "connect";
    case smtp::client_phase::ehlo: return "ehlo";
    case smtp::client_phase::auth: return "auth";
    case smtp::client_phase::mail: return "mail";
    case smtp::client_phase::rcpt: return "rcpt";
    case smtp::client_phase::data_init: return "data";
    case smtp::client_phase::data_block: return "body";
    case smtp::client_phase::data_end: return "dot";
    case smtp::client_phase::rset: return "rset";
    case smtp::client_phase::quit: return "quit";
  }
  return "connect";
}

std::string reply_line(const smtp::reply& r) {
  std::string out;
  for (const auto& line : smtp::wire_lines(r)) out += (out.empty() ? "" : " ") + line;
  return out;
}

std::string wrap(std::string_view text, std::size_t width, std::size_t indent) {
  std::string out, line;
  const std::string pad(indent, ' ');
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = text.find(' ', i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(i, end - i);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line = pad;
    } else if (!line.empty() && line != pad) {
      line += ' ';
    }
    line += word;
    i = end + 1;
  }
  return out + line;
}

long long whole_hours(duration d) { return std::chrono::duration_cast<std::chrono::hours>(d).count(); }
long long whole_days(duration d) { return whole_hours(d) / 24; }

std::string plural_duration(duration d) {
  auto s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  auto words = [](long long n, const char* unit) { return fmt::format("{} {}{}", n, unit, n == 1 ? "" : "s"); };
  if (s < 60) return words(s, "second");
  if (s < 3600) return words(s / 60, "minute");
  if (s < 86400) return words(s / 3600, "hour");
  return words(s / 86400, "day");
}

bool return_whole(message::dsn_ret ret, bool delayed, std::size_t size) {
  if (size > message::max_returned_message) return false;
  if (ret == message::dsn_ret::unspecified) return !delayed;
  return ret == message::dsn_ret::full;
}

std::string original_field(std::string_view original, std::string_view name) {
  return message::message::parse(original).get(name).value_or("");
}

std::string original_message_id(std::string_view original) { return original_field(original, "Message-ID"); }

}  // namespace sim::mta::text
