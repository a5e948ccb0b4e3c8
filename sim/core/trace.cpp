// sim/core/trace.cpp - the trace recorder.
#include "sim/core/trace.hpp"

#include <ostream>

#include <fmt/format.h>

#include "sim/core/clock.hpp"

namespace sim {

const event& trace::emit(std::string_view host, std::string_view agent, std::string_view name, event fields) {
  if (closed_) {
    static const event dropped = event::object();
    return dropped;
  }
  event e = event::object();
  e["seq"] = seq_++;
  e["t"] = clock_ ? millis(clock_->now()) : 0;
  e["host"] = host;
  e["agent"] = agent;
  e["event"] = name;
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it) e[it.key()] = std::move(it.value());
  }
  events_.push_back(std::move(e));
  const event& stored = events_.back();
  for (auto& s : sinks_) s(stored);
  if (!keep_) {
    static thread_local event last;
    last = std::move(events_.back());
    events_.pop_back();
    return last;
  }
  return stored;
}

std::string trace::next_session_id() { return fmt::format("s{}", ++sessions_); }

std::string trace::to_line(const event& e) {
  // Replacement of invalid UTF-8 keeps the line valid JSON whatever a
  // client sent on the wire.
  return e.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

void trace::write_jsonl(std::ostream& out) const {
  for (const auto& e : events_) out << to_line(e) << '\n';
}

}  // namespace sim
