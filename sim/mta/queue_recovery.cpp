// sim/mta/queue_recovery.cpp - queue recovery from a store.
#include "sim/mta/queue_recovery.hpp"

namespace sim::mta {

asio::awaitable<recovered_queue> recover_queue(storage::store& spool) {
  recovered_queue result;
  for (auto& name : co_await spool.list(std::string(queue_prefix))) {
    auto bytes = co_await spool.get(name);
    std::string why = "unreadable";
    auto file = bytes ? parse_queue_file(*bytes, &why) : std::nullopt;
    if (file && queue_file_name(file->queue_id) != name) {
      why = "it holds queue id " + file->queue_id;
      file.reset();
    }
    if (file) {
      result.messages.push_back(std::move(*file));
      continue;
    }
    // Written to corrupt/ (durably) before the queue entry goes, so a
    // crash in between leaves a copy in both places, never in neither.
    std::string moved_to = std::string(corrupt_prefix) + name;
    if (bytes) co_await spool.put(moved_to, std::move(*bytes));
    co_await spool.remove(name);
    result.corrupt.push_back({std::move(name), bytes ? std::move(moved_to) : std::string(), std::move(why)});
  }
  co_return result;
}

}  // namespace sim::mta
