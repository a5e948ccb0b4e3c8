// tests/sim/http/fake_world.hpp - a small world_api for the HTTP tests.
//
// Two MTA hosts (mail.sender.test with submission, mx1.example.org with
// mailboxes) and a client machine; messages filed at once by send() (each
// recipient with a mailbox gets it, the others wait in mail.sender.test's
// queue as deferred); a trace of the events it emits, stamped with a
// clock the test moves (advance()).  Faults are checked by a validator the
// test may replace (the real world uses the scenario loader's rules).
// check() understands `delivered` {"to"} and `queue_empty`.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sim/http/world_api.hpp"

namespace sim::http::testing {

class fake_world : public world_api {
 public:
  using validator = std::function<std::optional<std::string>(const json& fault)>;

  fake_world();

  // Files a message as the LDA would (Return-Path and Delivered-To on top); its id.
  std::string file(const std::string& address, const std::string& raw, const std::string& return_path = "alice@sender.test");
  // Appends a trace event; returns its seq.
  std::uint64_t emit(const std::string& host, const std::string& agent, const std::string& event, json fields = json::object());
  void advance(sim::duration d) { now_ += d; }
  void set_validator(validator v) { validate_ = std::move(v); }
  std::size_t watchers() const { return watchers_.size(); }
  // The highest seq trace() has handed out, plus one (how far readers got).
  std::uint64_t handed_out() const { return handed_out_; }

  sim::wall_time start() const override;
  std::vector<host_info> hosts() const override;
  std::vector<mailbox_info> mailboxes() const override;
  result<std::vector<stored_message>> messages(std::string_view address) const override;
  result<stored_message> message(std::string_view id) const override;
  result<std::vector<queued_message>> queue(std::string_view host) const override;
  trace_page trace(std::uint64_t since, std::size_t limit) const override;
  std::unique_ptr<subscription> watch_trace(std::function<void()> on_event) override;
  std::optional<problem> apply_fault(const json& fault) override;
  std::optional<problem> heal(const json& heal) override;
  result<sent_receipt> send(const json& send) override;
  result<std::vector<expect_line>> check(const json& expectations) override;
  std::size_t delete_messages() override;

 private:
  struct filed {
    std::string id, address, return_path, raw;
    sim::time_point at;
  };
  struct watch;
  host_info* find_host(std::string_view name);

  sim::time_point now_{};
  std::vector<host_info> hosts_;
  std::vector<std::pair<std::string, std::string>> boxes_;  // address, host
  std::vector<filed> mail_;
  std::vector<queued_message> queue_;  // mail.sender.test's
  std::vector<std::string> events_;
  std::map<std::string, std::vector<json>> dns_faults_;
  std::map<std::uint64_t, std::function<void()>> watchers_;
  std::uint64_t next_watch_ = 1, next_id_ = 1, sent_ = 0;
  mutable std::uint64_t handed_out_ = 0;
  validator validate_;
};

}  // namespace sim::http::testing
