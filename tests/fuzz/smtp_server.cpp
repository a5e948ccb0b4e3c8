// smtp_server: sim/smtp/server_fsm fed what an SMTP or LMTP client might send.
//
// Input: one byte of options (LMTP, AUTH offered, small size / recipient /
// error limits, the greeting decision), one byte choosing how the stream is
// split, then the client's bytes (commands, PIPELINING batches, AUTH
// exchanges, DATA).  Decisions are scripted from their arguments: a name,
// sender or recipient holding "reject" gets 550, "tempfail" 450, "goodbye"
// 421; content holding "reject" gets 554; the password "secret" passes AUTH.
//
// Invariants: the stream gives the same replies however it is split; every
// reply has a code in 200..599 and a well-formed enhanced status of its
// class, lines of at most 512 octets, and reads back as itself; states only
// change along the machine's edges; the envelope matches the state; the
// content of a message survives dot-stuffing and reading back; LMTP answers
// once per accepted recipient; nothing is said after close.
#include <string>
#include <vector>

#include "sim/smtp/dot_stuffer.hpp"
#include "sim/smtp/server_fsm.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::smtp;

namespace {

struct options_byte {
  server_options options;
  int greeting = 0;  // 0: accept, 1: 554, 2: 421
};

options_byte read_options(std::uint8_t b) {
  options_byte o;
  o.options.host_name = "mx.fuzz.test";
  o.options.lmtp = b & 1;
  o.options.auth_offered = b & 2;
  if (b & 4) o.options.max_message_size = 64;
  if (b & 8) o.options.max_recipients = 2;
  if (b & 16) o.options.error_limit = 3;
  o.greeting = (b >> 5) % 4 == 3 ? 1 : (b >> 5) % 4 == 2 ? 2 : 0;
  if (b & 0x80) o.options.max_message_size = 0;
  return o;
}

bool allowed(server_state from, server_state to) {
  using s = server_state;
  if (to == s::closed) return from != s::closed;
  switch (from) {
    case s::connected: return to == s::greeted || to == s::refused;
    case s::greeted: return to == s::ready;
    case s::ready: return to == s::mail || to == s::auth;
    case s::mail: return to == s::rcpt || to == s::ready;
    case s::rcpt: return to == s::data || to == s::ready;
    case s::data: return to == s::ready;
    case s::auth: return to == s::ready;
    case s::refused:
    case s::closed: return false;
  }
  return false;
}

reply scripted(const decision_request& req, int greeting) {
  if (req.what == ask::connect) {
    if (greeting == 1) return reply{554, "5.7.1", "No SMTP service here"};
    if (greeting == 2) return reply{421, "4.3.2", "Service not available"};
    return req.proposed;
  }
  if (req.what == ask::auth) {
    fuzz::check(req.credentials.has_value(), "an AUTH decision carries credentials");
    if (req.credentials->password != "secret") return reply{535, "5.7.8", "Authentication credentials invalid"};
    return req.proposed;
  }
  if (req.what == ask::mail) fuzz::check(req.mail.has_value(), "a MAIL decision carries the command");
  if (req.what == ask::rcpt) fuzz::check(req.rcpt.has_value(), "a RCPT decision carries the command");
  if (fuzz::contains(req.argument, "goodbye")) return reply{421, "4.3.2", "Closing"};
  if (fuzz::contains(req.argument, "reject")) return reply{550, "5.7.1", "Rejected"};
  if (fuzz::contains(req.argument, "tempfail")) return reply{450, "4.7.1", "Try later"};
  return req.proposed;
}

void check_reply(const reply& r) {
  fuzz::check(r.code >= 200 && r.code <= 599, "reply code in 200..599", format_reply(r));
  fuzz::check(!r.lines.empty(), "a reply has a line");
  if (!r.enhanced.empty())
    fuzz::check(is_enhanced_status(r.enhanced) && r.enhanced[0] == '0' + r.code / 100,
                "enhanced status well formed and of the reply's class", format_reply(r));
  for (const auto& line : wire_lines(r))
    fuzz::check(line.size() + 2 <= limits::reply_line, "reply line within 512 octets", line);
  std::string wire = format_reply(r);
  reply_parser p;
  fuzz::check(p.feed(wire) == wire.size() && p.state() == reply_parser::status::complete, "reply reads back",
              wire);
  fuzz::check(p.take() == r, "reply reads back as itself", wire);
}

std::string reread(const std::string& wire) {
  data_reader reader;
  std::size_t used = reader.feed(wire);
  fuzz::check(reader.done() && used == wire.size(), "dot-stuffed content reads back whole", wire);
  return reader.content();
}

struct run {
  std::string wire;
  std::vector<std::string> transitions;
  std::vector<std::string> contents;
  bool closed = false;
};

class driver {
 public:
  explicit driver(const options_byte& o) : greeting_(o.greeting), fsm_(o.options, observer()) { step(); }

  void feed(std::string_view bytes) {
    fsm_.feed(bytes);
    step();
  }
  void end(bool timeout) {
    if (timeout) fsm_.on_timeout();
    else fsm_.on_end_of_input();
    step();
    fuzz::check(fsm_.state() == server_state::closed, "closed after the end of input or a timeout");
    fuzz::check(fsm_.next().what == server_action::kind::close, "close stays close");
  }
  run& result() { return run_; }

 private:
  server_observer observer() {
    server_observer o;
    o.on_state = [this](server_state from, server_state to) {
      fuzz::check(allowed(from, to), "state change along an edge",
                  std::string(state_name(from)) + " -> " + std::string(state_name(to)));
      run_.transitions.push_back(std::string(state_name(to)));
    };
    o.on_data = [this](std::uint64_t bytes, std::uint64_t) { data_bytes_ = bytes; };
    return o;
  }

  void step() {
    for (int guard = 0;; ++guard) {
      fuzz::check(guard < 1000000, "the machine settles");
      auto a = fsm_.next();
      if (a.what == server_action::kind::reply) {
        fuzz::check(!run_.closed, "nothing said after close");
        check_reply(a.out);
        if (a.at == phase::dot) ++dot_replies_;
        run_.wire += format_reply(a.out);
        continue;
      }
      check_lmtp_replies();
      if (a.what == server_action::kind::need_input) return check_resting();
      if (a.what == server_action::kind::close) {
        run_.closed = true;
        fuzz::check(fsm_.state() == server_state::closed, "close only in state closed");
        return;
      }
      decide(*a.request);
    }
  }

  void decide(const decision_request& req) {
    if (req.what != ask::message) return fsm_.decide(scripted(req, greeting_));
    const std::string& content = fsm_.content();
    run_.contents.push_back(content);
    fuzz::check(content.size() == data_bytes_, "the reported size is the content's", content);
    fuzz::check(reread(dot_stuff(content).wire) == content, "content survives dot-stuffing", content);
    const auto& rcpts = fsm_.transaction().recipients;
    fuzz::check(!rcpts.empty(), "a message has recipients");
    std::vector<reply> answers;
    for (const auto& r : rcpts) {
      bool refuse = fuzz::contains(content, "reject") ||
                    (fsm_.options().lmtp && fuzz::contains(r.forward_path.local_part, "reject"));
      answers.push_back(refuse ? reply{554, "5.7.1", "Refused"} : req.proposed);
    }
    dot_replies_ = 0;
    expected_dot_replies_ = fsm_.options().lmtp ? rcpts.size() : 1;
    fsm_.decide_message(answers);
  }

  // RFC 2033 4.2: after the final dot, one reply per accepted recipient.
  void check_lmtp_replies() {
    if (!expected_dot_replies_) return;
    fuzz::check(dot_replies_ == expected_dot_replies_, "one final reply per accepted recipient (LMTP) or one");
    expected_dot_replies_ = 0;
  }

  void check_resting() {
    const auto& env = fsm_.transaction();
    const auto& o = fsm_.options();
    fuzz::check(fsm_.error_count() <= o.error_limit, "error count within the limit");
    switch (fsm_.state()) {
      case server_state::ready:
      case server_state::greeted:
        fuzz::check(env.recipients.empty(), "no recipients outside a transaction");
        break;
      case server_state::mail:
        fuzz::check(env.recipients.empty(), "no recipients right after MAIL");
        break;
      case server_state::rcpt:
      case server_state::data:
        fuzz::check(!env.recipients.empty() && env.recipients.size() <= o.max_recipients,
                    "recipients between 1 and the limit");
        break;
      default:
        break;
    }
  }

  int greeting_;
  server_fsm fsm_;
  run run_;
  std::uint64_t data_bytes_ = 0;
  std::size_t dot_replies_ = 0;
  std::size_t expected_dot_replies_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  options_byte o = read_options(in.byte());
  std::uint8_t split = in.byte();
  std::string_view stream = in.rest();
  bool timeout = split & 0x40;

  driver whole(o);
  whole.feed(stream);
  whole.end(timeout);

  driver pieces(o);
  for (fuzz::chunker c(stream, split); !c.done();) pieces.feed(c.next());
  pieces.end(timeout);

  fuzz::check(whole.result().wire == pieces.result().wire, "the same replies however the input is split");
  fuzz::check(whole.result().transitions == pieces.result().transitions, "the same states however it is split");
  fuzz::check(whole.result().contents == pieces.result().contents, "the same content however it is split");
  return 0;
}
