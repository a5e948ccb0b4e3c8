// pop3_client: sim/pop3/client_fsm (the MUA's fetch) fed what a POP3 server might answer.
//
// Input: one byte of options (split, delete or keep, EOF or timeout at the
// end), then the server's bytes.
//
// Invariants: the same commands and result however the bytes are split;
// commands are single lines from the dialogue (USER, PASS, STAT, RETR n,
// DELE n, QUIT) with the password masked for the trace; messages come in
// ascending numbers, each with CRLF line ends only; DELE n only after
// RETR n; no error means the dialogue ended with QUIT's reply; after
// close the machine takes nothing more.
#include <string>
#include <variant>
#include <vector>

#include "sim/pop3/client_fsm.hpp"
#include "sim/pop3/command.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::pop3;

namespace {

struct run {
  std::string sent;
  std::string result;
};

void check_line(const client_send& s, std::size_t& retrieved, bool& quit_sent) {
  fuzz::check(s.line.find_first_of("\r\n") == std::string::npos, "a command is one line", s.line);
  fuzz::check(!quit_sent, "nothing after QUIT", s.line);
  command c = parse_command(s.line);
  fuzz::check(s.masked == mask_command(s.line), "the trace line is masked");
  if (c.keyword == "PASS") {
    fuzz::check(s.masked.find("secret") == std::string::npos, "the password never reaches the trace");
  } else if (c.keyword == "RETR") {
    auto n = parse_number(c.argument);
    fuzz::check(n && *n == retrieved + 1, "RETR asks for the next message", s.line);
    retrieved = *n;
  } else if (c.keyword == "DELE") {
    auto n = parse_number(c.argument);
    fuzz::check(n && *n == retrieved, "DELE follows the RETR of that message", s.line);
  } else if (c.keyword == "QUIT") {
    quit_sent = true;
  } else {
    fuzz::check(c.keyword == "USER" || c.keyword == "STAT", "only the dialogue's commands", s.line);
  }
}

run drive(std::uint8_t opts, std::string_view stream, bool chunked) {
  client_fsm fsm(fetch_config{"alice", "secret", (opts & 1) != 0});
  run r;
  std::size_t retrieved = 0;
  bool quit_sent = false, closed = false;
  auto handle = [&](std::vector<client_action> actions) {
    for (const auto& a : actions) {
      fuzz::check(!closed, "nothing after close");
      if (const auto* s = std::get_if<client_send>(&a)) {
        check_line(*s, retrieved, quit_sent);
        r.sent += s->line + "\r\n";
      } else {
        closed = true;
        fuzz::check(fsm.done(), "close only when done");
      }
    }
  };
  if (!chunked) handle(fsm.receive(stream));
  else
    for (fuzz::chunker c(stream, opts); !c.done();) handle(fsm.receive(c.next()));
  if (opts & 2) fsm.on_timeout();
  else fsm.on_eof();
  fuzz::check(fsm.done(), "done once the connection ends");
  fuzz::check(fsm.receive("+OK\r\n").empty(), "nothing taken after the end");

  const auto& result = fsm.result();
  std::size_t last = 0;
  for (const auto& m : result.messages) {
    fuzz::check(m.number == last + 1, "messages in ascending order");
    last = m.number;
    for (std::size_t i = 0; i < m.content.size(); ++i)
      if (m.content[i] == '\n') fuzz::check(i > 0 && m.content[i - 1] == '\r', "CRLF line ends only");
    fuzz::check(m.content.empty() || m.content.ends_with("\r\n"), "the last line ends with CRLF");
    r.result += std::to_string(m.content.size()) + ",";
  }
  if (result.error == fetch_error::none) fuzz::check(quit_sent && closed, "success means QUIT was answered");
  r.result += std::string(to_string(result.error)) + ":" + result.reply;
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  std::uint8_t opts = in.byte();
  std::string_view stream = in.rest();
  run whole = drive(opts, stream, false);
  run pieces = drive(opts, stream, true);
  fuzz::check(whole.sent == pieces.sent, "the same commands however the input is split");
  fuzz::check(whole.result == pieces.result, "the same result however the input is split");
  return 0;
}
