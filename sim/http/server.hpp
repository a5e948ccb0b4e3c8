// sim/http/server.hpp - the REST API and web UI on a loopback TCP port (Asio, Beast).
//
// One coroutine per connection, on the world's io_context (one thread), so
// the api and the world_api are only ever called from that thread.  Each
// connection: read a request head within the head timeout (Beast's parser,
// bounded by limits::head_bytes()), check it (sim::http::check_head), read
// the body within the body timeout, answer through sim::http::api, and
// keep the connection for the next request (HTTP/1.1 keep-alive) up to the
// idle timeout.  A request the core refuses is answered and the connection
// closed.  A trace stream (Server-Sent Events) is written in chunks of at
// most one batch of events; the next batch is read from the world only
// when the previous one has been written (backpressure), and a client that
// reads nothing for the write timeout is dropped.
//
// stop(): no new connection; an idle connection is closed at once, a
// response being written is finished (with Connection: close), a stream
// ends with its last chunk.  Timeouts run on the sim::clock given (live
// mode: the world's real_clock).  Its connections refer to it: destroy it
// once the io_context no longer runs (after run() returned), and before the
// world_api and the clock it was given.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/clock.hpp"
#include "sim/http/api.hpp"
#include "sim/http/limits.hpp"
#include "sim/http/world_api.hpp"

namespace sim::http {

struct server_options {
  limits request_limits{};
  timeouts timers{};
  std::size_t max_connections = 256;  // more are answered 503 and closed
  std::size_t events_per_batch = 256;  // trace events per SSE write
};

class connection;

class server {
 public:
  server(asio::io_context& ctx, sim::clock& clk, world_api& world, server_options options = {});
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Binds "ADDRESS:PORT" (loopback only: 127.0.0.0/8 or [::1]; port 0
  // picks a free one) and starts accepting.  Returns the bound address
  // ("127.0.0.1:8025").  Throws std::invalid_argument for an address that
  // is not loopback, boost::system::system_error when it cannot bind.
  std::string start(const std::string& address);
  void stop();

  std::size_t open_connections() const;
  api& endpoints() { return api_; }

 private:
  friend class connection;
  asio::awaitable<void> accept_loop();
  void forget(const connection* c);

  asio::io_context& ctx_;
  sim::clock& clock_;
  world_api& world_;
  server_options options_;
  api api_;
  asio::ip::tcp::acceptor acceptor_;
  bool stopping_ = false;
  std::vector<std::weak_ptr<connection>> open_;
};

}  // namespace sim::http
