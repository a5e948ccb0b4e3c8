// sim/lda/lda.hpp - the local delivery agent: files mail into mailboxes.
//
// It serves LMTP (RFC 2033) to its host's MTA, as Dovecot does for
// Postfix: an unknown mailbox is refused at RCPT (550 5.1.1), a full one
// after the final dot (452 4.2.2, temporary), and every accepted message
// gets Return-Path (from the envelope sender; "<>" for a bounce) and
// Delivered-To on top and is durable before the 250.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>

#include "sim/core/clock.hpp"
#include "sim/core/trace.hpp"
#include "sim/lda/mailbox_store.hpp"
#include "sim/net/stream.hpp"

namespace sim::lda {

// One final delivery, for whoever records the run's outcome.
struct delivery_record {
  std::string host;
  std::string mailbox;
  std::string raw;
};

class lda {
 public:
  lda(std::string host, mailbox_store& boxes, sim::clock& clk, sim::trace& tr);

  // Serves one LMTP connection until the client quits.
  asio::awaitable<void> serve(std::shared_ptr<net::stream> conn);

  mailbox_store& mailboxes() { return boxes_; }
  const mailbox_store& mailboxes() const { return boxes_; }
  // The scenario's `mailbox_full` fault.
  void set_full(const std::string& mailbox) { full_.insert(mailbox); }
  void clear_faults() { full_.clear(); }
  void on_deliver(std::function<void(delivery_record)> listener) { listener_ = std::move(listener); }

  // The decisions, public for the session's hooks.
  bool over_quota(const std::string& mailbox, std::size_t incoming) const;
  asio::awaitable<std::string> file(const std::string& mailbox, const std::string& return_path,
                                    const std::string& content);
  const std::string& host() const { return host_; }
  sim::trace& get_trace() { return trace_; }

 private:
  std::string host_;
  mailbox_store& boxes_;
  sim::clock& clock_;
  sim::trace& trace_;
  std::set<std::string> full_;
  std::function<void(delivery_record)> listener_;
};

}  // namespace sim::lda
