// sim/mta/phase_faults.hpp - faults a scenario injects into an SMTP server.
//
// The scenario's `reply`, `reset` and `slow` faults act at a phase of the
// SMTP dialogue (connect, ehlo, mail, rcpt, data, dot, quit).  The server
// session asks this table before each reply; the table answers with what to
// do instead, and counts uses for faults limited by `times`.  Sans-I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/smtp/reply.hpp"
#include "sim/smtp/server_fsm.hpp"

namespace sim::mta {

// The SMTP server's phase named `name` ("connect", ... "quit").
std::optional<smtp::phase> parse_fault_phase(std::string_view name);

struct phase_fault {
  // reset_after_reply: the server's own reply goes out, then the reset
  // loses it (phase dot: "accepted", the duplicate-delivery case).
  enum class kind { reply, reset, reset_after_reply, slow };
  kind what = kind::reply;
  std::optional<smtp::phase> phase;  // slow: every reply when empty
  smtp::reply answer;                // reply
  std::optional<std::string> match;  // reply: only when this sender / recipient is involved
  std::optional<std::uint64_t> times;  // reply: only the first N times
  duration delay{0};                 // slow
  std::uint64_t used = 0;
};

// What the server does instead of its own reply.
struct fault_action {
  std::optional<smtp::reply> replace;
  bool reset = false;
  bool reset_after_reply = false;
  duration delay{0};
  bool any() const { return replace || reset || reset_after_reply || delay.count() > 0; }
};

class phase_fault_table {
 public:
  void add(phase_fault f) { faults_.push_back(std::move(f)); }
  void clear() { faults_.clear(); }
  bool empty() const { return faults_.empty(); }
  // The action for a reply at `phase`; `involved` are the addresses the
  // phase concerns (the sender at MAIL, the recipient at RCPT, all of the
  // transaction's at DATA and after the dot).  Uses are counted.
  fault_action at(smtp::phase phase, const std::vector<std::string>& involved);

 private:
  std::vector<phase_fault> faults_;
};

}  // namespace sim::mta
