// sim/core/trace.hpp - the trace recorder (trace-format.md, version 1).
//
// Every component reports what it does as an event: seq, t, host, agent,
// event, then its own fields in the order given.  The trace keeps nothing:
// each event is numbered, stamped and handed, as an event_view over the
// emitter's own data, to the sinks (JSON Lines, narration, expectation
// matchers, a recorder in tests), then forgotten.  With no sink an event
// costs a counter increment.
//
//   tr.emit(host, "mta", "queue.defer", {{"queue_id", id}, {"rcpt", rcpt}, {"retry_at", ms}});
//   tr.on_event([](const sim::event_view& e) { if (e.name() == "lda.deliver") ...; });
//
// Fields are trace_field values (trace_value.hpp): strings, integers,
// booleans, null, lists of strings, nested objects, JSON.  A field named
// like a common one replaces its value; of two fields with one name, the
// first counts (as JSON objects built from a list do).
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/core/trace_value.hpp"

namespace sim {

class time_source;
// An event as JSON: a parsed trace line, or an event a recorder kept
// (trace_recorder.hpp).  Live events are event_views.
using event = nlohmann::ordered_json;

// One event while it is being emitted: valid only during the sink call.
class event_view {
 public:
  // The five common fields, in order (trace-format.md).
  enum common_field : std::size_t { seq_field, t_field, host_field, agent_field, event_field, common_count };
  static constexpr std::string_view common_names[common_count] = {"seq", "t", "host", "agent", "event"};

  event_view(const trace_value (&common)[common_count], std::span<const trace_field> fields) noexcept;

  std::uint64_t seq() const noexcept { return common_[seq_field].unsigned_integer(); }
  std::int64_t t() const noexcept { return common_[t_field].integer(); }
  std::string_view host() const noexcept { return common_[host_field].string(); }
  std::string_view agent() const noexcept { return common_[agent_field].string(); }
  std::string_view name() const noexcept { return common_[event_field].string(); }
  const trace_value& common(common_field f) const noexcept { return common_[f]; }
  // The event's own fields, in order.  Skip those whose value is absent
  // (an empty optional): they are not part of the event.
  std::span<const trace_field> fields() const noexcept { return fields_; }

  // A field by name, common ones included; absent when the event has none.
  trace_value get(std::string_view key) const noexcept;
  // A dotted path into nested values ("candidates.0.host"); a field whose
  // name is the whole path wins.
  trace_value path(std::string_view path) const noexcept;
  // The whole event as JSON (what a recorder keeps).
  event to_json() const;

 private:
  trace_value common_[common_count];
  std::span<const trace_field> fields_;
};

// A view over an event held as JSON (a parsed line, a recorded event), so
// that narration and matchers read both alike.
class json_event_view {
 public:
  explicit json_event_view(const event& e);
  json_event_view(const json_event_view&) = delete;
  json_event_view& operator=(const json_event_view&) = delete;
  const event_view& view() const noexcept { return view_; }
  operator const event_view&() const noexcept { return view_; }

 private:
  std::vector<trace_field> fields_;
  event_view view_;
};

class trace {
 public:
  using sink = std::function<void(const event_view&)>;

  trace() = default;
  explicit trace(const time_source* c) : clock_(c) {}
  virtual ~trace() = default;
  trace(const trace&) = delete;
  trace& operator=(const trace&) = delete;

  void set_clock(const time_source* c) { clock_ = c; }
  // Numbers the event, stamps it with the clock's now() and hands it to
  // every sink.  `fields` follow the five common fields in their order.
  void emit(std::string_view host, std::string_view agent, std::string_view name) { emit(host, agent, name, std::span<const trace_field>()); }
  void emit(std::string_view host, std::string_view agent, std::string_view name,
            std::initializer_list<trace_field> fields) {
    emit(host, agent, name, std::span<const trace_field>(fields.begin(), fields.size()));
  }
  void emit(std::string_view host, std::string_view agent, std::string_view name, std::span<const trace_field> fields);
  // Fields given as a JSON object (the form before events were typed):
  // slower, same line.
  void emit(std::string_view host, std::string_view agent, std::string_view name, const event& fields);

  // Sinks see every event in order; they must not emit themselves.
  // Returns an id for remove_sink().
  std::size_t on_event(sink s);
  void remove_sink(std::size_t id);
  bool has_sinks() const { return !sinks_.empty(); }
  // Events emitted so far (the next seq).
  std::uint64_t emitted() const { return seq_; }
  // Session ids "s1", "s2", ... unique in the run.
  std::string next_session_id();
  // The run is over: later events (a world being torn down) are dropped.
  void close() { closed_ = true; }
  bool closed() const { return closed_; }

  // One event as one JSON Lines line (no newline), byte for byte as
  // trace-format.md and the approved traces have it.
  static std::string to_line(const event_view& e);
  static std::string to_line(const event& e);

 private:
  void deliver(const event_view& v);

  const time_source* clock_ = nullptr;
  std::vector<std::pair<std::size_t, sink>> sinks_;
  std::size_t next_sink_ = 0;
  std::uint64_t seq_ = 0;
  std::uint64_t sessions_ = 0;
  bool closed_ = false;
};

}  // namespace sim
