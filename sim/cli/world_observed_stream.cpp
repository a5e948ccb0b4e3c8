// sim/cli/world_observed_stream.cpp - forward every operation; parse the bytes read as SMTP replies.
#include "sim/cli/world_observed_stream.hpp"

#include "sim/smtp/session_trace.hpp"

namespace sim::cli {

observed_smtp_stream::observed_smtp_stream(std::shared_ptr<net::stream> inner, sim::trace& tr)
    : inner_(std::move(inner)), trace_(tr) {}

void observed_smtp_stream::observe(std::string_view bytes) {
  while (!bytes.empty() && !lost_) {
    bytes.remove_prefix(parser_.feed(bytes));
    if (parser_.state() == smtp::reply_parser::status::malformed) lost_ = true;
    if (parser_.state() != smtp::reply_parser::status::complete) continue;
    // The external host speaks; the simulated host is its peer.
    smtp::trace_reply(trace_, {remote().host, "mta", session(), local().host}, parser_.take());
  }
}

asio::awaitable<net::read_result> observed_smtp_stream::read_some(std::span<char> buffer) {
  auto r = co_await inner_->read_some(buffer);
  if (!r.ec) observe(std::string_view(buffer.data(), r.bytes));
  co_return r;
}

void observed_smtp_stream::start_read_some(std::span<char> buffer, read_handler handler) {
  auto slot = asio::get_associated_cancellation_slot(handler);
  inner_->async_read_some(buffer, asio::bind_cancellation_slot(slot, [this, buffer, h = std::move(handler)](
                                                                          error_code ec, std::size_t n) mutable {
                            if (!ec) observe(std::string_view(buffer.data(), n));
                            std::move(h)(ec, n);
                          }));
}

void observed_smtp_stream::start_write_all(std::string_view data, write_handler handler) {
  inner_->async_write_all(data, std::move(handler));
}

}  // namespace sim::cli
