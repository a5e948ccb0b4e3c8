// imap_server: sim/imap/server_fsm over a memory_mail_store, fed what an IMAP client might send.
//
// Input: one byte choosing the split, then the client's bytes.  The store
// holds bob@example.org (password "pw") with the three messages of the
// IMAP unit tests' fixture and an 8 KB quota, and carol@example.org (any
// password).  The two octets 00 01 and the octet after them are not sent:
// there another session changes bob's mail (a delivery to INBOX, an
// expunge, new flags, Trash renamed or deleted), as the LDA or a second
// client would; a server in IDLE is then polled, as the session does.
// STARTTLS is offered: after it the server reads nothing until an octet 05
// there says the handshake completed (the bytes in between are dropped).
//
// Invariants: the same output however the input is split; the output reads
// as whole responses (untagged, continuation, or tagged OK/NO/BAD with a tag
// the client used); states change only along RFC 9051 §3's edges; at most
// 20 errors; nothing after close; the store keeps UIDs ascending and below
// UIDNEXT in every folder.
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "sim/imap/command.hpp"
#include "sim/imap/command_reader.hpp"
#include "sim/imap/limits.hpp"
#include "sim/imap/memory_mail_store.hpp"
#include "sim/imap/response.hpp"
#include "sim/imap/server_fsm.hpp"
#include "tests/fuzz/fuzz.hpp"
#include "tests/sim/imap/server_fixture.hpp"

using namespace sim::imap;

namespace {

const std::string user = "bob@example.org";

bool allowed(server_state from, server_state to) {
  using s = server_state;
  if (to == s::logout) return from != s::logout;
  if (from == s::not_authenticated) return to == s::authenticated;
  if (from == s::authenticated) return to == s::selected;
  if (from == s::selected) return to == s::authenticated;
  return false;
}

class driver {
 public:
  driver() : fsm_(fixture_.store, config()) {
    fixture_.store.set_quota(user, 8192);
    handle(fsm_.start());
  }

  void feed(std::string_view bytes) { handle(fsm_.receive(bytes)); }

  // Another session (or the LDA) changes bob's mail.
  void change(std::uint8_t what) {
    auto& store = fixture_.store;
    auto inbox = store.messages(user, "INBOX");
    switch (what % 6) {
      case 0: store.deliver(user, test::message_three, test::start_time()); break;
      case 1:
        if (!inbox.empty()) store.expunge(user, "INBOX", {inbox.front().uid});
        break;
      case 2:
        if (!inbox.empty()) store.set_flags(user, "INBOX", {{inbox.back().uid, {"\\Seen", "$Fuzz"}}});
        break;
      case 3: store.rename_folder(user, "Trash", "Old/Trash"); break;
      case 4: store.delete_folder(user, "Trash"); break;
      case 5:  // (not a change: the STARTTLS handshake completes)
        if (handshaking_) handle(fsm_.tls_started());
        handshaking_ = false;
        break;
    }
    if (woken_ && fsm_.idling()) handle(fsm_.poll());
    woken_ = false;
  }

  std::string finish() {
    if (closed_) fuzz::check(fsm_.receive("x NOOP\r\n").empty(), "nothing after close");
    check_store();
    return out_;
  }

 private:
  server_config config() {
    server_config c;
    c.host_name = "imap.fuzz.test";
    c.now = [] { return test::start_time(); };
    c.on_change = [this] { woken_ = true; };
    c.tls = sim::net::tls_mode::offer;  // STARTTLS reachable, LOGIN still allowed in the clear
    c.on_state = [](server_state from, server_state to) {
      fuzz::check(allowed(from, to), "state change along an edge",
                  std::string(to_string(from)) + " -> " + std::string(to_string(to)));
    };
    return c;
  }

  void handle(std::vector<server_action> actions) {
    for (auto& a : actions) {
      fuzz::check(!closed_, "no action after close");
      if (auto* s = std::get_if<send_action>(&a)) {
        out_ += s->bytes;
        read_responses(s->bytes);
      } else if (auto* c = std::get_if<command_action>(&a)) {
        fuzz::check(c->line.find('\n') == std::string::npos, "a traced command is one line", c->line);
        auto split = split_command(c->line);
        if (split.tag) tags_.insert(*split.tag);
        out_ += "C:" + c->line + "\n";
      } else if (std::holds_alternative<sync_action>(a)) {
        out_ += "S\n";
      } else if (std::holds_alternative<starttls_action>(a)) {
        // The handshake completes at the next `00 01 05`; until then the
        // input is dropped, however it is split.
        fuzz::check(fsm_.state() == server_state::not_authenticated, "STARTTLS only before login");
        out_ += "T\n";
        handshaking_ = true;
      } else {
        closed_ = true;
        fuzz::check(fsm_.state() == server_state::logout, "close in the logout state");
      }
    }
    fuzz::check(fsm_.errors() <= limits::max_errors, "errors within the limit");
  }

  // The server's bytes read as a client reads them.
  void read_responses(std::string_view bytes) {
    responses_.feed(bytes);
    while (auto ev = responses_.next()) {
      if (ev->what == reader_event::kind::literal_request) {
        fuzz::check(ev->within_limits, "a response literal within the limits");
        responses_.accept_literal();
        continue;
      }
      fuzz::check(ev->what == reader_event::kind::command, "responses within the limits", ev->text);
      auto r = parse_response(ev->text);
      fuzz::check(r.has_value(), "the server sends responses", ev->text);
      if (r->what == response::kind::tagged) {
        fuzz::check(r->keyword == "OK" || r->keyword == "NO" || r->keyword == "BAD", "tagged OK, NO or BAD", ev->text);
        fuzz::check(tags_.count(r->tag) > 0, "a tagged response answers a tag the client used", ev->text);
      }
    }
  }

  void check_store() {
    const auto& store = fixture_.store;
    for (const auto& f : store.folders(user)) {
      auto status = store.status(user, f.name);
      fuzz::check(status.has_value(), "a listed folder has a status", f.name);
      std::uint32_t last = 0;
      for (const auto& m : store.messages(user, f.name)) {
        fuzz::check(m.uid > last && m.uid < status->uidnext, "UIDs ascend below UIDNEXT", f.name);
        last = m.uid;
      }
    }
  }

  test::server_fixture fixture_;
  server_fsm fsm_;
  command_reader responses_{reader_limits{limits::response_line}};
  std::set<std::string> tags_;
  std::string out_;
  bool woken_ = false;
  bool handshaking_ = false;
  bool closed_ = false;
};

// Feeds the stream to `d`, whole or in pieces, with the other session's
// changes at the 00 01 markers.
std::string run(std::string_view stream, std::uint8_t split, bool chunked) {
  driver d;
  while (true) {
    std::size_t marker = stream.find(std::string_view("\0\1", 2));
    std::string_view part = stream.substr(0, marker);
    if (!chunked) d.feed(part);
    else
      for (fuzz::chunker c(part, split); !c.done();) d.feed(c.next());
    if (marker == std::string_view::npos) break;
    stream.remove_prefix(marker + 2);
    d.change(stream.empty() ? 0 : static_cast<std::uint8_t>(stream.front()));
    if (!stream.empty()) stream.remove_prefix(1);
  }
  return d.finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  std::uint8_t split = in.byte();
  std::string_view stream = in.rest();
  fuzz::check(run(stream, split, false) == run(stream, split, true), "the same dialogue however the input is split");
  return 0;
}
