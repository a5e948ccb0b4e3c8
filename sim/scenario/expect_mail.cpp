// sim/scenario/expect_mail.cpp - expectations about mailboxes: delivered,
// not_delivered, bounced (RFC 3464 reports), no_bounce, fetched.
#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "sim/auth/auth_results.hpp"
#include "sim/message/dsn.hpp"
#include "sim/message/encoded_words.hpp"
#include "sim/message/message.hpp"
#include "sim/message/received.hpp"
#include "sim/policy/spam_config.hpp"
#include "sim/scenario/expect_parts.hpp"

namespace sim::scenario::detail {
namespace {

std::string json_text(std::string_view text) { return json(std::string(text)).dump(); }

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "(nowhere)" : out;
}

std::string message_id_of(const message::message& m) { return m.get("Message-ID").value_or(""); }

const sent_message* find_sent(const outcome& o, std::string_view id) {
  for (const auto& s : o.sent)
    if (s.id == id) return &s;
  return nullptr;
}

const sent_message* sent_with_message_id(const outcome& o, std::string_view message_id) {
  for (const auto& s : o.sent)
    if (same_message_id(s.message_id, message_id)) return &s;
  return nullptr;
}

// The hosts of the Received chain, oldest first; a host that stamped twice
// in a row (a content filter re-injecting) counts once.
std::vector<std::string> path_of(const message::message& m) {
  std::vector<std::string> path;
  for (auto& host : message::received_path(m))
    if (path.empty() || !same_address(path.back(), host)) path.push_back(host);
  return path;
}

bool same_path(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](const auto& x, const auto& y) {
           return same_address(x, y);
         });
}

// X-Spam-Status: "Yes, score=7.3 required=5.0 tests=A,B": the score in
// tenths and the rules; nullopt when the field is absent or unreadable.
struct spam_status {
  int score = 0;
  std::vector<std::string> tests;
};

std::optional<spam_status> read_spam_status(const message::message& m) {
  auto value = m.get("X-Spam-Status");
  if (!value) return std::nullopt;
  auto at = value->find("score=");
  auto tests_at = value->find("tests=");
  if (at == std::string::npos || tests_at == std::string::npos) return std::nullopt;
  spam_status out;
  try {
    out.score = policy::to_tenths(std::stod(value->substr(at + 6)));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string name;
  for (char c : value->substr(tests_at + 6) + ",") {
    if (c == ',' && !name.empty() && name != "none") out.tests.push_back(name);
    if (c == ',') name.clear();
    else if (c != ' ' && c != '\t') name += c;
  }
  return out;
}

std::string spam_problem(const expect_delivered& e, const delivery& d, const message::message& m) {
  if (e.folder && d.folder != *e.folder) return fmt::format("filed in {}, not {}", d.folder, *e.folder);
  if (!e.score && e.rules.empty()) return "";
  auto status = read_spam_status(m);
  if (!status) return "it has no X-Spam-Status (no content filter scored it)";
  if (e.score && status->score != *e.score)
    return fmt::format("its spam score is {}, not {}", policy::format_points(status->score), policy::format_points(*e.score));
  for (const auto& rule : e.rules)
    if (std::find(status->tests.begin(), status->tests.end(), rule) == status->tests.end())
      return fmt::format("rule {} did not hit (tests={})", rule, status->tests.empty() ? "none" : join(status->tests));
  return "";
}

// delivered.auth: the Authentication-Results field of `auth_host` (the
// topmost one when none is named) holds the expected results.
std::string auth_problem(const expect_delivered& e, const message::message& m) {
  std::optional<auth::authentication_results> found;
  for (const auto& value : m.get_all(auth::authentication_results_field)) {
    auto parsed = auth::parse_authentication_results(value);
    if (!parsed.value) continue;
    if (!e.auth_host || same_address(parsed.value->authserv_id, *e.auth_host)) {
      found = std::move(parsed.value);
      break;
    }
  }
  if (!found)
    return e.auth_host ? fmt::format("it has no Authentication-Results field from {}", *e.auth_host)
                       : std::string("it has no Authentication-Results field");
  for (const auto& [method, want] : e.auth) {
    std::vector<std::string> got;
    for (const auto& r : found->results)
      if (r.method == method) got.push_back(r.result);
    // RFC 8601 section 2.2: a method not reported at all is no result.
    if (got.empty()) got.push_back("(not checked)");
    if (std::find(got.begin(), got.end(), want) == got.end())
      return fmt::format("{} added {}={}, not {}={}", found->authserv_id, method, join(got), method, want);
  }
  return "";
}

// What keeps this delivery from satisfying `e`, or "" when nothing does.
std::string delivery_problem(const expect_delivered& e, const delivery& d, const outcome& o) {
  auto m = message::message::parse(d.raw);
  if (e.host && !same_address(d.host, *e.host)) return fmt::format("delivered on {}, not {}", d.host, *e.host);
  if (e.via) {
    auto path = path_of(m);
    if (!same_path(path, *e.via)) return fmt::format("it passed {}, not {}", join(path), join(*e.via));
  }
  if (e.within) {
    const sent_message* s = e.message ? find_sent(o, *e.message) : sent_with_message_id(o, message_id_of(m));
    if (!s) return fmt::format("no sent message has its Message-ID {}", json_text(message_id_of(m)));
    auto took = d.at - s->at;
    if (took > *e.within)
      return fmt::format("delivered {} after it was sent, later than {}", sim::format_duration(took),
                         sim::format_duration(*e.within));
  }
  for (const auto& [name, want] : e.headers) {
    auto got = m.get(name);
    if (!got) return fmt::format("it has no {} header field", name);
    if (want && *got != *want) return fmt::format("its {} is {}, not {}", name, json_text(*got), json_text(*want));
  }
  if (auto problem = spam_problem(e, d, m); !problem.empty()) return problem;
  if (!e.auth.empty()) return auth_problem(e, m);
  return "";
}

// Deliveries to `to`, of the message named `id` when there is one.
std::vector<const delivery*> deliveries_to(const outcome& o, std::string_view to, const sent_message* only) {
  std::vector<const delivery*> found;
  for (const auto& d : o.deliveries) {
    if (!same_address(d.mailbox, to)) continue;
    if (only && !same_message_id(message_id_of(message::message::parse(d.raw)), only->message_id)) continue;
    found.push_back(&d);
  }
  return found;
}

std::string where(const delivery& d) { return fmt::format("on {} at {}", d.host, sim::format_offset(d.at)); }

}  // namespace

verdict check(const expect_delivered& e, const outcome& o) {
  const sent_message* sent = e.message ? find_sent(o, *e.message) : nullptr;
  if (e.message && !sent) return {false, fmt::format("message {} was never sent", *e.message)};
  auto found = deliveries_to(o, e.to, sent);
  if (found.empty()) {
    auto all = deliveries_to(o, e.to, nullptr);
    if (sent && !all.empty())
      return {false, fmt::format("{} to {}, none of them message {} ({})", plural(all.size(), "delivery"), e.to,
                                 *e.message, sent->message_id)};
    return {false, fmt::format("no delivery to {}; {} to other mailboxes", e.to,
                               plural(o.delivery_count.value_or(o.deliveries.size()), "delivery"))};
  }
  std::string first_problem;
  for (const delivery* d : found) {
    std::string problem = delivery_problem(e, *d, o);
    if (problem.empty()) {
      auto path = path_of(message::message::parse(d->raw));
      std::string folder = d->folder == "INBOX" ? "" : " into " + d->folder;
      return {true, fmt::format("delivered{} {} via {}", folder, where(*d), join(path))};
    }
    if (first_problem.empty()) first_problem = problem;
  }
  if (found.size() == 1) return {false, first_problem};
  return {false, fmt::format("none of {} to {} fits; the first: {}", plural(found.size(), "delivery"), e.to, first_problem)};
}

verdict check(const expect_not_delivered& e, const outcome& o) {
  const sent_message* sent = e.message ? find_sent(o, *e.message) : nullptr;
  if (e.message && !sent) return {true, fmt::format("message {} was never sent", *e.message)};
  auto found = deliveries_to(o, e.to, sent);
  if (found.empty()) return {true, fmt::format("no delivery to {}", e.to)};
  return {false, fmt::format("delivered to {} {}", e.to, where(*found.front()))};
}

}  // namespace sim::scenario::detail
