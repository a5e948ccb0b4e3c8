// sim/core/trace.cpp - the trace recorder: numbering, stamping, sinks.
#include "sim/core/trace.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/core/time_source.hpp"
#include "sim/core/trace_jsonl.hpp"

namespace sim {
namespace {

int common_index(std::string_view key) {
  switch (key.size()) {
    case 1: return key == "t" ? 1 : -1;
    case 3: return key == "seq" ? 0 : -1;
    case 4: return key == "host" ? 2 : -1;
    case 5: return key == "agent" ? 3 : key == "event" ? 4 : -1;
    default: return -1;
  }
}

// True when a field is named like a common field or repeats an earlier
// name: the rare events that need resolving before they are seen.
// (Absent values stay in place; readers skip them.)
bool same_key(std::string_view a, std::string_view b) {
  return a.size() == b.size() && (a.empty() || (a[0] == b[0] && a == b));
}

bool needs_resolving(std::span<const trace_field> fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].value.absent()) continue;
    const auto& key = fields[i].key;
    if (key.size() <= 5 && common_index(key) >= 0) return true;
    for (std::size_t j = 0; j < i; ++j)
      if (same_key(fields[j].key, key) && !fields[j].value.absent()) return true;
  }
  return false;
}

}  // namespace

event_view::event_view(const trace_value (&common)[common_count], std::span<const trace_field> fields) noexcept
    : fields_(fields) {
  std::copy(std::begin(common), std::end(common), std::begin(common_));
}

trace_value event_view::get(std::string_view key) const noexcept {
  for (const auto& f : fields_)
    if (f.key == key && !f.value.absent()) return f.value;
  int i = common_index(key);
  return i >= 0 ? common_[i] : trace_value();
}

trace_value event_view::path(std::string_view path) const noexcept {
  if (auto direct = get(path); !direct.absent()) return direct;
  std::size_t dot = path.find('.');
  if (dot == std::string_view::npos) return {};
  trace_value at = get(path.substr(0, dot));
  while (!at.absent()) {
    std::size_t start = dot + 1;
    dot = path.find('.', start);
    at = at.step(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return at;
  }
  return {};
}

event event_view::to_json() const {
  event e = event::object();
  for (std::size_t i = 0; i < common_count; ++i)
    if (!common_[i].absent()) e[std::string(common_names[i])] = common_[i].to_json();
  for (const auto& f : fields_)
    if (!f.value.absent()) e[std::string(f.key)] = f.value.to_json();
  return e;
}

json_event_view::json_event_view(const event& e)
    : view_({{}, {}, {}, {}, {}}, {}) {
  trace_value common[event_view::common_count];
  if (e.is_object()) {
    for (auto it = e.begin(); it != e.end(); ++it) {
      int i = common_index(it.key());
      if (i >= 0) common[i] = trace_value::of_json(it.value());
      else fields_.push_back({it.key(), trace_value::of_json(it.value())});
    }
  }
  view_ = event_view(common, fields_);
}

void trace::emit(std::string_view host, std::string_view agent, std::string_view name,
                 std::span<const trace_field> fields) {
  if (closed_) return;
  std::uint64_t seq = seq_++;
  if (sinks_.empty()) return;
  std::int64_t t = clock_ ? millis(clock_->now()) : 0;
  trace_value common[event_view::common_count] = {seq, t, host, agent, name};
  if (!needs_resolving(fields)) {
    deliver(event_view(common, fields));
    return;
  }
  // Absent values go; a common name replaces the common value; the first
  // of two fields with one name counts.
  std::vector<trace_field> kept;
  for (const auto& f : fields) {
    if (f.value.absent()) continue;
    if (std::any_of(kept.begin(), kept.end(), [&](const trace_field& k) { return k.key == f.key; })) continue;
    kept.push_back(f);
  }
  std::erase_if(kept, [&](const trace_field& f) {
    int i = common_index(f.key);
    if (i >= 0) common[i] = f.value;
    return i >= 0;
  });
  deliver(event_view(common, kept));
}

void trace::emit(std::string_view host, std::string_view agent, std::string_view name, const event& fields) {
  std::vector<trace_field> typed;
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it)
      typed.push_back({it.key(), trace_value::of_json(it.value())});
  }
  emit(host, agent, name, std::span<const trace_field>(typed));
}

void trace::deliver(const event_view& v) {
  for (auto& [id, s] : sinks_) s(v);
}

std::size_t trace::on_event(sink s) {
  sinks_.emplace_back(next_sink_, std::move(s));
  return next_sink_++;
}

void trace::remove_sink(std::size_t id) {
  std::erase_if(sinks_, [id](const auto& entry) { return entry.first == id; });
}

std::string trace::next_session_id() { return fmt::format("s{}", ++sessions_); }

std::string trace::to_line(const event_view& e) {
  std::string out;
  append_json_line(out, e);
  return out;
}

std::string trace::to_line(const event& e) {
  // Replacement of invalid UTF-8 keeps the line valid JSON whatever a
  // client sent on the wire.
  return e.dump(-1, ' ', false, event::error_handler_t::replace);
}

}  // namespace sim
