// tests/sim/policy/spam_mail.hpp - test messages for the content filter: a
// colleague's plain note that every test changes in one way.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sim/policy/spam_filter.hpp"

namespace spam_test {

struct mail {
  std::vector<std::pair<std::string, std::string>> headers = {
      {"Date", "Mon, 05 Jan 2026 09:00:00 +0000"},
      {"From", "Alice Martin <alice@example.org>"},
      {"To", "Bob Stone <bob@example.net>"},
      {"Subject", "Minutes of Monday's meeting"},
      {"Message-ID", "<20260105090000.4711@example.org>"},
  };
  std::string body = "Hi Bob,\r\n\r\nthe minutes are attached below; the next meeting is on Thursday at 10.\r\n"
                     "Could you bring the figures for the second quarter?\r\n\r\nThanks,\r\nAlice\r\n";

  // Replaces the first field of that name, or adds one at the end.
  mail& set(const std::string& name, const std::string& value) {
    for (auto& [n, v] : headers) {
      if (n == name) {
        v = value;
        return *this;
      }
    }
    headers.emplace_back(name, value);
    return *this;
  }
  mail& add(const std::string& name, const std::string& value) {
    headers.emplace_back(name, value);
    return *this;
  }
  mail& without(const std::string& name) {
    std::erase_if(headers, [&](const auto& h) { return h.first == name; });
    return *this;
  }
  mail& with_body(std::string b) {
    body = std::move(b);
    return *this;
  }
  // A single-part HTML message.
  mail& html(std::string b) {
    set("MIME-Version", "1.0");
    set("Content-Type", "text/html; charset=utf-8");
    return with_body(std::move(b));
  }
  std::string raw() const {
    std::string out;
    for (const auto& [n, v] : headers) out += n + ": " + v + "\r\n";
    return out + "\r\n" + body;
  }
};

// The names of the rules that hit with the default configuration.
inline std::set<std::string> hits(const std::string& raw, const sim::policy::spam_context& context = {}) {
  static const sim::policy::spam_filter filter{sim::policy::spam_config{}};
  std::set<std::string> names;
  for (const auto& h : filter.score(raw, context).hits) names.insert(h.name);
  return names;
}

inline bool hit(const std::string& rule, const std::string& raw, const sim::policy::spam_context& context = {}) {
  return hits(raw, context).count(rule) == 1;
}

}  // namespace spam_test
