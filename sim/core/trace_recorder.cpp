// sim/core/trace_recorder.cpp - a sink that keeps every event as JSON.
#include "sim/core/trace_recorder.hpp"

namespace sim {

trace_recorder::trace_recorder(trace& tr) : trace_(tr) {
  id_ = tr.on_event([this](const event_view& e) { events_.push_back(e.to_json()); });
}

trace_recorder::~trace_recorder() { trace_.remove_sink(id_); }

void trace_recorder::write_jsonl(std::ostream& out) const {
  for (const auto& e : events_) out << trace::to_line(e) << '\n';
}

}  // namespace sim
