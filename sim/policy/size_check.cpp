// sim/policy/size_check.cpp - SIZE= and received-size checks (RFC 1870).
#include "sim/policy/size_check.hpp"

#include <fmt/format.h>

namespace sim::policy {
namespace {

check_result too_big(std::string detail) {
  return {"size", "fail", std::move(detail), reply{552, "5.3.4", "Message size exceeds fixed maximum message size"}};
}

}  // namespace

check_result check_declared_size(std::optional<std::uint64_t> declared, std::uint64_t max_message_size) {
  if (!declared) return {"size", "pass", "no SIZE= declared", std::nullopt};
  if (*declared > max_message_size)
    return too_big(fmt::format("declared SIZE={} over the maximum of {}", *declared, max_message_size));
  return {"size", "pass", fmt::format("declared SIZE={} within {}", *declared, max_message_size), std::nullopt};
}

check_result check_received_size(std::uint64_t received, std::uint64_t max_message_size) {
  if (received > max_message_size)
    return too_big(fmt::format("received {} bytes, over the maximum of {}", received, max_message_size));
  return {"size", "pass", fmt::format("received {} bytes within {}", received, max_message_size), std::nullopt};
}

}  // namespace sim::policy
