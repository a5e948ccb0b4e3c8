// sim/smtp/client_transaction.cpp - client_fsm: one mail transaction, MAIL to the final dot.
#include "sim/smtp/client_fsm.hpp"
#include "sim/smtp/dot_stuffer.hpp"

namespace sim::smtp {
namespace {

delivery_status status_of(const reply& r) {
  if (r.code / 100 == 2) return delivery_status::ok;
  return r.code / 100 == 4 ? delivery_status::tempfail : delivery_status::permfail;
}

}  // namespace

bool client_fsm::send_message(outgoing_message message) {
  if (state_ != st::idle || !out_.empty() || message.recipients.empty()) return false;
  message_ = std::move(message);
  stuffed_.reset();
  outcomes_.clear();
  for (auto& r : message_.recipients) outcomes_.push_back({r.forward_path, delivery_status::tempfail, {}, client_phase::rcpt});
  settled_.assign(outcomes_.size(), false);
  accepted_.clear();
  dot_replies_ = 0;
  mail_ok_ = false;
  message_done_ = false;
  state_ = st::transaction;
  if (need_rset_) return send_command("RSET", expect::rset), true;
  start_transaction();
  return true;
}

// MAIL, then the RCPTs: all in one write when the server offers PIPELINING
// (RFC 2920 3.1).  DATA waits for the RCPT replies, unless `pipeline_data`
// puts it last in the same group (as Postfix does): then a server that
// refused every recipient answers it with an error (554 5.5.1).
void client_fsm::start_transaction() {
  mail_command mail{message_.reverse_path, {}};
  // Stuffed once: SIZE and BODY come from it, and it is what DATA sends.
  if (!stuffed_) stuffed_ = dot_stuff(message_.content);
  if (caps_.size) mail.params.size = stuffed_->bytes;  // RFC 1870 3: the normalized content
  if (caps_.eight_bit_mime && stuffed_->eight_bit) mail.params.body = body_type::eight_bit_mime;
  if (caps_.dsn) {  // RFC 3461 4: DSN parameters only to a server that offers DSN
    mail.params.ret = message_.ret;
    mail.params.envid = message_.envid;
  }
  if (!caps_.pipelining) return send_command(format_mail(mail), expect::mail);
  std::vector<std::string> lines;
  std::vector<awaited> what;
  lines.reserve(message_.recipients.size() + 2);
  what.reserve(message_.recipients.size() + 2);
  lines.push_back(format_mail(mail));
  what.push_back({expect::mail});
  for (std::size_t i = 0; i < message_.recipients.size(); ++i) {
    rcpt_command rc{message_.recipients[i].forward_path, caps_.dsn ? message_.recipients[i].params : rcpt_parameters{}};
    lines.push_back(format_rcpt(rc));
    what.push_back({expect::rcpt, i});
  }
  if (data_pipelined()) {
    lines.push_back("DATA");
    what.push_back({expect::data});
  }
  send_commands(std::move(lines), std::move(what));
}

void client_fsm::send_rcpt(std::size_t i) {
  rcpt_command rc{message_.recipients[i].forward_path, caps_.dsn ? message_.recipients[i].params : rcpt_parameters{}};
  send_command(format_rcpt(rc), expect::rcpt, i);
}

void client_fsm::handle_transaction(const awaited& a, reply r) {
  switch (a.what) {
    case expect::rset:
      if (r.code / 100 != 2) return fail(session_result::protocol_error, std::move(r));
      need_rset_ = false;
      return start_transaction();
    case expect::mail:
      mail_ok_ = r.code / 100 == 2;
      if (!mail_ok_) {
        for (std::size_t i = 0; i < outcomes_.size(); ++i) settle(i, r, client_phase::mail);
        if (!caps_.pipelining) return finish_message();
        return;  // the pipelined RCPT replies still arrive and are ignored
      }
      if (!caps_.pipelining) send_rcpt(0);
      return;
    case expect::rcpt:
      if (mail_ok_) {
        if (r.code / 100 == 2) accepted_.push_back(a.index);
        else settle(a.index, r, client_phase::rcpt);
      }
      if (a.index + 1 < message_.recipients.size()) {
        if (!caps_.pipelining) send_rcpt(a.index + 1);
        return;
      }
      if (data_pipelined()) return;  // DATA's reply is on its way
      return after_recipients();
    case expect::data:
      if (r.code != 354) {
        settle_accepted(r, client_phase::data_init);
        need_rset_ = true;
        return finish_message();
      }
      // A pipelined DATA that a server accepted with nothing to send:
      // the empty content ends it (RFC 2920 3.1), and nothing is settled.
      if (!mail_ok_ || accepted_.empty()) {
        message_.content.clear();
        stuffed_.reset();
        need_rset_ = true;
      }
      return send_content();
    case expect::dot:
      // RFC 2033 4.2: in LMTP one reply per accepted recipient, in order.
      if (options_.lmtp) settle(accepted_[dot_replies_++], r, client_phase::data_end);
      else settle_accepted(r, client_phase::data_end);
      if (!options_.lmtp || dot_replies_ == accepted_.size()) finish_message();
      return;
    default:
      return;
  }
}

bool client_fsm::data_pipelined() const { return caps_.pipelining && options_.pipeline_data && !options_.lmtp; }

void client_fsm::after_recipients() {
  if (!mail_ok_) return finish_message();
  if (accepted_.empty()) {
    need_rset_ = true;  // the transaction is open on the server
    return finish_message();
  }
  send_command("DATA", expect::data);
}

void client_fsm::send_content() {
  stuffed_content s = stuffed_ ? std::move(*stuffed_) : dot_stuff(message_.content);
  stuffed_.reset();
  client_action a{client_action::kind::send};
  a.bytes = std::move(s.wire);
  a.is_data = true;
  a.data_bytes = s.bytes;
  a.data_lines = s.lines;
  a.at = client_phase::data_block;
  a.timeout = options_.timeouts(client_phase::data_block);
  out_.push_back(std::move(a));
  std::size_t replies = options_.lmtp ? accepted_.size() : 1;
  for (std::size_t i = 0; i < replies; ++i) awaiting_.push_back({expect::dot});
}

void client_fsm::settle(std::size_t i, const reply& r, client_phase at) {
  if (i >= outcomes_.size() || settled_[i]) return;
  outcomes_[i].status = status_of(r);
  outcomes_[i].server_reply = r;
  outcomes_[i].at = at;
  settled_[i] = true;
}

void client_fsm::settle_accepted(const reply& r, client_phase at) {
  for (auto i : accepted_) settle(i, r, at);
}

void client_fsm::finish_message() {
  message_done_ = true;
  state_ = st::idle;
}

}  // namespace sim::smtp
