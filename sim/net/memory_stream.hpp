// sim/net/memory_stream.hpp - one end of an in-memory TCP connection.
//
// Two memory_streams share a link.  Bytes written by one side arrive at the
// other after the network's latency (in virtual time), in order, and may be
// split into pieces.  close() queues EOF behind the bytes in flight; reset()
// fails the peer's reads at once.
#pragma once

#include <memory>
#include <string>

#include "sim/net/stream.hpp"

namespace sim::net {

class network;
struct link;

class memory_stream final : public stream {
 public:
  // Makes both ends of a new connection; [0] is the client's, [1] the server's.
  static std::pair<std::shared_ptr<memory_stream>, std::shared_ptr<memory_stream>> make_pair(
      network& net, std::string session, endpoint client, endpoint server);
  ~memory_stream() override;

  asio::awaitable<read_result> read_some(std::span<char> buffer) override;
  asio::awaitable<error_code> write_all(std::string_view data) override;
  void close() override;
  void reset() override;
  bool is_open() const override;

  const endpoint& local() const override { return local_; }
  const endpoint& remote() const override { return remote_; }
  const std::string& session() const override;

  // Called by network::crash(): the host died, so did its connections.
  void host_died() { reset(); }
  void detach_network() { net_ = nullptr; }

  memory_stream(std::shared_ptr<link> l, int side, network& net, endpoint local, endpoint remote);

  std::optional<error_code> write_now(std::string_view data) override { return write_bytes(data); }
  std::size_t read_now(std::span<char> buffer) override;

 protected:
  void start_read_some(std::span<char> buffer, read_handler handler) override;
  void start_write_all(std::string_view data, write_handler handler) override;

 private:
  // Writes never wait in simulation: the bytes are scheduled for arrival.
  error_code write_bytes(std::string_view data);
  void reset_quietly();

  std::shared_ptr<link> link_;
  int side_;  // 0 client, 1 server
  network* net_;
  endpoint local_;
  endpoint remote_;
};

}  // namespace sim::net
