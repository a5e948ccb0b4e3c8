// sim/net/memory_stream.cpp - in-memory TCP semantics in virtual time.
#include "sim/net/memory_stream.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

#include "sim/net/network.hpp"

namespace sim::net {

using read_handler = asio::any_completion_handler<void(error_code, std::size_t)>;

// Bytes travelling from one side to the other.
struct direction {
  std::string buffer;
  std::size_t offset = 0;
  bool eof_arrived = false;    // the writer's FIN reached the reader
  bool writer_closed = false;  // the writer called close()
  time_point last_arrival{};   // keeps pieces in order whatever their delay
  std::size_t in_flight = 0;   // pieces scheduled and not yet arrived
  // The bytes of those pieces, in order (arrivals keep the order of
  // writes), kept in buffers that are reused rather than one string each.
  std::string transit;
  std::size_t transit_head = 0;  // where the next piece to arrive starts
  std::vector<std::size_t> piece_sizes;
  std::size_t piece_head = 0;
  struct pending_read {
    std::span<char> buffer;
    read_handler handler;
    std::uint64_t id = 0;
  };
  std::optional<pending_read> reader;
};

struct link {
  asio::any_io_executor ex;  // the simulation's one io_context
  // ex's io_context executor, when it is one (always, in simulation): a
  // post through it needs no type-erased function of its own.
  const asio::io_context::executor_type* io = nullptr;
  std::string session;
  direction dir[2];  // dir[i] is written by side i and read by side 1 - i
  bool reset = false;
  bool ended_reported = false;
  std::uint64_t next_read_id = 1;
};

namespace {

template <typename F>
void post_to(const link& l, F&& f) {
  if (l.io) asio::post(*l.io, std::forward<F>(f));
  else asio::post(l.ex, std::forward<F>(f));
}

void complete(const link& l, read_handler h, error_code ec, std::size_t n) {
  auto slot = asio::get_associated_cancellation_slot(h);
  if (slot.is_connected()) slot.clear();
  post_to(l, [h = std::move(h), ec, n]() mutable { std::move(h)(ec, n); });
}

// Hands buffered bytes (or EOF / reset) to a waiting reader, if any.
void wake(link& l, direction& d) {
  if (!d.reader) return;
  if (l.reset) {
    auto r = std::move(*d.reader);
    d.reader.reset();
    complete(l, std::move(r.handler), asio::error::connection_reset, 0);
    return;
  }
  std::size_t available = d.buffer.size() - d.offset;
  if (available > 0) {
    auto r = std::move(*d.reader);
    d.reader.reset();
    std::size_t n = std::min(available, r.buffer.size());
    std::memcpy(r.buffer.data(), d.buffer.data() + d.offset, n);
    d.offset += n;
    if (d.offset == d.buffer.size()) {
      d.buffer.clear();
      d.offset = 0;
    }
    complete(l, std::move(r.handler), {}, n);
  } else if (d.eof_arrived) {
    auto r = std::move(*d.reader);
    d.reader.reset();
    complete(l, std::move(r.handler), asio::error::eof, 0);
  }
}

// The next piece in transit reaches the reader's side.
void arrive(link& l, direction& d) {
  --d.in_flight;
  std::size_t n = d.piece_sizes[d.piece_head++];
  if (!l.reset) d.buffer.append(d.transit, d.transit_head, n);
  d.transit_head += n;
  if (d.piece_head == d.piece_sizes.size()) {
    d.transit.clear();
    d.transit_head = 0;
    d.piece_sizes.clear();
    d.piece_head = 0;
  }
  if (!l.reset) wake(l, d);
}

}  // namespace

memory_stream::memory_stream(std::shared_ptr<link> l, int side, network& net, endpoint local, endpoint remote)
    : link_(std::move(l)), side_(side), net_(&net), local_(std::move(local)), remote_(std::move(remote)) {}

std::pair<std::shared_ptr<memory_stream>, std::shared_ptr<memory_stream>> memory_stream::make_pair(
    network& net, std::string session, endpoint client, endpoint server) {
  auto l = std::make_shared<link>();
  l->session = std::move(session);
  l->ex = net.get_clock().executor();
  l->io = l->ex.target<asio::io_context::executor_type>();
  auto a = std::make_shared<memory_stream>(l, 0, net, client, server);
  auto b = std::make_shared<memory_stream>(l, 1, net, server, client);
  return {a, b};
}

memory_stream::~memory_stream() {
  if (net_) net_->forget(this);
  // A stream dropped without close() is closed, as the kernel would.
  if (!link_->reset && !link_->dir[side_].writer_closed) close();
}

const std::string& memory_stream::session() const { return link_->session; }

bool memory_stream::is_open() const { return !link_->reset && !link_->dir[side_].writer_closed; }

void memory_stream::start_read_some(std::span<char> buffer, read_handler handler) {
  direction& d = link_->dir[1 - side_];
  if (d.reader) {
    complete(*link_, std::move(handler), asio::error::in_progress, 0);
    return;
  }
  if (link_->dir[side_].writer_closed && !link_->reset) {
    complete(*link_, std::move(handler), asio::error::bad_descriptor, 0);
    return;
  }
  auto slot = asio::get_associated_cancellation_slot(handler);
  std::uint64_t id = link_->next_read_id++;
  // emplace: any_completion_handler must never be move-assigned (Asio 1.26).
  d.reader.emplace(direction::pending_read{buffer, std::move(handler), id});
  if (slot.is_connected()) {
    slot.assign([l = link_, side = side_, id](asio::cancellation_type) {
      direction& dd = l->dir[1 - side];
      if (!dd.reader || dd.reader->id != id) return;
      auto r = std::move(*dd.reader);
      dd.reader.reset();
      post_to(*l, [h = std::move(r.handler)]() mutable { std::move(h)(asio::error::operation_aborted, 0); });
    });
  }
  wake(*link_, d);
}

std::size_t memory_stream::read_now(std::span<char> buffer) {
  direction& d = link_->dir[1 - side_];
  if (d.reader || link_->reset || link_->dir[side_].writer_closed) return 0;
  std::size_t n = std::min(d.buffer.size() - d.offset, buffer.size());
  if (n == 0) return 0;
  std::memcpy(buffer.data(), d.buffer.data() + d.offset, n);
  d.offset += n;
  if (d.offset == d.buffer.size()) {
    d.buffer.clear();
    d.offset = 0;
  }
  return n;
}

asio::awaitable<read_result> memory_stream::read_some(std::span<char> buffer) {
  auto token = asio::as_tuple(asio::use_awaitable);
  auto [ec, n] = co_await asio::async_initiate<decltype(token), void(error_code, std::size_t)>(
      [this, buffer](auto handler) { start_read_some(buffer, read_handler(std::move(handler))); }, token);
  co_return read_result{ec, n};
}

asio::awaitable<error_code> memory_stream::write_all(std::string_view data) { co_return write_bytes(data); }

void memory_stream::start_write_all(std::string_view data, write_handler handler) {
  error_code ec = write_bytes(data);
  auto slot = asio::get_associated_cancellation_slot(handler);
  if (slot.is_connected()) slot.clear();
  post_to(*link_, [h = std::move(handler), ec]() mutable { std::move(h)(ec); });
}

error_code memory_stream::write_bytes(std::string_view data) {
  if (link_->reset) return asio::error::connection_reset;
  direction& d = link_->dir[side_];
  if (d.writer_closed || !net_) return asio::error::broken_pipe;
  if (data.empty()) return error_code{};
  clock& clk = net_->get_clock();
  duration delay = net_->delay_for(local_.host, side_ == 0 ? remote_.port : local_.port);
  // The pieces the write is split into (one unless a test splits writes).
  auto& rng = net_->splitter();
  std::size_t first = d.piece_sizes.size();
  for (std::size_t pos = 0; pos < data.size();) {
    std::size_t n = rng && data.size() > 1 ? 1 + rng->below(std::min<std::size_t>(data.size() - pos, 64))
                                           : data.size();
    d.piece_sizes.push_back(n);
    pos += n;
  }
  std::size_t pieces = d.piece_sizes.size() - first;
  time_point arrival = std::max(clk.now() + delay, d.last_arrival);
  d.last_arrival = arrival;
  if (arrival == clk.now() && d.in_flight == 0 && pieces == 1) {
    // Zero latency and nothing ahead of it: the bytes arrive at once.
    d.piece_sizes.pop_back();
    d.buffer.append(data);
    wake(*link_, d);
    return error_code{};
  }
  d.transit.append(data);
  for (std::size_t i = 0; i < pieces; ++i) {
    ++d.in_flight;
    clk.call_at(arrival, [l = link_, side = side_] { arrive(*l, l->dir[side]); });
  }
  return error_code{};
}

void memory_stream::close() {
  direction& d = link_->dir[side_];
  if (d.writer_closed || link_->reset) return;
  d.writer_closed = true;
  // Our own pending read ends: the socket is gone on this side.
  direction& in = link_->dir[1 - side_];
  if (in.reader) {
    auto r = std::move(*in.reader);
    in.reader.reset();
    complete(*link_, std::move(r.handler), asio::error::operation_aborted, 0);
  }
  if (!net_) return;
  if (!link_->ended_reported) {
    link_->ended_reported = true;
    net_->get_trace().emit(local_.host, "net", "net.close",
                           {{"session", link_->session}, {"peer", remote_.host}});
  }
  clock& clk = net_->get_clock();
  duration delay = net_->delay_for(local_.host, side_ == 0 ? remote_.port : local_.port);
  time_point arrival = std::max(clk.now() + delay, d.last_arrival);
  d.last_arrival = arrival;
  clk.call_at(arrival, [l = link_, side = side_] {
    l->dir[side].eof_arrived = true;
    wake(*l, l->dir[side]);
  });
}

void memory_stream::reset() {
  if (link_->reset) return;
  if (net_ && !link_->ended_reported) {
    link_->ended_reported = true;
    net_->get_trace().emit(local_.host, "net", "net.reset",
                           {{"session", link_->session}, {"peer", remote_.host}});
  }
  reset_quietly();
}

void memory_stream::reset_quietly() {
  if (link_->reset) return;
  link_->reset = true;
  link_->ended_reported = true;
  for (auto& d : link_->dir) {
    d.buffer.clear();
    d.offset = 0;
  }
  // Our own reader is aborted; the peer's reader sees connection_reset.
  direction& in = link_->dir[1 - side_];
  if (in.reader) {
    auto r = std::move(*in.reader);
    in.reader.reset();
    complete(*link_, std::move(r.handler), asio::error::operation_aborted, 0);
  }
  wake(*link_, link_->dir[side_]);
}

}  // namespace sim::net
