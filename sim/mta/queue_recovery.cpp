// sim/mta/queue_recovery.cpp - queue recovery from a store.
#include "sim/mta/queue_recovery.hpp"

namespace sim::mta {

asio::awaitable<recovered_queue> recover_queue(storage::store& spool) {
  recovered_queue result;
  for (auto& name : co_await spool.list(std::string(queue_prefix))) {
    auto bytes = co_await spool.get(name);
    auto file = bytes ? parse_queue_file(*bytes) : std::nullopt;
    if (file && queue_file_name(file->queue_id) == name) {
      result.messages.push_back(std::move(*file));
      continue;
    }
    co_await spool.remove(name);
    result.discarded.push_back(std::move(name));
  }
  co_return result;
}

}  // namespace sim::mta
