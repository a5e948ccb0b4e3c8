// sim/lda/message_list.hpp - a folder's messages in UID order, cheap to drop
// from the front.
#pragma once

#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

namespace sim::lda {

// A vector whose first `head_` slots are already dropped: retention (`serve
// --retain`) and POP3 deletions from the top take the oldest messages off the
// front in O(1) each, and the slots are reclaimed once they outnumber the
// live ones (amortised O(1)).  An empty list allocates nothing, which
// matters with 100,000 mailboxes of five folders each (a std::deque
// allocates its map and a block even when empty).
template <typename T>
class front_dropping_vector {
 public:
  using value_type = T;
  using iterator = typename std::vector<T>::iterator;
  using const_iterator = typename std::vector<T>::const_iterator;

  iterator begin() { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  iterator end() { return items_.end(); }
  const_iterator begin() const { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  const_iterator end() const { return items_.end(); }
  std::size_t size() const { return items_.size() - head_; }
  bool empty() const { return size() == 0; }
  T& operator[](std::size_t i) { return items_[head_ + i]; }
  const T& operator[](std::size_t i) const { return items_[head_ + i]; }
  T& at(std::size_t i) { return items_.at(head_ + i); }
  const T& at(std::size_t i) const { return items_.at(head_ + i); }
  T& front() { return items_[head_]; }
  const T& front() const { return items_[head_]; }
  T& back() { return items_.back(); }
  const T& back() const { return items_.back(); }
  void push_back(T item) { items_.push_back(std::move(item)); }
  iterator insert(const_iterator pos, T item) { return items_.insert(pos, std::move(item)); }
  void clear() {
    items_.clear();
    head_ = 0;
  }

  // Erasing a prefix only moves the head (the dropped values are released
  // now, their slots later); anything else is the vector's erase.
  iterator erase(const_iterator first, const_iterator last) {
    if (first != begin()) return items_.erase(first, last);
    auto n = static_cast<std::size_t>(std::distance(first, last));
    for (std::size_t i = head_; i < head_ + n; ++i) items_[i] = T{};
    head_ += n;
    if (head_ > size()) compact();
    return begin();
  }

  template <typename Pred>
  std::size_t erase_if(Pred pred) {
    auto before = size();
    compact();
    std::erase_if(items_, std::move(pred));
    return before - size();
  }

 private:
  void compact() {
    items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }

  std::vector<T> items_;
  std::size_t head_ = 0;
};

}  // namespace sim::lda
