// sim/mta/queue.cpp - the queue manager over the durable spool.
#include "sim/mta/queue.hpp"

#include <memory>

#include "sim/mta/queue_recovery.hpp"

namespace sim::mta {

queue::queue(std::string host, storage::store& spool, sim::trace& trace, queue_id_generator ids)
    : host_(std::move(host)), spool_(spool), trace_(trace), ids_(std::move(ids)) {}

asio::awaitable<std::string> queue::enqueue(queue_file file, std::string message_id) {
  if (file.queue_id.empty()) file.queue_id = ids_.next();
  std::string id = file.queue_id;
  // The writer's cache is filled at the first checkpoint, not here: a message
  // whose recipients all finish in one transaction is never written again.
  writers_.erase(id);  // an id used again (a DSN's reserved id) starts afresh
  // Serialized only if read back (a restart's recovery): a memory store keeps
  // the copy instead, and most files are removed before anything reads them.
  // (A named maker: g++ 12 destroys a lambda's captures twice when the lambda
  // is a temporary in a co_await's full expression.)
  storage::store::bytes_maker make = [snapshot = std::make_shared<const queue_file>(file)] {
    return serialize(*snapshot);
  };
  co_await spool_.put_made(queue_file_name(id), std::move(make));
  if (trace_.has_sinks()) {
    std::vector<std::string_view> rcpts;
    for (const auto& r : file.recipients) rcpts.push_back(r.address);
    trace_.emit(host_, "mta", "queue.enqueue",
                {{"queue_id", id}, {"from", file.reverse_path}, {"rcpts", rcpts}, {"size", file.message.size()},
                 {"message_id", message_id.empty() ? trace_value() : trace_value(message_id)}});
  } else {
    trace_.emit(host_, "mta", "queue.enqueue");  // numbered all the same
  }
  files_.insert_or_assign(id, std::move(file));
  co_return id;
}

asio::awaitable<void> queue::save(const std::string& queue_id) {
  auto it = files_.find(queue_id);
  if (it == files_.end()) co_return;
  co_await spool_.put(queue_file_name(queue_id), writers_[queue_id].serialize(it->second));
}

asio::awaitable<void> queue::save(const std::string& queue_id, const std::vector<std::string>& still_open) {
  auto it = files_.find(queue_id);
  if (it == files_.end()) co_return;
  queue_file& f = it->second;
  // Serialized with the statuses patched, then restored: nothing can run
  // in between, since nothing here suspends.
  struct patched {
    recipient_state* r;
    rcpt_status status;
    std::optional<time_point> next_attempt;
  };
  std::vector<patched> settled;
  recipient_lookup lookup(f.recipients);
  for (const auto& address : still_open)
    if (auto i = lookup.find(address); i != recipient_lookup::npos) {
      recipient_state& r = f.recipients[i];
      settled.push_back({&r, r.status, r.next_attempt});
      r.status = rcpt_status::deferred;
      r.next_attempt.reset();
    }
  std::string bytes = writers_[queue_id].serialize(f);
  // Restored last patch first: an address listed twice gets its own state back.
  for (auto it = settled.rbegin(); it != settled.rend(); ++it) {
    it->r->status = it->status;
    it->r->next_attempt = it->next_attempt;
  }
  co_await spool_.put(queue_file_name(queue_id), std::move(bytes));
}

asio::awaitable<void> queue::remove(const std::string& queue_id) {
  co_await spool_.remove(queue_file_name(queue_id));
  files_.erase(queue_id);
  writers_.erase(queue_id);
  trace_.emit(host_, "mta", "queue.remove", {{"queue_id", queue_id}});
}

asio::awaitable<recovery_counts> queue::recover() {
  files_.clear();
  writers_.clear();
  auto found = co_await recover_queue(spool_);
  for (const auto& c : found.corrupt)
    trace_.emit(host_, "mta", "queue.corrupt", {{"file", c.name}, {"moved_to", c.moved_to}, {"reason", c.reason}});
  for (auto& f : found.messages) {
    ids_.reserve(f.queue_id);
    std::string id = f.queue_id;
    files_.insert_or_assign(id, std::move(f));
  }
  co_return recovery_counts{files_.size(), found.corrupt.size()};
}

queue_file* queue::find(const std::string& queue_id) {
  auto it = files_.find(queue_id);
  return it == files_.end() ? nullptr : &it->second;
}

const queue_file* queue::find(const std::string& queue_id) const {
  auto it = files_.find(queue_id);
  return it == files_.end() ? nullptr : &it->second;
}

std::vector<std::string> queue::ids() const {
  std::vector<std::string> out;
  for (const auto& [id, f] : files_) out.push_back(id);
  return out;
}

}  // namespace sim::mta
