// sim/cli/world_observed_stream.hpp - what an external SMTP server says to a simulated client.
//
// A simulated host's SMTP client traces its own commands; in a simulated
// world the server traces its replies.  When the server is a real program
// (`mailsim world`), this stream reads its replies as they pass
// (smtp::reply_parser, sans-I/O) and reports each as smtp.reply on the
// external host, so that the dialogue reads the same both ways.
#pragma once

#include <memory>

#include "sim/core/trace.hpp"
#include "sim/net/stream.hpp"
#include "sim/smtp/reply.hpp"

namespace sim::cli {

class observed_smtp_stream final : public net::stream {
 public:
  observed_smtp_stream(std::shared_ptr<net::stream> inner, sim::trace& tr);

  asio::awaitable<net::read_result> read_some(std::span<char> buffer) override;
  asio::awaitable<error_code> write_all(std::string_view data) override { return inner_->write_all(data); }
  void close() override { inner_->close(); }
  void reset() override { inner_->reset(); }
  bool is_open() const override { return inner_->is_open(); }
  const net::endpoint& local() const override { return inner_->local(); }
  const net::endpoint& remote() const override { return inner_->remote(); }
  const std::string& session() const override { return inner_->session(); }

 protected:
  void start_read_some(std::span<char> buffer, read_handler handler) override;
  void start_write_all(std::string_view data, write_handler handler) override;

 private:
  void observe(std::string_view bytes);

  std::shared_ptr<net::stream> inner_;
  sim::trace& trace_;
  smtp::reply_parser parser_;
  bool lost_ = false;  // not SMTP after all: stop parsing
};

}  // namespace sim::cli
