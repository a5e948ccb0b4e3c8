// sim/http/connection.hpp - one HTTP connection of the server (internal).
//
// A coroutine loop: wait for a request (idle timeout), read its head
// (head timeout, Beast's parser bounded by the limits), check it, read its
// body (body timeout), answer it through the api, and go round again while
// both sides keep the connection.  A trace stream ends the loop.
#pragma once

#include <memory>

#include <boost/asio/experimental/channel.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "sim/core/asio.hpp"
#include "sim/http/request.hpp"
#include "sim/http/response.hpp"

namespace sim::http {

class server;

class connection : public std::enable_shared_from_this<connection> {
 public:
  connection(server& owner, asio::ip::tcp::socket socket);

  asio::awaitable<void> run();
  // Too many connections: 503 and close, without reading a request.
  asio::awaitable<void> turn_away();
  // The server stops: close when idle, finish a response, end a stream.
  void stop();

 private:
  enum class phase { idle, reading, responding, streaming };
  struct incoming;

  asio::awaitable<bool> wait_for_request();
  asio::awaitable<void> read_request(incoming& in);
  asio::awaitable<bool> write_response(response r, bool head_only, bool keep_alive, int version);
  asio::awaitable<void> stream_trace(const response& head, trace_follow follow, int version);
  asio::awaitable<bool> write_bytes(std::string bytes, bool chunked);
  asio::awaitable<void> linger();
  void close();

  server& owner_;
  asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  asio::experimental::channel<void(error_code)> wake_;
  bool wake_posted_ = false;
  phase phase_ = phase::idle;
  bool stopping_ = false;
};

}  // namespace sim::http
