// mailsim/mailsim.hpp - mailsim as a library: run a scenario in a C++ test.
//
// The one public header of the installed package (find_package(mailsim),
// target mailsim::mailsim).  It builds a world from a scenario (a file or a
// JSON string, scenario-format.md), plays it in virtual time with a seed,
// exactly as `mailsim run` does, and hands back what the run left behind:
// the expectation results, the mailboxes, the MTA queues and the trace.
//
//   auto s = mailsim::scenario::from_file("scenarios/tour.json");
//   mailsim::run_result r = s.run({.seed = 7});
//   REQUIRE(r.passed());
//   REQUIRE(r.mailbox("bob@example.org")->messages.size() == 1);
//   REQUIRE(r.count("lda.deliver") == 1);
//
// Nothing here exposes Asio, nlohmann::json or the engine's own types: the
// run happens inside the library, on one thread, and everything returned
// is plain data (strings, numbers, vectors).  Same scenario and seed, same
// result, byte for byte (the trace included).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sim::scenario {
struct scenario;
}

namespace mailsim {

// The package's version ("0.1.0").
std::string_view version();

// A scenario that cannot be read: the message names the file and the JSON
// pointer, as `mailsim check` prints it ("x.json: /hosts/mx1/ip: ...").
class load_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One trace event (trace-format.md): the five common fields, the event's
// own fields, and the whole event as its JSON Lines line.
struct event {
  std::uint64_t seq = 0;  // 0, 1, 2, ... in order of emission
  std::int64_t t = 0;  // simulated milliseconds since the scenario's start
  std::string host;
  std::string agent;
  std::string name;  // "lda.deliver", "smtp.reply", ...
  // The event's own top-level fields: a string as it is, anything else
  // (numbers, booleans, lists, objects) as its JSON text.
  std::map<std::string, std::string> fields;
  std::string line;  // the JSON Lines line, as `mailsim run --trace` writes it

  // A field's value, or nothing when the event has no such field.
  std::optional<std::string> field(std::string_view key) const;
};

// One expectation's result, as `mailsim run` prints it.
struct expectation_result {
  std::size_t index = 0;  // in the scenario's expect array
  std::string kind;       // "delivered", "bounced", "queue_empty", ...
  std::string label;      // "delivered bob@example.org"
  bool passed = false;
  std::string reason;  // what was found
  std::string line;    // "PASS delivered bob@example.org: delivered on mx1... at +00:05:00"
};

// One message in a mailbox, as the LDA filed it.
struct message {
  std::string folder;  // "INBOX" or "Junk"
  std::string raw;     // the RFC 5322 message, CRLF line ends
  // A header field's unfolded value (the first of that name), or nothing.
  std::optional<std::string> header(std::string_view name) const;
};

struct mailbox {
  std::string host;     // the host whose LDA keeps it
  std::string address;  // "bob@example.org"
  std::vector<message> messages;  // in delivery order (what POP3 left)
  std::vector<std::string> folders;  // every folder of the mailbox, INBOX first
};

// One recipient of a queued message, as the MTA's queue file holds it.
struct queued_recipient {
  std::string address;
  std::string status;  // "pending", "delivered", "bounced", "deferred"
  int attempts = 0;
  std::string last_reply;                 // why the last attempt failed, "" = none yet
  std::optional<std::int64_t> next_attempt;  // simulated milliseconds, when one is due
};

// A message an MTA still holds when the run is over.
struct queued_message {
  std::string host;      // the MTA
  std::string queue_id;
  std::string sender;    // the reverse path, "" = the null sender <>
  std::size_t size = 0;  // bytes of the message
  std::vector<queued_recipient> recipients;
};

struct run_options {
  // Every member has an initializer: designated initializers such as
  // run({.seed = 7}) leave the others as they are, without a warning.
  std::optional<std::uint64_t> seed{};  // the scenario's own seed when not given
  // Stop after this much simulated time (the scenario's `until` or
  // until idle when not given; at most 30 days; negative: invalid_argument).
  std::optional<std::int64_t> until_ms{};
  // Keep every event in run_result::events() (memory grows with the run;
  // a campaign of thousands of messages is better watched with on_event).
  bool record_trace = true;
  // Called with every event as it happens, in order.
  std::function<void(const event&)> on_event{};
};

class run_result {
 public:
  std::uint64_t seed() const { return seed_; }
  const std::vector<expectation_result>& expectations() const { return expectations_; }
  std::size_t failed() const;
  bool passed() const { return failed() == 0; }
  // "PASS ..." / "FAIL ..." lines and the summary "N passed, N failed",
  // the end of `mailsim run --quiet`'s output.
  std::string summary() const;

  const std::vector<mailbox>& mailboxes() const { return mailboxes_; }
  // The mailbox of `address` (on `host` when several hosts keep one), or null.
  const mailbox* mailbox_of(std::string_view address, std::string_view host = {}) const;

  // Every message still queued, MTA by MTA (hosts in name order).
  const std::vector<queued_message>& queued() const { return queued_; }
  // The messages `host`'s MTA still holds.
  std::vector<queued_message> queue(std::string_view host) const;

  // Every event of the run, in order (with run_options::record_trace).
  const std::vector<event>& events() const { return events_; }
  std::vector<event> events_named(std::string_view name) const;
  std::size_t count(std::string_view name) const;
  // The whole trace as JSON Lines, byte for byte what `--trace` writes.
  std::string trace_jsonl() const;

 private:
  friend class scenario;
  std::uint64_t seed_ = 0;
  std::vector<expectation_result> expectations_;
  std::vector<mailbox> mailboxes_;
  std::vector<queued_message> queued_;
  std::vector<event> events_;
};

// A loaded, validated scenario; run it as often as you like (each run
// builds a fresh world).
class scenario {
 public:
  // Reads a scenario file; `dns_files` are resolved relative to its folder.
  // Throws load_error.
  static scenario from_file(const std::filesystem::path& path);
  // A scenario given as JSON text; `name` is the file name used in error
  // messages and `base_dir` the folder relative `dns_files` start from.
  // Throws load_error.
  static scenario from_json(std::string_view json, std::string_view name = "scenario.json",
                            const std::filesystem::path& base_dir = ".");

  const std::string& id() const;
  std::uint64_t seed() const;  // the scenario's own seed
  // Plays it in virtual time (no sockets, no real clock: a run of simulated
  // days takes milliseconds) and checks its expectations.  An engine
  // coroutine that died of a bug is rethrown (`mailsim run`'s exit 3).
  run_result run(const run_options& options = {}) const;

 private:
  explicit scenario(std::shared_ptr<const sim::scenario::scenario> s);
  std::shared_ptr<const sim::scenario::scenario> spec_;
};

}  // namespace mailsim
