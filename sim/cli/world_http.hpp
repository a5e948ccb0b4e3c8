// sim/cli/world_http.hpp - the REST API's view of a live world (`mailsim serve --http`).
//
// sim::http::world_api over a sim::scenario::world, on the world's own
// thread.  Reading goes to the hosts' mailbox stores and queues; changing
// goes through the world's timeline paths, with the JSON read by the
// scenario loader's own readers, so an API fault, heal, send or expect is
// refused with the very message (and JSON pointer) a scenario file would
// get.  The trace keeps nothing itself: this adapter is a sink that keeps
// the last `trace_kept` events as lines (the API's ?since and ?follow read
// them, and POST /expect replays them for the trace-based kinds).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/cli/live_server.hpp"
#include "sim/http/world_api.hpp"
#include "sim/scenario/world.hpp"

namespace sim::cli {

class world_http final : public http::world_api {
 public:
  // 100000 events: the API's largest ?limit, some tens of MB at most.
  static constexpr std::size_t default_trace_kept = 100000;

  // `listeners`: live_server's lines, for each service's real address.
  world_http(scenario::world& w, sim::trace& tr, const sim::clock& clk, const std::vector<listener_line>& listeners,
             std::size_t trace_kept = default_trace_kept);
  ~world_http() override;
  world_http(const world_http&) = delete;
  world_http& operator=(const world_http&) = delete;

  sim::wall_time start() const override;
  std::vector<http::host_info> hosts() const override;
  std::vector<http::mailbox_info> mailboxes() const override;
  http::result<std::vector<http::stored_message>> messages(std::string_view address) const override;
  http::result<http::stored_message> message(std::string_view id) const override;
  http::result<std::vector<http::queued_message>> queue(std::string_view host) const override;
  http::trace_page trace(std::uint64_t since, std::size_t limit) const override;
  std::unique_ptr<http::subscription> watch_trace(std::function<void()> on_event) override;

  std::optional<http::problem> apply_fault(const http::json& fault) override;
  std::optional<http::problem> heal(const http::json& heal) override;
  http::result<http::sent_receipt> send(const http::json& send) override;
  http::result<std::vector<http::expect_line>> check(const http::json& expectations) override;
  // A mailbox a POP3 session holds is left as it is (its session's view
  // must not change under it); the others are emptied durably: INBOX as
  // POP3 DELE does, the other folders as IMAP EXPUNGE does.
  std::size_t delete_messages() override;

  // The id of a filed message: 16 hex digits of FNV-1a 64 over host,
  // address, folder (but INBOX) and uid.
  static std::string message_id_of(std::string_view host, std::string_view address, std::string_view folder,
                                   std::string_view uid);

 private:
  class watch;
  void observe(const sim::event_view& e);
  http::stored_message view(const std::string& host, const std::string& address, const std::string& folder,
                            const lda::stored_message& m) const;

  scenario::world& world_;
  sim::trace& trace_;
  const sim::clock& clock_;
  std::map<std::pair<std::string, std::string>, std::string> listen_;  // (host, service) -> "127.0.0.1:2500"
  std::size_t kept_;
  std::size_t sink_;
  std::deque<http::trace_line> lines_;  // the last kept_ events, seq ascending
  std::map<std::string, sim::time_point> delivered_;  // message id -> when it was filed
  std::map<std::uint64_t, std::function<void()>> watchers_;
  std::uint64_t next_watcher_ = 0;
  std::uint64_t api_sends_ = 0;
};

}  // namespace sim::cli
