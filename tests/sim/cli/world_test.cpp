// tests/sim/cli/world_test.cpp - the parts of `mailsim world` that need no namespace:
// the addresses it accepts, and the replies of an external SMTP server read off the stream.
#include <catch2/catch.hpp>

#include <deque>

#include "sim/cli/world_namespace.hpp"
#include "sim/cli/world_observed_stream.hpp"
#include "sim/core/trace_recorder.hpp"

using sim::cli::is_world_address;

TEST_CASE("a world accepts documentation and loopback addresses only") {
  for (const char* ip : {"192.0.2.0", "192.0.2.255", "198.51.100.7", "203.0.113.200", "127.0.0.1", "127.9.8.7",
                         "2001:db8::1", "2001:db8:ffff::25", "::1"})
    CHECK(is_world_address(ip));
  for (const char* ip : {"192.0.3.1", "192.0.1.255", "198.51.101.1", "203.0.114.1", "10.0.0.1", "8.8.8.8",
                         "172.16.0.1", "2001:db9::1", "2001:470::1", "::2", "fe80::1", "::ffff:192.0.2.1", "", "x",
                         "300.1.2.3"})
    CHECK_FALSE(is_world_address(ip));
}

namespace {

// Hands out preset chunks, then EOF.
class script_stream final : public sim::net::stream {
 public:
  explicit script_stream(std::deque<std::string> chunks) : chunks_(std::move(chunks)) {}
  asio::awaitable<sim::net::read_result> read_some(std::span<char> buffer) override {
    if (chunks_.empty()) co_return sim::net::read_result{asio::error::eof, 0};
    std::string c = std::move(chunks_.front());
    chunks_.pop_front();
    std::copy(c.begin(), c.end(), buffer.begin());
    co_return sim::net::read_result{{}, c.size()};
  }
  asio::awaitable<sim::error_code> write_all(std::string_view) override { co_return sim::error_code{}; }
  void close() override {}
  void reset() override {}
  bool is_open() const override { return true; }
  const sim::net::endpoint& local() const override { return local_; }
  const sim::net::endpoint& remote() const override { return remote_; }
  const std::string& session() const override { return session_; }

 protected:
  void start_read_some(std::span<char>, read_handler h) override { std::move(h)(asio::error::operation_not_supported, 0); }
  void start_write_all(std::string_view, write_handler h) override { std::move(h)(sim::error_code{}); }

 private:
  std::deque<std::string> chunks_;
  sim::net::endpoint local_{"mail.sender.test", "192.0.2.30", 49152};
  sim::net::endpoint remote_{"mx.postfix.test", "198.51.100.25", 25};
  std::string session_ = "s4";
};

std::vector<std::string> replies_seen(std::deque<std::string> chunks) {
  asio::io_context ctx;
  sim::recording_trace tr;
  auto inner = std::make_shared<script_stream>(std::move(chunks));
  sim::cli::observed_smtp_stream s(inner, tr);
  std::string bytes;
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    std::array<char, 512> buf;
    for (;;) {
      auto r = co_await s.read_some(buf);
      if (r.ec) co_return;
      bytes.append(buf.data(), r.bytes);
    }
  }, asio::detached);
  ctx.run();
  std::vector<std::string> out;
  for (const auto& e : tr.events()) {
    CHECK(e["event"] == "smtp.reply");
    CHECK(e["host"] == "mx.postfix.test");
    CHECK(e["peer"] == "mail.sender.test");
    CHECK(e["session"] == "s4");
    out.push_back(std::to_string(e["code"].get<int>()) + " " + e["enhanced"].dump() + " " + e["text"].get<std::string>() +
                  " (" + std::to_string(e["lines"].size()) + ")");
  }
  return out;
}

}  // namespace

TEST_CASE("an external server's replies become smtp.reply events on it, however the bytes are split") {
  const std::string wire =
      "220 mx.postfix.test ESMTP Postfix\r\n"
      "250-mx.postfix.test\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n"
      "550 5.1.1 <nobody@postfix.test>: Recipient address rejected\r\n"
      "250 2.0.0 Ok: queued as 4F1A\r\n";
  const std::vector<std::string> want{
      "220 null mx.postfix.test ESMTP Postfix (1)",
      "250 null mx.postfix.test (3)",
      "550 \"5.1.1\" <nobody@postfix.test>: Recipient address rejected (1)",
      "250 \"2.0.0\" Ok: queued as 4F1A (1)",
  };
  CHECK(replies_seen({wire}) == want);
  for (std::size_t at = 1; at < wire.size(); ++at) {
    INFO("split at " << at);
    CHECK(replies_seen({wire.substr(0, at), wire.substr(at)}) == want);
  }
}

TEST_CASE("bytes that are not SMTP replies stop the observer, not the stream") {
  auto seen = replies_seen({"220 ok\r\n", "garbage without a code\r\n", "250 later\r\n"});
  REQUIRE(seen.size() == 1);
  CHECK(seen[0] == "220 null ok (1)");
}
