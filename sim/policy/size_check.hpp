// sim/policy/size_check.hpp - message size limits (RFC 1870).
#pragma once

#include <cstdint>
#include <optional>

#include "sim/policy/check_result.hpp"

namespace sim::policy {

// MAIL FROM ... SIZE=n (RFC 1870 section 6.1): a declared size over the
// maximum is refused at once with 552 5.3.4; no SIZE= passes.
check_result check_declared_size(std::optional<std::uint64_t> declared, std::uint64_t max_message_size);
// After the final dot: the size actually received (RFC 1870 section 6.3).
check_result check_received_size(std::uint64_t received, std::uint64_t max_message_size);

}  // namespace sim::policy
