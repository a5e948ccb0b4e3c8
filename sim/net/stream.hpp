// sim/net/stream.hpp - the byte stream every protocol session talks to.
//
// Two twins: memory_stream (the simulated network, in virtual time) and
// tcp_stream (live mode, an Asio socket).  Semantics are TCP's: bytes arrive
// in order, possibly split into arbitrary pieces; close() gives the peer EOF
// after everything already written; reset() gives the peer an error at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
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
  using read_handler = asio::any_completion_handler<void(error_code, std::size_t)>;
  using write_handler = asio::any_completion_handler<void(error_code)>;

  virtual ~stream() = default;

  // The two operations below as asynchronous operations taking any
  // completion token, so that a caller can bind its own cancellation slot
  // (a sim::deadline) without a coroutine of their own.  Errors are codes,
  // never exceptions: read completes with (ec, bytes), write with (ec).
  template <typename Token>
  auto async_read_some(std::span<char> buffer, Token&& token) {
    return asio::async_initiate<Token, void(error_code, std::size_t)>(
        [this](auto handler, std::span<char> b) { start_read_some(b, read_handler(std::move(handler))); }, token,
        buffer);
  }
  template <typename Token>
  auto async_write_all(std::string_view data, Token&& token) {
    return asio::async_initiate<Token, void(error_code)>(
        [this](auto handler, std::string_view d) { start_write_all(d, write_handler(std::move(handler))); }, token,
        data);
  }

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

  // Without waiting, when the stream can: a write that never blocks (the
  // simulated network schedules the bytes and is done), or bytes that have
  // already arrived.  nullopt / 0: use the asynchronous operations.
  virtual std::optional<error_code> write_now(std::string_view data) {
    (void)data;
    return std::nullopt;
  }
  virtual std::size_t read_now(std::span<char> buffer) {
    (void)buffer;
    return 0;
  }

 protected:
  // async_read_some() and async_write_all(): the handler's cancellation
  // slot is honoured (operation_aborted).  `data` stays valid until the
  // write completes.
  virtual void start_read_some(std::span<char> buffer, read_handler handler) = 0;
  virtual void start_write_all(std::string_view data, write_handler handler) = 0;
};

}  // namespace sim::net
