// sim/report/trace_writer.cpp - trace and timeline files written as a run goes.
#include "sim/report/trace_writer.hpp"

#include "sim/core/trace_jsonl.hpp"
#include "sim/report/narrate.hpp"

namespace sim::report {
namespace {

constexpr std::size_t flush_at = 64 * 1024;

}  // namespace

trace_writer::trace_writer(sim::trace& tr, const std::filesystem::path& trace_file,
                           const std::filesystem::path& timeline)
    : trace_(tr), trace_file_(trace_file) {
  if (!timeline.empty()) timeline_.emplace(timeline);
  sink_ = tr.on_event([this](const sim::event_view& e) { on_event(e); });
}

trace_writer::~trace_writer() {
  if (listening_) trace_.remove_sink(sink_);
}

void trace_writer::on_event(const sim::event_view& e) {
  append_json_line(trace_buffer_, e);
  trace_buffer_ += '\n';
  if (timeline_) {
    if (auto line = narrate_line(e, narrate_options{})) {
      timeline_buffer_ += *line;
      timeline_buffer_ += '\n';
    }
  }
  if (trace_buffer_.size() + timeline_buffer_.size() >= flush_at) flush();
}

void trace_writer::flush() {
  trace_file_.write(trace_buffer_);
  trace_buffer_.clear();
  if (timeline_) timeline_->write(timeline_buffer_);
  timeline_buffer_.clear();
}

void trace_writer::commit(const std::vector<std::string>& tail) {
  if (listening_) trace_.remove_sink(sink_);
  listening_ = false;
  for (const auto& line : tail) {
    timeline_buffer_ += line;
    timeline_buffer_ += '\n';
  }
  flush();
  trace_file_.commit();
  if (timeline_) timeline_->commit();
}

}  // namespace sim::report
