// sim/net/stream.hpp - the byte stream every protocol session talks to.
//
// Two twins: memory_stream (the simulated network, in virtual time) and
// tcp_stream (live mode, an Asio socket).  Semantics are TCP's: bytes arrive
// in order, possibly split into arbitrary pieces; close() gives the peer EOF
// after everything already written; reset() gives the peer an error at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "sim/core/asio.hpp"

namespace sim::net {

struct endpoint {
  std::string host;  // simulated host name; "-" for an outside client in live mode
  std::string ip;
  std::uint16_t port = 0;
};

struct read_result {
  error_code ec;          // asio::error::eof at end of stream, connection_reset, operation_aborted
  std::size_t bytes = 0;  // > 0 when ec is clear
};

class stream {
 public:
  virtual ~stream() = default;

  // Waits for at least one byte.  Honours per-operation cancellation.
  virtual asio::awaitable<read_result> read_some(std::span<char> buffer) = 0;
  // Queues all of `data` for the peer; fails only on a reset or closed stream.
  virtual asio::awaitable<error_code> write_all(std::string_view data) = 0;
  // Graceful close: the peer reads EOF after the bytes already written.
  virtual void close() = 0;
  // Abortive close: the peer's reads fail with connection_reset at once.
  virtual void reset() = 0;
  virtual bool is_open() const = 0;

  virtual const endpoint& local() const = 0;
  virtual const endpoint& remote() const = 0;
  // The trace's session id for this connection ("s7").
  virtual const std::string& session() const = 0;
};

}  // namespace sim::net
