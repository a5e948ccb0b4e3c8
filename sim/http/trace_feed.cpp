// sim/http/trace_feed.cpp - batches of trace events as SSE frames.
#include "sim/http/trace_feed.hpp"

#include <algorithm>

namespace sim::http {

std::string trace_feed::next(std::size_t batch) {
  if (done() || batch == 0) return {};
  if (left_) batch = static_cast<std::size_t>(std::min<std::uint64_t>(batch, *left_));
  auto page = world_.trace(next_, batch);
  std::string out;
  for (const auto& e : page.events) {
    out += sse_event(e.seq, e.line);
    if (left_) --*left_;
  }
  next_ = std::max(next_, page.next);
  return out;
}

}  // namespace sim::http
