// sim/report/summary.cpp - "N passed, N failed".
#include "sim/report/summary.hpp"

#include <fmt/format.h>

namespace sim::report {

std::string summary_line(std::size_t passed, std::size_t failed) {
  return fmt::format("{} passed, {} failed", passed, failed);
}

std::string summary_line(const std::vector<std::string>& expectation_lines) {
  std::size_t passed = 0, failed = 0;
  for (const auto& line : expectation_lines) {
    if (line.starts_with("PASS")) ++passed;
    else if (line.starts_with("FAIL")) ++failed;
  }
  return summary_line(passed, failed);
}

}  // namespace sim::report
