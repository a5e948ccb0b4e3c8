// sim/net/tcp_stream.hpp - the live-mode twin of memory_stream: an Asio TCP socket.
#pragma once

#include <string>

#include "sim/core/trace.hpp"
#include "sim/net/stream.hpp"

namespace sim::net {

class tcp_stream final : public stream {
 public:
  // `tr` (optional) receives net.close / net.reset for this connection,
  // reported on `local.host`.
  tcp_stream(asio::ip::tcp::socket socket, std::string session, endpoint local, endpoint remote,
             trace* tr = nullptr);
  ~tcp_stream() override;

  asio::awaitable<read_result> read_some(std::span<char> buffer) override;
  asio::awaitable<error_code> write_all(std::string_view data) override;
  void close() override;
  void reset() override;
  bool is_open() const override { return socket_.is_open(); }

  const endpoint& local() const override { return local_; }
  const endpoint& remote() const override { return remote_; }
  const std::string& session() const override { return session_; }
  // One non-blocking send: done when the kernel took every byte.  When it
  // took only part, nullopt, and the write_all / async_write_all of the same
  // `data` that must follow sends the rest.
  std::optional<error_code> write_now(std::string_view data) override;
  // The socket, for a TLS layer on top of it (tls_stream).
  asio::ip::tcp::socket& socket() { return socket_; }

 protected:
  void start_read_some(std::span<char> buffer, read_handler handler) override;
  void start_write_all(std::string_view data, write_handler handler) override;

 private:
  void report(const char* name);
  // What write_now() already sent of `data`, forgotten once asked.
  std::size_t take_sent(std::string_view data);

  asio::ip::tcp::socket socket_;
  std::string session_;
  endpoint local_;
  endpoint remote_;
  trace* trace_;
  bool ended_ = false;
  bool non_blocking_ = false;
  // A write_now() cut short: its data and how much of it went out.
  const char* partial_data_ = nullptr;
  std::size_t partial_size_ = 0;
  std::size_t partial_sent_ = 0;
};

}  // namespace sim::net
