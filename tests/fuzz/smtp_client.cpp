// smtp_client: sim/smtp/client_fsm fed what an SMTP or LMTP server might answer.
//
// Input: one byte of options (LMTP, AUTH credentials, how many recipients
// and messages, whether the connection ends by EOF or timeout), one byte
// choosing how the stream is split, then the server's bytes (greeting, EHLO
// keywords such as PIPELINING, DSN and AUTH, replies, multiline replies).
// The client sends up to two fixed messages, then QUIT.
//
// Invariants: the same commands and outcomes however the server's bytes
// are split; commands are CRLF lines of at most 512 octets without control
// characters; the content sent reads back (data_reader) as the message,
// normalized; a finished message has one outcome per recipient, `ok`
// exactly when the deciding reply was 2xx, `permfail` only on a 5xx (or a
// stray 3xx); idle and closed never hold together and closed stays.
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/smtp/client_fsm.hpp"
#include "sim/smtp/data_reader.hpp"
#include "sim/smtp/dot_stuffer.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::smtp;

namespace {

const std::string content = "From: a@x.test\nSubject: fuzz\n\n.leading dot\r\nline\r\n.\r\nlast line without end";

outgoing_message make_message(int recipients, bool dsn) {
  outgoing_message m;
  m.reverse_path = parse_mailbox("a@x.test");
  for (int i = 0; i < recipients; ++i) {
    outgoing_recipient r{*parse_mailbox(fmt::format("r{}@y.test", i)), {}};
    if (dsn && i == 0) r.params.notify = dsn_notify{false, true, true, false};
    if (dsn) r.params.orcpt = original_recipient{"rfc822", fmt::format("orig+{}@y.test", i)};
    m.recipients.push_back(std::move(r));
  }
  if (dsn) {
    m.ret = dsn_ret::hdrs;
    m.envid = "env id+1";
  }
  m.content = content;
  return m;
}

void check_command_bytes(const std::string& bytes) {
  fuzz::check(bytes.size() >= 2 && bytes.ends_with("\r\n"), "commands end with CRLF", bytes);
  std::size_t start = 0;
  while (start < bytes.size()) {
    std::size_t end = bytes.find("\r\n", start);
    fuzz::check(end != std::string::npos, "every command line ends with CRLF", bytes);
    std::string_view line(bytes.data() + start, end - start);
    fuzz::check(line.size() + 2 <= limits::command_line, "command line within 512 octets", line);
    fuzz::check(!has_control_bytes(line), "no control characters in a command", line);
    start = end + 2;
  }
}

void check_outcomes(const client_fsm& fsm, const outgoing_message& m) {
  const auto& outcomes = fsm.outcomes();
  fuzz::check(outcomes.size() == m.recipients.size(), "one outcome per recipient");
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const auto& o = outcomes[i];
    fuzz::check(o.forward_path == m.recipients[i].forward_path, "outcomes in recipient order");
    int cls = o.server_reply ? o.server_reply->code / 100 : 0;
    if (o.server_reply) fuzz::check(cls >= 2 && cls <= 5, "a deciding reply has a code in 200..599");
    fuzz::check((o.status == delivery_status::ok) == (cls == 2), "ok exactly when the reply was 2xx");
    if (o.status == delivery_status::permfail) fuzz::check(cls == 3 || cls == 5, "permfail: a 5xx (or a stray 3xx)");
  }
}

struct run {
  std::string sent;
  std::vector<std::string> outcomes;
  std::string result;
};

run drive(std::uint8_t opts, std::uint8_t split, std::string_view stream, bool chunked) {
  client_options o;
  o.helo_name = "client.fuzz.test";
  o.lmtp = opts & 1;
  if (opts & 2) {
    o.auth_user = "user";
    o.auth_password = "secret";
  }
  int recipients = 1 + (opts >> 2) % 4;
  int messages = 1 + ((opts >> 4) & 1);
  bool dsn = opts & 0x20;
  bool timeout = opts & 0x40;

  client_fsm fsm(o);
  fuzz::chunker chunks(stream, split);
  run r;
  outgoing_message current;
  bool ended = false;
  for (int guard = 0;; ++guard) {
    fuzz::check(guard < 100000, "the client settles");
    fuzz::check(!(fsm.idle() && fsm.closed()), "never idle and closed at once");
    auto a = fsm.next();
    if (a.what == client_action::kind::send) {
      if (a.is_data) {
        data_reader reader;
        fuzz::check(reader.feed(a.bytes) == a.bytes.size() && reader.done(), "the content ends once, at its end");
        fuzz::check(reader.content() == normalize_content(current.content), "the content sent is the message");
        fuzz::check(a.data_bytes == reader.size(), "data_bytes counts the content");
      } else {
        check_command_bytes(a.bytes);
      }
      r.sent += a.bytes;
    } else if (a.what == client_action::kind::read) {
      if (!chunks.done()) {
        fsm.on_bytes(chunked ? chunks.next() : stream);
        if (!chunked) chunks = fuzz::chunker({}, 0);
      } else {
        fuzz::check(!ended, "no read after the connection ended");
        ended = true;
        if (timeout) fsm.on_timeout();
        else fsm.on_connection_lost();
      }
    } else if (a.what == client_action::kind::idle) {
      fuzz::check(fsm.idle(), "idle action when idle");
      if (fsm.message_done()) check_outcomes(fsm, current);
      if (messages-- > 0) {
        current = make_message(recipients, dsn);
        fuzz::check(fsm.send_message(current), "an idle client takes a message");
      } else {
        fsm.quit();
      }
    } else {
      fuzz::check(fsm.closed(), "closed action when closed");
      fuzz::check(fsm.next().what == client_action::kind::closed, "closed stays closed");
      fuzz::check(!fsm.send_message(make_message(1, false)), "a closed client takes no message");
      if (fsm.message_done()) check_outcomes(fsm, current);
      break;
    }
  }
  for (const auto& o : fsm.outcomes())
    r.outcomes.push_back(std::string(status_name(o.status)) + (o.server_reply ? format_reply(*o.server_reply) : ""));
  r.result = result_name(fsm.result());
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  std::uint8_t opts = in.byte();
  std::uint8_t split = in.byte();
  std::string_view stream = in.rest();
  run whole = drive(opts, split, stream, false);
  run pieces = drive(opts, split, stream, true);
  fuzz::check(whole.sent == pieces.sent, "the same commands however the replies are split");
  fuzz::check(whole.outcomes == pieces.outcomes, "the same outcomes however the replies are split");
  fuzz::check(whole.result == pieces.result, "the same result however the replies are split");
  return 0;
}
