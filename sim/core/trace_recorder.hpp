// sim/core/trace_recorder.hpp - keeping a trace's events, for tests and small tools.
//
// The trace itself keeps nothing.  A recorder is a sink that keeps every
// event as JSON, as trace.events() did before events were streamed:
//
//   sim::recording_trace tr(&clk);       // a trace that records itself
//   ... tr.events()[3]["event"] == "smtp.reply" ...
//
//   sim::trace_recorder rec(some_trace);  // or record a trace made elsewhere
//   ... rec.events() ...
//
// Memory grows with the run: never use one where a run may be large.
#pragma once

#include <ostream>
#include <vector>

#include "sim/core/trace.hpp"

namespace sim {

class trace_recorder {
 public:
  explicit trace_recorder(trace& tr);
  ~trace_recorder();
  trace_recorder(const trace_recorder&) = delete;
  trace_recorder& operator=(const trace_recorder&) = delete;

  const std::vector<event>& events() const { return events_; }
  void clear() { events_.clear(); }
  // Every event as a JSON Lines line.
  void write_jsonl(std::ostream& out) const;

 private:
  trace& trace_;
  std::size_t id_;
  std::vector<event> events_;
};

class recording_trace : public trace {
 public:
  recording_trace() : recorder_(*this) {}
  explicit recording_trace(const time_source* c) : trace(c), recorder_(*this) {}

  const std::vector<event>& events() const { return recorder_.events(); }
  void write_jsonl(std::ostream& out) const { recorder_.write_jsonl(out); }

 private:
  trace_recorder recorder_;
};

}  // namespace sim
