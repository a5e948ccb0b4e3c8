// sim/smtp/session_trace.hpp - the smtp.command, smtp.reply and smtp.data events (trace-format.md).
//
// `smtp.reply` carries `text` = the first line's text (after the code and
// enhanced status) and `lines` = every line as sent, without CRLF
// ("250-mx.example.org", "250 DSN").  `smtp.data` counts the content as the
// receiver stores it: `bytes` with CRLF line ends, unstuffed, without the
// final ".", and `lines` its lines.
#pragma once

#include <optional>

#include "sim/smtp/server_fsm.hpp"

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/core/trace.hpp"
#include "sim/smtp/reply.hpp"

namespace sim::smtp {

// Who is speaking in a session: the host and agent that emit, the session id, the other side.
struct trace_origin {
  std::string host;
  std::string agent;
  std::string session;
  std::string peer;
};

void trace_command(sim::trace& tr, const trace_origin& o, std::string_view line);
// `at`: the phase (connect, ehlo, mail, rcpt, data, dot, quit) the reply
// answers, written as the field `phase` (an extension of the trace format).
// `lost`: the reply was sent but a reset lost it (the fault `reset` at
// "accepted"), written as `"lost": true` (also an extension; absent otherwise).
void trace_reply(sim::trace& tr, const trace_origin& o, const reply& r, std::optional<phase> at = std::nullopt,
                 bool lost = false);
void trace_data(sim::trace& tr, const trace_origin& o, std::uint64_t bytes, std::uint64_t lines);

}  // namespace sim::smtp
