// sim/storage/memory_store.hpp - the simulated store: durability in virtual time.
//
// A put() or remove() becomes durable `durability_delay` after it starts
// (the simulated fsync).  crash() models the host losing power: durable
// contents survive, and every operation still in flight fails with
// store_errc::crashed instead of completing, so no caller goes on to answer
// 250 for data that was lost.  A put is visible to get() and list() only
// once durable.  Operations do not take per-operation cancellation from the
// caller: only a crash ends them early.  A zero delay on a real clock (live
// mode in memory) waits for one turn of the io_context, without a timer.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sim/core/clock.hpp"
#include "sim/storage/store.hpp"

namespace sim::storage {

inline constexpr duration default_durability_delay{1};  // 1 ms

class memory_store final : public store {
 public:
  explicit memory_store(sim::clock& clock, duration durability_delay = default_durability_delay);
  memory_store(const memory_store&) = delete;  // by_name_ points into durable_
  memory_store& operator=(const memory_store&) = delete;

  asio::awaitable<void> put(std::string name, std::string bytes) override;
  // Keeps `make` and calls it at the first get() of the name.
  asio::awaitable<void> put_made(std::string name, bytes_maker make) override;
  asio::awaitable<void> remove(std::string name) override;
  asio::awaitable<std::optional<std::string>> get(std::string name) override;
  asio::awaitable<std::vector<std::string>> list(std::string prefix) override;

  // The host died: operations in flight fail (their coroutines resume with
  // store_error{crashed}), what was durable stays and is visible afterwards.
  void crash();
  std::size_t in_flight() const { return in_flight_.size(); }
  std::size_t durable_count() const { return durable_.size(); }

 private:
  // Waits for the simulated fsync; throws store_error{crashed} on a crash.
  asio::awaitable<void> become_durable();

  sim::clock& clock_;
  duration durability_delay_;
  // A durable value: its bytes, or what makes them when first read.
  struct value {
    std::string bytes;
    bytes_maker make;
  };
  using contents = std::map<std::string, value>;
  asio::awaitable<void> put_value(std::string name, value v);
  contents durable_;  // in name order, for list()
  // Each durable name to its entry: a rewrite, get or remove of a name
  // costs a hash instead of a string comparison per level of the tree.
  std::unordered_map<std::string_view, contents::iterator> by_name_;
  // One cancellation signal per operation in flight; crash() emits them all.
  std::map<std::uint64_t, asio::cancellation_signal> in_flight_;
  std::uint64_t next_operation_ = 0;
  std::uint64_t crashes_ = 0;
};

}  // namespace sim::storage
