// sim/smtp/session_trace.cpp - SMTP trace events.
#include "sim/smtp/session_trace.hpp"

namespace sim::smtp {

void trace_command(sim::trace& tr, const trace_origin& o, std::string_view line) {
  tr.emit(o.host, o.agent, "smtp.command", {{"session", o.session}, {"peer", o.peer}, {"line", line}});
}

void trace_reply(sim::trace& tr, const trace_origin& o, const reply& r, std::optional<phase> at, bool lost) {
  // No one reads the fields: the event is only numbered.
  if (!tr.has_sinks()) return tr.emit(o.host, o.agent, "smtp.reply");
  // The lines as sent, viewed in one formatted buffer (reused: replies are
  // traced one at a time and sinks never emit).
  thread_local std::string wire;
  thread_local std::vector<std::size_t> ends;
  thread_local std::vector<std::string_view> lines;
  wire.clear();
  ends.clear();
  lines.clear();
  append_reply(r, wire, &ends);
  std::size_t start = 0;
  for (auto end : ends) {
    lines.emplace_back(wire.data() + start, end - start);
    start = end + 2;
  }
  // An extension of trace format 1: the scenario phase this reply answers.
  sim::trace_value answers = at && *at != phase::other ? sim::trace_value(phase_name(*at)) : sim::trace_value();
  sim::trace_value enhanced = r.enhanced.empty() ? sim::trace_value(nullptr) : sim::trace_value(r.enhanced);
  if (lost) {
    tr.emit(o.host, o.agent, "smtp.reply",
            {{"session", o.session}, {"peer", o.peer}, {"code", r.code}, {"enhanced", enhanced}, {"text", r.text()},
             {"lines", lines}, {"phase", answers}, {"lost", true}});
    return;
  }
  tr.emit(o.host, o.agent, "smtp.reply",
          {{"session", o.session},
           {"peer", o.peer},
           {"code", r.code},
           {"enhanced", enhanced},
           {"text", r.text()},
           {"lines", lines},
           {"phase", answers}});
}

void trace_data(sim::trace& tr, const trace_origin& o, std::uint64_t bytes, std::uint64_t lines) {
  tr.emit(o.host, o.agent, "smtp.data", {{"session", o.session}, {"peer", o.peer}, {"bytes", bytes}, {"lines", lines}});
}

}  // namespace sim::smtp
