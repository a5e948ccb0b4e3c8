// sim/report/sha256.hpp - SHA-256 (FIPS 180-4), for the page's Content-Security-Policy script hash.
//
// The report allows exactly one inline script, named by its hash (CSP Level 2
// 'sha256-...'), so that nothing else that ends up in the page can run.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace sim::report {

std::array<std::uint8_t, 32> sha256(std::string_view data);

}  // namespace sim::report
