// sim/http/world_api.hpp - what the HTTP API reads from a world and does to it.
//
// The server calls these on the world's own thread (live mode runs one
// io_context on one thread), one call at a time, from inside the handling
// of one request; nothing is kept after the call returns except what the
// call returned.  Two implementations: the real one over
// sim::scenario::world (live mode, `mailsim serve --http`) and the fake one
// the tests use (tests/sim/http/fake_world.hpp).
//
// Reading never changes the world and emits no trace event.  Changing goes
// through the same paths as the scenario's timeline (a fault, a heal, a
// send are the timeline's objects, checked by the same rules), so the trace
// shows them exactly as it would show a timeline entry.
//
// Refusals are `problem`s: 400 for an object the scenario rules refuse
// (the detail is the loader's message, with its JSON pointer), 404 for a
// host, mailbox or message that does not exist, 409 for an action the world
// cannot take now (a host that is down).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/core/time.hpp"
#include "sim/http/result.hpp"

namespace sim::http {

using json = nlohmann::ordered_json;

struct service_info {
  std::string name;         // "smtp", "submission", "pop3" (and later "imap", "smtps", ...)
  std::uint16_t port = 0;   // its port inside the simulation (25, 587, 110)
  std::string listen;       // live mode: the real loopback address ("127.0.0.1:2500"); "" when it has none
};

struct host_info {
  std::string name;
  std::string ip;                   // its simulated address
  std::vector<std::string> roles;   // in this order, those that apply: "mta", "submission", "relay",
                                    // "smarthost" (relays through one), "lda" (has mailboxes), "client"
  std::vector<service_info> services;
  bool up = true;                   // false between a crash and its restart
  std::vector<json> faults;         // the fault objects in force on it, as written, oldest first
};

struct folder_info {
  std::string name;  // "INBOX"; "Junk" once the content filter files there
  std::size_t messages = 0;
  std::uint64_t bytes = 0;
};

struct mailbox_info {
  std::string address;
  std::string host;                  // the host that holds it
  std::vector<folder_info> folders;  // INBOX first
};

struct stored_message {
  // Unique in the world and stable while the message exists; only RFC 3986
  // unreserved characters, so it is used in URLs as it is.
  std::string id;
  std::string host;         // the host whose LDA filed it
  std::string mailbox;      // the address it was filed for (the envelope recipient)
  std::string folder;       // "INBOX", "Junk"
  std::string return_path;  // the envelope sender the LDA recorded ("" for <>)
  std::optional<sim::time_point> delivered;  // when it was filed, when the world knows
  // The message as filed (CRLF, Return-Path and Delivered-To on top).  A
  // view into the world: valid until the world runs again, i.e. for the
  // rest of the call that returned it.
  std::string_view raw;
};

struct queued_recipient {
  std::string address;
  std::string state;       // "pending", "deferred", "delivered", "bounced"
  int attempts = 0;
  std::string last_reply;  // the last reply or failure text, "" before the first attempt
  std::optional<sim::time_point> next_attempt;
};

struct queued_message {
  std::string queue_id;
  std::string sender;  // "" for <>
  std::uint64_t size = 0;
  sim::time_point arrival{};
  std::vector<queued_recipient> recipients;
};

struct trace_line {
  std::uint64_t seq = 0;
  std::string line;  // the event as one JSON Lines line (sim::trace::to_line), no newline
};

struct trace_page {
  std::vector<trace_line> events;  // seq ascending
  std::uint64_t next = 0;          // the seq after the last event returned (or `since` when none)
};

struct sent_receipt {
  std::string id;          // the send's `id`, or the one the world gave it
  std::string message_id;  // the composed message's Message-ID, "<...>"
};

struct expect_line {
  bool passed = false;
  std::string line;  // as `mailsim run` prints it: "PASS delivered bob@example.org: ..."
};

// Dropping it ends the calls of a watch_trace().
class subscription {
 public:
  virtual ~subscription() = default;
};

class world_api {
 public:
  virtual ~world_api() = default;

  // The wall-clock time of t = 0 (the `t` of trace events counts from it).
  virtual sim::wall_time start() const = 0;
  // Every host, in name order.
  virtual std::vector<host_info> hosts() const = 0;
  // Every mailbox of every host, by address then host.
  virtual std::vector<mailbox_info> mailboxes() const = 0;
  // The messages filed for `address` on every host that holds a mailbox of
  // that name, oldest first; 404 when no host has it.
  virtual result<std::vector<stored_message>> messages(std::string_view address) const = 0;
  // One message by id; 404 when there is none (any more).
  virtual result<stored_message> message(std::string_view id) const = 0;
  // What `host`'s MTA holds in its queue, in queue id order; 404 when
  // there is no such host or it runs no MTA (a crashed host: empty).
  virtual result<std::vector<queued_message>> queue(std::string_view host) const = 0;

  // Trace events with seq >= since, at most `limit` of them.
  virtual trace_page trace(std::uint64_t since, std::size_t limit) const = 0;
  // Calls `on_event` after each new trace event, synchronously, from inside
  // whatever emitted it: it must not call back into the world (the server
  // only wakes its streams).  Ends when the subscription is dropped.
  virtual std::unique_ptr<subscription> watch_trace(std::function<void()> on_event) = 0;

  // Applies a timeline `fault` object now (a host fault or a DNS fault), as
  // the timeline would at this moment: fault.on is traced.  400 with the
  // loader's message when the object is not a valid fault.
  virtual std::optional<problem> apply_fault(const json& fault) = 0;
  // A timeline `heal` object ({"host": NAME} or {"dns": NAME}): every fault
  // on it ends, fault.off is traced.  404 for an unknown host.
  virtual std::optional<problem> heal(const json& heal) = 0;
  // A timeline `send` object, submitted now by the world's MUA exactly as a
  // timeline send (mua.compose is traced before this returns; delivery
  // happens afterwards, in the world's time).
  virtual result<sent_receipt> send(const json& send) = 0;
  // Checks a scenario `expect` array against what the world holds now; one
  // line per expectation, as `mailsim run` prints them, in order.  Traces
  // nothing.  400 with the loader's message for an invalid expectation.
  virtual result<std::vector<expect_line>> check(const json& expectations) = 0;
  // Removes every message from every mailbox (durably, as POP3 DELE does);
  // how many were removed.
  virtual std::size_t delete_messages() = 0;
};

}  // namespace sim::http
