// sim/http/server.cpp - the listener: loopback only, one coroutine per connection.
#include "sim/http/server.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "sim/http/connection.hpp"
#include "sim/http/listen_address.hpp"

namespace sim::http {

namespace {

// A coroutine that dies of an exception is a bug: let it out of
// io_context::run() (mailsim reports it with exit status 3).
void rethrow(std::exception_ptr e) {
  if (e) std::rethrow_exception(e);
}

}  // namespace

server::server(asio::io_context& ctx, sim::clock& clk, world_api& world, server_options options)
    : ctx_(ctx), clock_(clk), world_(world), options_(options), api_(world), acceptor_(ctx) {}

server::~server() { stop(); }

std::string server::start(const std::string& address) {
  auto where = parse_listen_address(address);
  if (!where) throw std::invalid_argument(where.error().detail);
  auto ip = asio::ip::make_address(where.value().ip);
  if (!ip.is_loopback()) throw std::invalid_argument("the HTTP server listens on loopback addresses only");
  asio::ip::tcp::endpoint endpoint(ip, where.value().port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  asio::co_spawn(ctx_, accept_loop(), rethrow);
  auto bound = acceptor_.local_endpoint();
  if (bound.address().is_v6()) return fmt::format("[{}]:{}", bound.address().to_string(), bound.port());
  return fmt::format("{}:{}", bound.address().to_string(), bound.port());
}

asio::awaitable<void> server::accept_loop() {
  while (acceptor_.is_open() && !stopping_) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) {
      // Out of descriptors, or a connection that died in the backlog: the
      // listener must outlive it, so wait a moment and accept again.
      co_await clock_.sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    std::erase_if(open_, [](const auto& w) { return w.expired(); });
    auto c = std::make_shared<connection>(*this, std::move(socket));
    if (open_.size() >= options_.max_connections) {
      asio::co_spawn(ctx_, [c]() -> asio::awaitable<void> { co_await c->turn_away(); }, rethrow);
      continue;
    }
    open_.push_back(c);
    asio::co_spawn(ctx_, [c]() -> asio::awaitable<void> { co_await c->run(); }, rethrow);
  }
}

void server::stop() {
  stopping_ = true;
  error_code ignored;
  acceptor_.close(ignored);
  for (auto& w : open_)
    if (auto c = w.lock()) c->stop();
}

void server::forget(const connection* c) {
  std::erase_if(open_, [c](const auto& w) {
    auto p = w.lock();
    return !p || p.get() == c;
  });
}

std::size_t server::open_connections() const {
  std::size_t n = 0;
  for (const auto& w : open_)
    if (!w.expired()) ++n;
  return n;
}

}  // namespace sim::http
