// sim/core/task_group.hpp - the coroutines of one host, cancelled together.
//
// A host's agents spawn every coroutine (sessions, retry loops) through
// its task group.  When the host crashes, cancel_all() delivers terminal
// cancellation to each: whatever it awaits (a timer, a read) completes with
// operation_aborted and the coroutine unwinds, so nothing of the dead host
// acts again.  Exceptions other than cancellation are reported through the
// error handler (a bug: the run ends with exit status 3).
#pragma once

#include <exception>
#include <functional>
#include <map>
#include <memory>

#include "sim/core/asio.hpp"

namespace sim {

class task_group {
 public:
  using error_handler = std::function<void(std::exception_ptr)>;

  explicit task_group(asio::any_io_executor ex, error_handler on_error = {})
      : ex_(std::move(ex)), on_error_(std::move(on_error)), alive_(std::make_shared<bool>(true)) {}
  ~task_group() {
    *alive_ = false;
    cancel_all();
  }
  task_group(const task_group&) = delete;
  task_group& operator=(const task_group&) = delete;

  void spawn(asio::awaitable<void> task) {
    std::uint64_t id = next_++;
    auto& signal = signals_[id];
    asio::co_spawn(ex_, std::move(task),
                   asio::bind_cancellation_slot(signal.slot(), [this, id, alive = alive_](std::exception_ptr e) {
                     if (!*alive) return;
                     // Erase later: the signal may still be in use while
                     // this completion handler runs.
                     asio::post(ex_, [this, id, alive] {
                       if (*alive) signals_.erase(id);
                     });
                     if (e && on_error_ && !is_cancellation(e)) on_error_(e);
                   }));
  }

  // Terminal cancellation of every running task.
  void cancel_all() {
    auto signals = std::move(signals_);
    signals_.clear();
    for (auto& [id, signal] : signals) signal.emit(asio::cancellation_type::terminal);
    // The signals must outlive the handlers that complete with
    // operation_aborted; those run later, so keep them until then.
    graveyard_.push_back(std::make_shared<std::map<std::uint64_t, asio::cancellation_signal>>(std::move(signals)));
  }

  std::size_t running() const { return signals_.size(); }

  static bool is_cancellation(std::exception_ptr e) {
    try {
      std::rethrow_exception(e);
    } catch (const boost::system::system_error& err) {
      return err.code() == asio::error::operation_aborted;
    } catch (...) {
      return false;
    }
  }

 private:
  asio::any_io_executor ex_;
  error_handler on_error_;
  std::shared_ptr<bool> alive_;
  std::uint64_t next_ = 1;
  std::map<std::uint64_t, asio::cancellation_signal> signals_;
  std::vector<std::shared_ptr<std::map<std::uint64_t, asio::cancellation_signal>>> graveyard_;
};

}  // namespace sim
