// sim/cli/world_http_change.cpp - the API's changes to a live world: faults, heal, send, expect, delete.
#include <algorithm>
#include <variant>

#include "sim/cli/world_http.hpp"
#include "sim/scenario/expect.hpp"
#include "sim/scenario/expect_monitor.hpp"
#include "sim/scenario/loader.hpp"

namespace sim::cli {
namespace {

// Where the loader's messages say the JSON came from.
constexpr std::string_view body_name = "request body";

// An object naming a host the scenario does not have: 404 rather than
// the loader's 400, since the path or key names something missing.
std::optional<http::problem> unknown_host(const scenario::scenario& s, const http::json& value) {
  if (!value.is_object() || !value.contains("host") || !value["host"].is_string()) return std::nullopt;
  auto name = value["host"].get<std::string>();
  if (s.find_host(name)) return std::nullopt;
  return http::problem{404, "no host is named " + name};
}

}  // namespace

std::optional<http::problem> world_http::apply_fault(const http::json& fault) {
  if (auto missing = unknown_host(world_.spec(), fault)) return missing;
  try {
    world_.act_now(scenario::load_action("fault", fault, world_.spec(), body_name));
  } catch (const scenario::load_error& e) {
    return http::problem{400, e.what()};
  }
  return std::nullopt;
}

std::optional<http::problem> world_http::heal(const http::json& heal) {
  if (auto missing = unknown_host(world_.spec(), heal)) return missing;
  try {
    world_.act_now(scenario::load_action("heal", heal, world_.spec(), body_name));
  } catch (const scenario::load_error& e) {
    return http::problem{400, e.what()};
  }
  return std::nullopt;
}

http::result<http::sent_receipt> world_http::send(const http::json& send) {
  scenario::action a;
  try {
    a = scenario::load_action("send", send, world_.spec(), body_name);
  } catch (const scenario::load_error& e) {
    return http::problem{400, e.what()};
  }
  auto [id, message_id] = world_.send_now(std::get<scenario::send_action>(std::move(a)),
                                          "api-" + std::to_string(++api_sends_));
  return http::sent_receipt{id, message_id};
}

// The mail-based kinds read what the world holds now; the trace-based
// ones (deferred, rejected, trace, sequence) read the events kept here.
http::result<std::vector<http::expect_line>> world_http::check(const http::json& expectations) {
  std::vector<scenario::expectation> list;
  try {
    list = scenario::load_expectations(expectations, world_.spec(), body_name);
  } catch (const scenario::load_error& e) {
    return http::problem{400, e.what()};
  }
  std::vector<sim::event> events;
  if (std::any_of(list.begin(), list.end(), scenario::expect_monitor::reads_trace))
    for (const auto& l : lines_) events.push_back(sim::event::parse(l.line));
  scenario::outcome& o = world_.collect();
  auto saved_monitor = o.monitor;
  auto saved_trace = o.trace;
  o.monitor = nullptr;
  o.trace = &events;
  auto results = scenario::evaluate_all(list, o);
  o.monitor = saved_monitor;
  o.trace = saved_trace;
  std::vector<http::expect_line> out;
  for (const auto& r : results) out.push_back({r.passed, r.line()});
  return out;
}

std::size_t world_http::delete_messages() {
  std::size_t deleted = 0;
  for (const auto& h : world_.spec().hosts) {
    lda::mailbox_store* boxes = world_.mailboxes_of(h.name);
    if (!boxes) continue;
    for (const auto& address : boxes->addresses()) {
      if (!boxes->try_lock(address)) continue;  // a POP3 session holds it
      for (const auto& folder : boxes->folders(address)) {
        std::vector<std::string> uids;
        std::vector<std::uint32_t> numbers;
        for (const auto& m : boxes->folder_messages(address, folder.name)) {
          uids.push_back(m.uid);
          numbers.push_back(m.number);
          delivered_.erase(message_id_of(h.name, address, folder.name, m.uid));
        }
        deleted += uids.size();
        // INBOX as a POP3 DELE of each, then QUIT (RFC 1939 section 6);
        // another folder as an IMAP EXPUNGE of those UIDs (RFC 9051 section 6.4.3).
        if (folder.name == "INBOX") boxes->commit(address, uids);
        else if (!numbers.empty()) boxes->expunge(address, folder.name, numbers);
      }
      boxes->unlock(address);
    }
  }
  return deleted;
}

}  // namespace sim::cli
