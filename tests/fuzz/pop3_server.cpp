// pop3_server: sim/pop3/server_fsm over a memory_maildrop, fed what a POP3 client might send.
//
// Input: one byte choosing the split and how the connection ends, then the
// client's bytes.  The maildrop has "alice" (password "secret", four
// messages with dot lines, bare LF, bare CR and no final line end), "bob"
// (any password, empty) and "carol" (locked by another session).
//
// Invariants: the same output however the input is split; every response
// starts with +OK or -ERR and ends with CRLF; a RETR or TOP body un-stuffs
// to the message (or its top) with CRLF line ends; nothing is handled while
// a PASS awaits its answer; deletions are committed once, on QUIT from
// TRANSACTION, naming messages of the snapshot; at most 10 errors; nothing
// after close; the lock is given back.
#include <deque>
#include <iterator>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "sim/pop3/command.hpp"
#include "sim/pop3/memory_maildrop.hpp"
#include "sim/pop3/response.hpp"
#include "sim/pop3/server_fsm.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::pop3;

namespace {

const std::vector<std::string> alice_mail = {
    "Subject: one\r\n\r\nHello\r\n.\r\n..two dots\r\n",
    "Subject: two\n\nbare LF body\n.\nlast line without end",
    ".\r\n",
    "Subject: four\r\n\r\nbare\rCR\r\n\r\n",
};

// What a client reads back: each line (LF-terminated, one CR before it
// dropped; a last unterminated line as it is) with CRLF.
std::string as_read(std::string_view content) {
  std::string out;
  while (!content.empty()) {
    std::size_t lf = content.find('\n');
    std::string_view line = content.substr(0, lf);
    if (lf != std::string_view::npos && line.ends_with('\r')) line.remove_suffix(1);
    out.append(line).append("\r\n");
    content.remove_prefix(lf == std::string_view::npos ? content.size() : lf + 1);
  }
  return out;
}

// The body of a multi-line response after its status line, un-stuffed.
std::string unstuffed_body(std::string_view bytes) {
  std::size_t first = bytes.find("\r\n");
  fuzz::check(first != std::string_view::npos, "a status line", bytes);
  std::string_view rest = bytes.substr(first + 2);
  std::string out;
  while (true) {
    std::size_t lf = rest.find('\n');
    fuzz::check(lf != std::string_view::npos, "a multi-line response ends with a '.' line", bytes);
    std::string_view line = rest.substr(0, lf);
    if (line.ends_with('\r')) line.remove_suffix(1);
    rest.remove_prefix(lf + 1);
    auto text = unstuff(line);
    if (!text) break;
    out.append(*text).append("\r\n");
  }
  fuzz::check(rest.empty(), "nothing after the terminating '.' line", bytes);
  return out;
}

class driver {
 public:
  driver() {
    drop_.add_user("alice", "secret");
    for (const auto& m : alice_mail) uids_.insert(drop_.deliver("alice", m));
    drop_.add_user("bob");
    drop_.add_user("carol", "secret");
    fuzz::check(drop_.try_lock("carol"), "carol can be locked");
    handle(fsm_.start());
  }

  void feed(std::string_view bytes) { handle(fsm_.receive(bytes)); }

  std::string finish() {
    if (fsm_.state() == server_state::closed) fuzz::check(fsm_.receive("NOOP\r\n").empty(), "nothing after close");
    if (granted_) drop_.unlock(user_);
    fuzz::check(!drop_.is_locked("alice") && !drop_.is_locked("bob"), "the lock is given back");
    return out_;
  }

 private:
  // A PASS's answer brings more actions; they join the queue.
  void handle(std::vector<server_action> actions) {
    std::deque<server_action> queue(std::make_move_iterator(actions.begin()), std::make_move_iterator(actions.end()));
    for (; !queue.empty(); queue.pop_front()) {
      server_action& a = queue.front();
      fuzz::check(!closed_, "no action after close");
      if (auto* c = std::get_if<command_action>(&a)) {
        fuzz::check(!awaiting_, "no command handled while PASS awaits its answer");
        last_command_ = c->line;
        out_ += "C:" + c->line + "\n";
      } else if (auto* s = std::get_if<send_action>(&a)) {
        check_response(s->bytes);
        out_ += s->bytes;
        last_command_.clear();
      } else if (auto* auth = std::get_if<authorize_action>(&a)) {
        fuzz::check(!awaiting_ && fsm_.awaiting_authorization(), "one PASS at a time");
        awaiting_ = true;
        authorization answer = authorize(drop_, auth->user, auth->password);
        if (answer.result == authorization::status::granted) {
          granted_ = true;
          user_ = auth->user;
          snapshot_ = answer.messages;
        }
        awaiting_ = false;
        out_ += "A:" + auth->user + "\n";
        for (auto& more : fsm_.authorized(std::move(answer))) queue.push_back(std::move(more));
      } else if (auto* commit = std::get_if<commit_action>(&a)) {
        fuzz::check(!committed_ && granted_, "one commit, after a granted PASS");
        committed_ = true;
        std::set<std::string> seen;
        for (const auto& uid : commit->deleted_uids) {
          fuzz::check(seen.insert(uid).second, "each uid deleted once", uid);
          bool known = false;
          for (const auto& m : snapshot_) known = known || m.uid == uid;
          fuzz::check(known, "deleted uids come from the snapshot", uid);
        }
        drop_.commit(user_, commit->deleted_uids);
        out_ += fmt::format("D:{}\n", commit->deleted_uids.size());
      } else {
        fuzz::check(fsm_.state() == server_state::closed, "close in state closed");
        closed_ = true;
      }
    }
    fuzz::check(fsm_.errors() <= 10, "at most 10 errors");
  }

  void check_response(const std::string& bytes) {
    fuzz::check(bytes.starts_with("+OK") || bytes.starts_with("-ERR"), "a response starts +OK or -ERR", bytes);
    fuzz::check(bytes.ends_with("\r\n"), "a response ends with CRLF", bytes);
    fuzz::check(parse_status(bytes.substr(0, bytes.find("\r\n"))).has_value(), "the status line parses", bytes);
    if (!bytes.starts_with("+OK")) return;
    command c = parse_command(last_command_);
    auto args = split_arguments(c.argument);
    if (c.keyword == "RETR") {
      auto n = parse_number(c.argument);
      fuzz::check(n && *n >= 1 && *n <= snapshot_.size(), "RETR +OK names a message", last_command_);
      fuzz::check(unstuffed_body(bytes) == as_read(snapshot_[*n - 1].content), "RETR gives the message", bytes);
    } else if (c.keyword == "TOP" && args.size() == 2) {
      auto n = parse_number(args[0]);
      auto lines = parse_number(args[1]);
      fuzz::check(n && lines && *n >= 1 && *n <= snapshot_.size(), "TOP +OK names a message", last_command_);
      fuzz::check(unstuffed_body(bytes) == as_read(top_of(snapshot_[*n - 1].content, *lines)),
                  "TOP gives the top of the message", bytes);
    } else if ((c.keyword == "LIST" || c.keyword == "UIDL") && c.argument.empty()) {
      (void)unstuffed_body(bytes);
    }
  }

  memory_maildrop drop_;
  server_fsm fsm_;
  std::set<std::string> uids_;
  std::vector<maildrop_message> snapshot_;
  std::string user_;
  std::string last_command_;
  std::string out_;
  bool awaiting_ = false, granted_ = false, committed_ = false, closed_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  std::uint8_t split = in.byte();
  std::string_view stream = in.rest();

  driver whole;
  whole.feed(stream);
  driver pieces;
  for (fuzz::chunker c(stream, split); !c.done();) pieces.feed(c.next());
  fuzz::check(whole.finish() == pieces.finish(), "the same dialogue however the input is split");
  return 0;
}
