// imap_client: sim/imap/client_fsm (the MUA's fetch) fed what an IMAP server might answer.
//
// Input: one byte of options (split; a password that is an atom, needs
// quoting or needs a literal; INBOX or a non-ASCII folder; delete or keep;
// EOF or timeout at the end), then the server's bytes.
//
// Invariants: the same commands and result however the bytes are split;
// every command starts with a fresh tag and ends with CRLF; the trace never
// shows the password or the SASL response; fetched messages have distinct
// UIDs, in ascending order; no error means LOGOUT was sent; after the end
// the machine takes nothing more.
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "sim/imap/client_fsm.hpp"
#include "sim/message/mime.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::imap;

namespace {

struct run {
  std::string sent;
  std::string result;
};

fetch_config make_config(std::uint8_t opts) {
  static const std::string passwords[] = {"secret", "two words\"quoted", std::string("ctl\x01" "byte\r\n", 9)};
  fetch_config c;
  c.user = "bob@example.org";
  c.password = passwords[(opts >> 1) % 3];
  c.folder = (opts & 8) ? "Entw\xc3\xbcrfe/Fuzz" : "INBOX";
  c.delete_messages = opts & 16;
  return c;
}

run drive(std::uint8_t opts, std::string_view stream, bool chunked) {
  fetch_config config = make_config(opts);
  std::string sasl = sim::message::base64_encode(std::string(1, '\0') + config.user + '\0' + config.password, 0);
  client_fsm fsm(config);
  run r;
  bool closed = false, logout_sent = false;
  std::size_t tags = 0;
  auto handle = [&](std::vector<client_action> actions) {
    for (const auto& a : actions) {
      fuzz::check(!closed, "nothing after close");
      if (const auto* s = std::get_if<client_send>(&a)) {
        fuzz::check(s->bytes.ends_with("\r\n"), "every piece of a command ends with CRLF", s->bytes);
        if (!s->masked.empty() && s->masked != "********") {
          std::string tag = fmt::format("m{} ", ++tags);
          fuzz::check(s->bytes.starts_with(tag) && s->masked.starts_with(tag), "each command has a fresh tag",
                      s->bytes);
        }
        fuzz::check(s->masked.find(config.password) == std::string::npos, "the trace never shows the password",
                    s->masked);
        fuzz::check(s->masked.find(sasl) == std::string::npos, "the trace never shows the SASL response", s->masked);
        r.sent += s->bytes;
        if (!s->masked.empty()) logout_sent = s->masked.ends_with(" LOGOUT");
      } else {
        closed = true;
        fuzz::check(fsm.done(), "close only when done");
      }
    }
  };
  if (!chunked) handle(fsm.receive(stream));
  else
    for (fuzz::chunker c(stream, opts); !c.done();) handle(fsm.receive(c.next()));
  if (opts & 32) fsm.on_timeout();
  else fsm.on_eof();
  fuzz::check(fsm.done(), "done once the connection ends");
  fuzz::check(fsm.receive("* OK\r\n").empty(), "nothing taken after the end");

  const auto& result = fsm.result();
  std::uint32_t last = 0;
  for (const auto& m : result.messages) {
    fuzz::check(m.uid > last, "fetched UIDs are distinct and ascending");
    last = m.uid;
    r.result += std::to_string(m.uid) + ":" + std::to_string(m.content.size()) + ",";
  }
  // The server may close right after its BYE to LOGOUT (client_fsm::on_eof).
  if (result.error == fetch_error::none) fuzz::check(closed || logout_sent, "success means LOGOUT was sent");
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
