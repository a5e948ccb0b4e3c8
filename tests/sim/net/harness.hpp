// A small world for network tests: one io_context, a virtual clock, a trace.
#pragma once

#include "sim/core/trace_recorder.hpp"
#include "sim/core/virtual_clock.hpp"
#include "sim/net/network.hpp"

namespace sim::net::testing {

struct world {
  asio::io_context ctx;
  sim::virtual_clock clk{ctx, *sim::parse_rfc3339("2026-01-05T09:00:00Z")};
  sim::recording_trace tr{&clk};
  sim::net::network net{clk, tr};

  template <typename F>
  void spawn(F&& f) {
    asio::co_spawn(ctx, std::forward<F>(f), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });
  }
  std::vector<std::string> event_names() const {
    std::vector<std::string> out;
    for (const auto& e : tr.events()) out.push_back(e["event"].get<std::string>());
    return out;
  }
};

// Reads until EOF or an error; returns the bytes and the final error.
inline asio::awaitable<std::pair<std::string, sim::error_code>> read_all(stream& s, std::size_t chunk = 7) {
  std::string out;
  std::vector<char> buf(chunk);
  for (;;) {
    auto r = co_await s.read_some(buf);
    if (r.ec) co_return std::pair{out, r.ec};
    out.append(buf.data(), r.bytes);
  }
}

}  // namespace sim::net::testing
