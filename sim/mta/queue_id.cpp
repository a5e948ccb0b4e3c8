// sim/mta/queue_id.cpp - queue id generation.
#include "sim/mta/queue_id.hpp"

#include <algorithm>

namespace sim::mta {

std::string queue_id_generator::next() {
  static constexpr char digits[] = "0123456789ABCDEF";
  constexpr std::uint64_t mask = (std::uint64_t{1} << (4 * queue_id_length)) - 1;
  for (;;) {
    auto bits = stream_.next();
    // 2^40 ids: a collision is rare, and drawing again keeps ids unique.
    if (!taken_.insert(bits & mask).second) continue;
    std::string id(queue_id_length, '0');
    for (auto& c : id) {
      c = digits[bits & 0xF];
      bits >>= 4;
    }
    return id;
  }
}

std::optional<std::uint64_t> queue_id_generator::value_of(std::string_view id) {
  if (!valid_queue_id(id)) return std::nullopt;
  std::uint64_t v = 0;
  for (std::size_t i = id.size(); i-- > 0;)
    v = (v << 4) | static_cast<std::uint64_t>(id[i] <= '9' ? id[i] - '0' : id[i] - 'A' + 10);
  return v;
}

void queue_id_generator::reserve(std::string_view id) {
  if (auto v = value_of(id)) taken_.insert(*v);
  else odd_.emplace(id);
}

bool queue_id_generator::taken(std::string_view id) const {
  if (auto v = value_of(id)) return taken_.contains(*v);
  return odd_.contains(std::string(id));
}

bool valid_queue_id(std::string_view id) {
  return id.size() == queue_id_length && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
         });
}

}  // namespace sim::mta
