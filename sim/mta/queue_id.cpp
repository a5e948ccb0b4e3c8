// sim/mta/queue_id.cpp - queue id generation.
#include "sim/mta/queue_id.hpp"

#include <algorithm>

namespace sim::mta {

std::string queue_id_generator::next() {
  static constexpr char digits[] = "0123456789ABCDEF";
  for (;;) {
    auto bits = stream_.next();
    std::string id(queue_id_length, '0');
    for (auto& c : id) {
      c = digits[bits & 0xF];
      bits >>= 4;
    }
    // 2^40 ids: a collision is rare, and drawing again keeps ids unique.
    if (taken_.insert(id).second) return id;
  }
}

bool valid_queue_id(std::string_view id) {
  return id.size() == queue_id_length && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
         });
}

}  // namespace sim::mta
