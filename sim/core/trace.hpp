// sim/core/trace.hpp - the trace recorder (trace-format.md, version 1).
//
// Every component reports what it does as an event: seq, t, host, agent,
// event, then its own fields in the order given.  Events are kept in memory
// (expectations, reports) and handed to sinks as they happen (narration,
// JSON Lines).  Integers only, insertion-ordered keys: traces compare byte
// for byte.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace sim {

class clock;
using event = nlohmann::ordered_json;

class trace {
 public:
  using sink = std::function<void(const event&)>;

  trace() = default;
  explicit trace(const clock* c) : clock_(c) {}

  void set_clock(const clock* c) { clock_ = c; }
  // Appends an event stamped with the clock's now(); `fields` (an object)
  // follow the five common fields in their own order.
  const event& emit(std::string_view host, std::string_view agent, std::string_view name,
                    event fields = event::object());
  const std::vector<event>& events() const { return events_; }
  void on_event(sink s) { sinks_.push_back(std::move(s)); }
  // Session ids "s1", "s2", ... unique in the run.
  std::string next_session_id();
  // Stops keeping events in memory (benchmarks); sinks still see them.
  void set_keep(bool keep) { keep_ = keep; }
  // The run is over: later events (a world being torn down) are dropped.
  void close() { closed_ = true; }

  // One event as one JSON Lines line (no newline).
  static std::string to_line(const event& e);
  void write_jsonl(std::ostream& out) const;

 private:
  const clock* clock_ = nullptr;
  std::vector<event> events_;
  std::vector<sink> sinks_;
  std::uint64_t seq_ = 0;
  std::uint64_t sessions_ = 0;
  bool keep_ = true;
  bool closed_ = false;
};

}  // namespace sim
