// sim/smtp/session_trace.cpp - SMTP trace events.
#include "sim/smtp/session_trace.hpp"

namespace sim::smtp {
namespace {

sim::event common(const trace_origin& o) {
  sim::event e = sim::event::object();
  e["session"] = o.session;
  e["peer"] = o.peer;
  return e;
}

}  // namespace

void trace_command(sim::trace& tr, const trace_origin& o, std::string_view line) {
  auto e = common(o);
  e["line"] = std::string(line);
  tr.emit(o.host, o.agent, "smtp.command", std::move(e));
}

void trace_reply(sim::trace& tr, const trace_origin& o, const reply& r, std::optional<phase> at) {
  auto e = common(o);
  e["code"] = r.code;
  e["enhanced"] = r.enhanced.empty() ? sim::event(nullptr) : sim::event(r.enhanced);
  e["text"] = r.text();
  e["lines"] = wire_lines(r);
  // An extension of trace format 1: the scenario phase this reply answers.
  if (at && *at != phase::other) e["phase"] = std::string(phase_name(*at));
  tr.emit(o.host, o.agent, "smtp.reply", std::move(e));
}

void trace_data(sim::trace& tr, const trace_origin& o, std::uint64_t bytes, std::uint64_t lines) {
  auto e = common(o);
  e["bytes"] = bytes;
  e["lines"] = lines;
  tr.emit(o.host, o.agent, "smtp.data", std::move(e));
}

}  // namespace sim::smtp
