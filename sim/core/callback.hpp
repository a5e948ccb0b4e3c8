// sim/core/callback.hpp - a move-only void() callable that keeps small
// captures inline.
//
// A timer's callback usually captures a pointer or two and an id; keeping
// those inside the callback (48 bytes here, 16 in std::function) means
// arming a timer allocates nothing.  Bigger callables go to the heap.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace sim {

class callback {
 public:
  callback() noexcept = default;
  callback(std::nullptr_t) noexcept {}
  template <typename F>
    requires(!std::is_same_v<std::decay_t<F>, callback> && std::is_invocable_v<std::decay_t<F>&>)
  callback(F&& f) {  // NOLINT: implicit, like std::function
    using T = std::decay_t<F>;
    if constexpr (fits<T>) {
      ::new (static_cast<void*>(buffer_)) T(std::forward<F>(f));
      ops_ = &inline_ops<T>;
    } else {
      ::new (static_cast<void*>(buffer_)) T*(new T(std::forward<F>(f)));
      ops_ = &heap_ops<T>;
    }
  }
  callback(callback&& other) noexcept { take(other); }
  callback& operator=(callback&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  callback& operator=(std::nullptr_t) noexcept {
    reset();
    return *this;
  }
  callback(const callback&) = delete;
  callback& operator=(const callback&) = delete;
  ~callback() { reset(); }

  explicit operator bool() const noexcept { return ops_ != nullptr; }
  void operator()() { ops_->call(buffer_); }

 private:
  static constexpr std::size_t capacity = 48;
  template <typename T>
  static constexpr bool fits = sizeof(T) <= capacity && alignof(T) <= alignof(std::max_align_t) &&
                               std::is_nothrow_move_constructible_v<T>;

  struct operations {
    void (*call)(void* self);
    void (*move)(void* from, void* to) noexcept;  // move-constructs into `to`, destroys `from`
    void (*destroy)(void* self) noexcept;
  };
  template <typename T>
  static constexpr operations inline_ops{
      [](void* self) { (*static_cast<T*>(self))(); },
      [](void* from, void* to) noexcept {
        ::new (to) T(std::move(*static_cast<T*>(from)));
        static_cast<T*>(from)->~T();
      },
      [](void* self) noexcept { static_cast<T*>(self)->~T(); }};
  template <typename T>
  static constexpr operations heap_ops{
      [](void* self) { (**static_cast<T**>(self))(); },
      [](void* from, void* to) noexcept { ::new (to) T*(*static_cast<T**>(from)); },
      [](void* self) noexcept { delete *static_cast<T**>(self); }};

  void take(callback& other) noexcept {
    if (!other.ops_) return;
    other.ops_->move(other.buffer_, buffer_);
    ops_ = std::exchange(other.ops_, nullptr);
  }
  void reset() noexcept {
    if (ops_) std::exchange(ops_, nullptr)->destroy(buffer_);
  }

  alignas(std::max_align_t) unsigned char buffer_[capacity];
  const operations* ops_ = nullptr;
};

}  // namespace sim
