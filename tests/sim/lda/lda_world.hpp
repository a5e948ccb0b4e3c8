// One LDA on mx.example.org with its mailbox store over a simulated
// store, and a raw LMTP client: the MTA's side of RFC 2033 written out by
// hand, so the tests see the exact replies.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/core/trace_recorder.hpp"
#include "sim/core/task_group.hpp"
#include "sim/core/virtual_clock.hpp"
#include "sim/lda/lda.hpp"
#include "sim/net/memory_stream.hpp"
#include "sim/net/network.hpp"
#include "sim/storage/memory_store.hpp"

namespace sim::lda::test {

using namespace std::chrono_literals;

struct lda_world {
  explicit lda_world(duration durability = storage::default_durability_delay) : mail(clk, durability) {
    net.add_host(host, "198.51.100.10");
    boxes.set_background(&upkeep);
  }

  // Sends `lines` (each followed by CRLF) after the greeting, in one write
  // (the client pipelines; the server answers in order), then reads every
  // reply until the server closes.  The final line of each reply is kept.
  std::shared_ptr<std::vector<std::string>> lmtp_at(time_point at, std::vector<std::string> lines) {
    auto out = std::make_shared<std::vector<std::string>>();
    clk.call_at(at, [this, lines = std::move(lines), out]() mutable {
      // Our own session ids (fmt: g++ 12 warns falsely on "s" + to_string inlined here).
      auto [client, server] = net::memory_stream::make_pair(net, fmt::format("lmtp{}", ++sessions_),
                                                            {host, "198.51.100.10", 0}, {host, "198.51.100.10", 24});
      tasks.spawn(agent.serve(server));
      tasks.spawn(converse(client, std::move(lines), out));
    });
    return out;
  }

  // The host dies: the connection, the store's writes in flight, the index.
  void crash() {
    net.crash(host);
    tasks.cancel_all();
    upkeep.cancel_all();
    boxes.crash();
    mail.crash();
  }
  void recover() {
    tasks.spawn([](mailbox_store& b) -> asio::awaitable<void> { co_await b.recover(); }(boxes));
  }
  void run() {
    clk.run();
    if (failure) std::rethrow_exception(failure);
  }
  std::vector<event> events(std::string_view name) const {
    std::vector<event> out;
    for (const auto& e : tr.events())
      if (e["event"] == name) out.push_back(e);
    return out;
  }

  asio::io_context ctx;
  virtual_clock clk{ctx, *parse_rfc3339("2026-01-05T09:00:00Z")};
  recording_trace tr{&clk};
  net::network net{clk, tr};
  std::string host = "mx.example.org";
  storage::memory_store mail;
  mailbox_store boxes{mail};
  lda agent{host, boxes, clk, tr};
  std::exception_ptr failure;
  task_group upkeep{clk.executor()};
  task_group tasks{clk.executor(), [this](std::exception_ptr e) {
                     // A write cut short by a crash is the host's death, not a bug.
                     try {
                       std::rethrow_exception(e);
                     } catch (const storage::store_error&) {
                     } catch (...) {
                       if (!failure) failure = e;
                     }
                   }};

 private:
  std::uint64_t sessions_ = 0;

  static asio::awaitable<void> converse(std::shared_ptr<net::stream> conn, std::vector<std::string> lines,
                                        std::shared_ptr<std::vector<std::string>> out) {
    std::string received, all;
    for (const auto& l : lines) all += l + "\r\n";
    bool sent = false;
    char chunk[1024];
    for (;;) {
      auto r = co_await conn->read_some(std::span<char>(chunk, sizeof chunk));
      if (r.ec) break;
      received.append(chunk, r.bytes);
      for (std::size_t eol; (eol = received.find("\r\n")) != std::string::npos;) {
        std::string line = received.substr(0, eol);
        received.erase(0, eol + 2);
        if (line.size() >= 4 && line[3] == '-') continue;
        out->push_back(line);
      }
      if (!sent && !out->empty()) {
        sent = true;
        co_await conn->write_all(all);
      }
    }
    conn->close();
  }
};

// An LMTP transaction from alice to each of `rcpts` carrying `content`
// (CRLF lines, no final dot), then QUIT.
inline std::vector<std::string> transaction(const std::string& reverse_path, const std::vector<std::string>& rcpts,
                                            const std::string& content) {
  std::vector<std::string> lines{"LHLO mail.sender.test", "MAIL FROM:<" + reverse_path + ">"};
  for (const auto& r : rcpts) lines.push_back("RCPT TO:<" + r + ">");
  lines.push_back("DATA");
  lines.push_back(content + ".");
  lines.push_back("QUIT");
  return lines;
}

inline const std::string sample =
    "Received: from mail.sender.test by mx.example.org with ESMTP id A1; Mon, 05 Jan 2026 09:00:00 +0000\r\n"
    "Received: from laptop by mail.sender.test with ESMTPA id B2; Mon, 05 Jan 2026 08:59:59 +0000\r\n"
    "From: alice@sender.test\r\nSubject: Lunch\r\nMessage-ID: <lunch@sender.test>\r\n\r\n"
    "Noon?\r\n..dot-stuffed line\r\n";
// The same content as the LDA receives it (the dot unstuffed).
inline const std::string sample_unstuffed =
    "Received: from mail.sender.test by mx.example.org with ESMTP id A1; Mon, 05 Jan 2026 09:00:00 +0000\r\n"
    "Received: from laptop by mail.sender.test with ESMTPA id B2; Mon, 05 Jan 2026 08:59:59 +0000\r\n"
    "From: alice@sender.test\r\nSubject: Lunch\r\nMessage-ID: <lunch@sender.test>\r\n\r\n"
    "Noon?\r\n.dot-stuffed line\r\n";

}  // namespace sim::lda::test
