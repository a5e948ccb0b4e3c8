// sim/storage/memory_store.cpp - the simulated store.
#include "sim/storage/memory_store.hpp"

namespace sim::storage {

namespace {

void check_name(const std::string& name) {
  if (!valid_name(name)) throw store_error(store_errc::bad_name, name);
}

}  // namespace

memory_store::memory_store(sim::clock& clock, duration durability_delay)
    : clock_(clock), durability_delay_(durability_delay) {}

asio::awaitable<void> memory_store::become_durable() {
  const auto crashes_before = crashes_;
  if (durability_delay_.count() == 0 && !clock_.is_virtual()) {
    // Live mode in memory: durable at the next turn of the io_context.  A
    // plain post, without a timer or a cancellation signal; it still
    // suspends, so that the writes of one turn share the mailbox writer's
    // records.  (The simulation keeps its timer: traces depend on it.)
    co_await asio::post(clock_.executor(), asio::use_awaitable);
    if (crashes_ != crashes_before) throw store_error(store_errc::crashed);
    co_return;
  }
  const auto id = next_operation_++;
  auto& signal = in_flight_.try_emplace(id).first->second;
  auto [ec] = co_await clock_.async_wait_until(
      clock_.now() + durability_delay_,
      asio::bind_cancellation_slot(signal.slot(), asio::as_tuple(asio::use_awaitable)));
  in_flight_.erase(id);
  // A crash between start and completion means the data never reached the disk.
  if (ec || crashes_ != crashes_before) throw store_error(store_errc::crashed);
}

asio::awaitable<void> memory_store::put(std::string name, std::string bytes) {
  return put_value(std::move(name), value{std::move(bytes), {}});
}

asio::awaitable<void> memory_store::put_made(std::string name, bytes_maker make) {
  return put_value(std::move(name), value{{}, std::move(make)});
}

asio::awaitable<void> memory_store::put_value(std::string name, value v) {
  check_name(name);
  co_await become_durable();
  if (auto known = by_name_.find(name); known != by_name_.end()) {
    known->second->second = std::move(v);
    co_return;
  }
  auto it = durable_.emplace(std::move(name), std::move(v)).first;
  by_name_.emplace(it->first, it);
}

asio::awaitable<void> memory_store::remove(std::string name) {
  check_name(name);
  co_await become_durable();
  if (auto known = by_name_.find(name); known != by_name_.end()) {
    auto it = known->second;
    by_name_.erase(known);  // before the key its view points into
    durable_.erase(it);
  }
}

asio::awaitable<std::optional<std::string>> memory_store::get(std::string name) {
  auto known = by_name_.find(name);
  if (known == by_name_.end()) co_return std::nullopt;
  value& v = known->second->second;
  if (v.make) {
    v.bytes = v.make();
    v.make = nullptr;
  }
  co_return v.bytes;
}

asio::awaitable<std::vector<std::string>> memory_store::list(std::string prefix) {
  std::vector<std::string> names;
  for (auto it = durable_.lower_bound(prefix); it != durable_.end() && it->first.starts_with(prefix); ++it) {
    names.push_back(it->first);
  }
  co_return names;
}

void memory_store::crash() {
  ++crashes_;
  // Emitting only posts each completion, so in_flight_ is not modified
  // while we walk it; each operation erases its own entry when it resumes.
  for (auto& [id, signal] : in_flight_) signal.emit(asio::cancellation_type::terminal);
}

}  // namespace sim::storage
