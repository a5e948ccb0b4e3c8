// sim/net/tcp_stream.cpp - stream over a real socket (live mode).
#include "sim/net/tcp_stream.hpp"

namespace sim::net {

tcp_stream::tcp_stream(asio::ip::tcp::socket socket, std::string session, endpoint local, endpoint remote,
                       trace* tr)
    : socket_(std::move(socket)), session_(std::move(session)), local_(std::move(local)),
      remote_(std::move(remote)), trace_(tr) {}

tcp_stream::~tcp_stream() { close(); }

asio::awaitable<read_result> tcp_stream::read_some(std::span<char> buffer) {
  auto [ec, n] = co_await socket_.async_read_some(asio::buffer(buffer.data(), buffer.size()),
                                                  asio::as_tuple(asio::use_awaitable));
  co_return read_result{ec, n};
}

asio::awaitable<error_code> tcp_stream::write_all(std::string_view data) {
  data.remove_prefix(take_sent(data));
  auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(data.data(), data.size()),
                                            asio::as_tuple(asio::use_awaitable));
  (void)n;
  co_return ec;
}

// A reply is a few dozen bytes and the socket's buffer is almost always
// free: the send goes out here, without an operation, a handler or a trip
// through the io_context (the session goes straight on to its next read).
std::optional<error_code> tcp_stream::write_now(std::string_view data) {
  if (!socket_.is_open() || data.empty() || partial_data_) return std::nullopt;
  error_code ec;
  if (!non_blocking_) {
    socket_.non_blocking(true, ec);  // a full buffer says would_block, never waits
    if (ec) return std::nullopt;
    non_blocking_ = true;
  }
  std::size_t n = socket_.write_some(asio::buffer(data.data(), data.size()), ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) return std::nullopt;
  if (ec) return ec;
  if (n == data.size()) return error_code{};
  partial_data_ = data.data();
  partial_size_ = data.size();
  partial_sent_ = n;
  return std::nullopt;
}

std::size_t tcp_stream::take_sent(std::string_view data) {
  if (!partial_data_) return 0;
  bool same = partial_data_ == data.data() && partial_size_ == data.size();
  std::size_t sent = same ? partial_sent_ : 0;
  partial_data_ = nullptr;
  return sent;
}

// The socket's own operations honour the handler's cancellation slot.
void tcp_stream::start_read_some(std::span<char> buffer, read_handler handler) {
  socket_.async_read_some(asio::buffer(buffer.data(), buffer.size()), std::move(handler));
}

void tcp_stream::start_write_all(std::string_view data, write_handler handler) {
  data.remove_prefix(take_sent(data));
  asio::async_write(socket_, asio::buffer(data.data(), data.size()),
                    [h = std::move(handler)](error_code ec, std::size_t) mutable { std::move(h)(ec); });
}

void tcp_stream::report(const char* name) {
  if (ended_) return;
  ended_ = true;
  if (trace_) trace_->emit(local_.host, "net", name, {{"session", session_}, {"peer", remote_.host}});
}

void tcp_stream::close() {
  if (!socket_.is_open()) return;
  report("net.close");
  error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

// SO_LINGER with a zero timeout makes close() send an RST.
void tcp_stream::reset() {
  if (!socket_.is_open()) return;
  report("net.reset");
  error_code ignored;
  socket_.set_option(asio::socket_base::linger(true, 0), ignored);
  socket_.close(ignored);
}

}  // namespace sim::net
