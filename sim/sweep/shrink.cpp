// sim/sweep/shrink.cpp - ddmin over a fault schedule.
#include "sim/sweep/shrink.hpp"

namespace sim::sweep {
namespace {

fault_schedule without(const fault_schedule& f, std::size_t from, std::size_t count) {
  fault_schedule out;
  for (std::size_t i = 0; i < f.size(); ++i)
    if (i < from || i >= from + count) out.push_back(f[i]);
  return out;
}

}  // namespace

fault_schedule shrink_schedule(fault_schedule failing, const std::function<bool(const fault_schedule&)>& still_fails,
                               std::size_t* runs) {
  std::size_t tried = 0;
  std::size_t chunks = 2;
  while (!failing.empty()) {
    std::size_t size = (failing.size() + chunks - 1) / chunks;
    bool removed = false;
    for (std::size_t from = 0; from < failing.size(); from += size) {
      fault_schedule candidate = without(failing, from, size);
      ++tried;
      if (still_fails(candidate)) {
        failing = std::move(candidate);
        removed = true;
        break;
      }
    }
    if (removed) {
      chunks = std::max<std::size_t>(2, chunks - 1);
      continue;
    }
    if (size == 1) break;  // no single unit can go: 1-minimal
    chunks = std::min(failing.size(), chunks * 2);
  }
  if (runs) *runs = tried;
  return failing;
}

}  // namespace sim::sweep
