// Runs one awaitable on an io_context and keeps what it ended with, so a
// test can look at an operation that is still in flight, finished, or failed.
#pragma once

#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <system_error>

#include "sim/core/asio.hpp"

namespace sim::testing {

template <typename T>
struct outcome {
  bool done = false;
  std::optional<T> value;
  std::exception_ptr error;

  // The error code of a std::system_error it failed with, else {}.
  std::error_code code() const {
    if (!error) return {};
    try {
      std::rethrow_exception(error);
    } catch (const std::system_error& e) {
      return e.code();
    } catch (...) {
      return std::make_error_code(std::errc::io_error);
    }
  }
};

struct done_marker {};

template <typename T>
std::shared_ptr<outcome<T>> start(asio::io_context& ctx, asio::awaitable<T> op) {
  auto out = std::make_shared<outcome<T>>();
  asio::co_spawn(ctx, std::move(op), [out](std::exception_ptr e, T value) {
    out->done = true;
    if (e) out->error = e;
    else out->value = std::move(value);
  });
  return out;
}

inline std::shared_ptr<outcome<done_marker>> start(asio::io_context& ctx, asio::awaitable<void> op) {
  auto out = std::make_shared<outcome<done_marker>>();
  asio::co_spawn(ctx, std::move(op), [out](std::exception_ptr e) {
    out->done = true;
    if (e) out->error = e;
    else out->value = done_marker{};
  });
  return out;
}

// For operations that complete without virtual time (file_store, fakes).
template <typename T>
T run_now(asio::awaitable<T> op) {
  asio::io_context ctx;
  auto out = start(ctx, std::move(op));
  ctx.run();
  if (!out->done) throw std::logic_error("operation did not finish");
  if (out->error) std::rethrow_exception(out->error);
  return std::move(*out->value);
}

inline void run_now(asio::awaitable<void> op) {
  asio::io_context ctx;
  auto out = start(ctx, std::move(op));
  ctx.run();
  if (!out->done) throw std::logic_error("operation did not finish");
  if (out->error) std::rethrow_exception(out->error);
}

}  // namespace sim::testing
