// sim/lda/lda.hpp - the local delivery agent: files mail into mailboxes.
//
// It serves LMTP (RFC 2033) to its host's MTA, as Dovecot does for
// Postfix: an unknown mailbox is refused at RCPT (550 5.1.1), a full one
// after the final dot (452 4.2.2, temporary), and every accepted message
// gets Return-Path (from the envelope sender; "<>" for a bounce) and
// Delivered-To on top and is durable before the 250.  Each recipient's
// copy goes to INBOX or Junk (filing.hpp): the mailbox's own allow and
// block lists, then the MTA's verdict in "X-Spam: Yes".
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "sim/core/clock.hpp"
#include "sim/core/trace.hpp"
#include "sim/lda/filing.hpp"
#include "sim/lda/mailbox_store.hpp"
#include "sim/net/stream.hpp"
#include "sim/smtp/server_session.hpp"

namespace sim::lda {

// One final delivery, for whoever records the run's outcome.
struct delivery_record {
  std::string host;
  std::string mailbox;
  std::string raw;
  std::string folder = "INBOX";
};

// One copy filed, as the campaign's readers learn of it (the world's
// engagement): where it went and the message's Message-ID.
struct filed_copy {
  const std::string& mailbox;
  const std::string& folder;
  const std::optional<std::string>& message_id;
};

class lda {
 public:
  lda(std::string host, mailbox_store& boxes, sim::clock& clk, sim::trace& tr);

  // Serves one LMTP connection until the client quits.
  asio::awaitable<void> serve(std::shared_ptr<net::stream> conn);
  // What serve() runs: the LMTP session's options and the LDA's answers
  // (also for lmtp_pipe, the same dialogue without a connection).
  smtp::server_session_options lmtp_options() const;
  std::unique_ptr<smtp::server_hooks> lmtp_hooks();

  mailbox_store& mailboxes() { return boxes_; }
  const mailbox_store& mailboxes() const { return boxes_; }
  // The scenario's `mailbox_full` fault.
  void set_full(const std::string& mailbox) { full_.insert(mailbox); }
  void clear_faults() { full_.clear(); }
  void on_deliver(std::function<void(delivery_record)> listener) { listener_ = std::move(listener); }
  // Told of every copy once it is filed (no copy of the message is made).
  void on_filed(std::function<void(const filed_copy&)> listener) { filed_ = std::move(listener); }
  // Filing: honour "X-Spam: Yes" (the host's MTA runs the content filter),
  // and a mailbox's own allow and block lists.
  void set_junk_filing(bool on) { read_junk_field_ = on; }
  // The host's MTA judges reputation: its X-Reputation mark files in Junk.
  void set_reputation_filing(bool on) { read_reputation_field_ = on; }
  void set_lists(const std::string& mailbox, policy::access_list lists);
  folder_choice folder_for(const std::string& mailbox, const std::string& return_path, const std::string& content) const;

  // The decisions, public for the session's hooks.
  bool over_quota(const std::string& mailbox, std::size_t incoming) const;
  // Files into `folder` (it must exist: mailbox_store::has_folder);
  // returns the message's UID.
  asio::awaitable<std::string> file(const std::string& mailbox, const std::string& return_path,
                                    const std::string& content, const std::string& folder = "INBOX");
  // Files where the filing rule chose (filing.hpp): lda.deliver names the
  // folder (and the reason) whenever a rule was read.
  asio::awaitable<std::string> file(const std::string& mailbox, const std::string& return_path,
                                    const std::string& content, const folder_choice& folder);
  const std::string& host() const { return host_; }
  sim::trace& get_trace() { return trace_; }

 private:
  std::string host_;
  mailbox_store& boxes_;
  sim::clock& clock_;
  sim::trace& trace_;
  std::set<std::string> full_;
  std::function<void(delivery_record)> listener_;
  std::function<void(const filed_copy&)> filed_;
  bool read_junk_field_ = false;
  bool read_reputation_field_ = false;
  std::map<std::string, policy::access_list> lists_;  // key: lower-case address
};

}  // namespace sim::lda
