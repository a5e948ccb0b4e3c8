// sim/http/trace_feed.hpp - the trace as a stream of Server-Sent Events (sans-I/O).
//
// The server asks for the next batch only after the previous one has been
// written: a slow reader slows the feed down and nothing piles up in the
// server (the events stay in the world's trace, which keeps them anyway).
// Each event's id is its seq, so a client that reconnects with
// Last-Event-ID resumes after it (WHATWG HTML section 9.2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/http/response.hpp"
#include "sim/http/world_api.hpp"

namespace sim::http {

class trace_feed {
 public:
  trace_feed(world_api& world, trace_follow follow) : world_(world), next_(follow.since), left_(follow.limit) {}

  // Up to `batch` events framed as SSE, or "" when none is waiting (or done()).
  std::string next(std::size_t batch);
  // The limit has been reached: the stream ends.
  bool done() const { return left_ && *left_ == 0; }
  // The seq of the next event to send.
  std::uint64_t position() const { return next_; }

 private:
  world_api& world_;
  std::uint64_t next_;
  std::optional<std::uint64_t> left_;
};

}  // namespace sim::http
