// sim/core/fifo.hpp - a first-in first-out queue in one reused vector.
//
// For the protocol machines' short queues (actions to hand out, replies
// awaited), which fill and drain over and over: std::deque allocates its map
// and a block even when empty, and a new block whenever the queue crosses
// one; this keeps one buffer, emptied (not freed) each time it drains.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace sim {

template <typename T>
class fifo {
 public:
  bool empty() const noexcept { return head_ == items_.size(); }
  std::size_t size() const noexcept { return items_.size() - head_; }
  T& front() noexcept { return items_[head_]; }
  const T& front() const noexcept { return items_[head_]; }

  void push_back(T v) { items_.push_back(std::move(v)); }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    return items_.emplace_back(std::forward<Args>(args)...);
  }
  // The front item, moved out.
  T take_front() {
    T v = std::move(items_[head_]);
    pop_front();
    return v;
  }
  void pop_front() {
    if (++head_ == items_.size()) {
      clear();
    } else if (head_ >= 32 && head_ * 2 >= items_.size()) {
      // A queue that never quite drains: drop what was taken.
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }
  void clear() noexcept {
    items_.clear();
    head_ = 0;
  }

 private:
  std::vector<T> items_;
  std::size_t head_ = 0;
};

}  // namespace sim
