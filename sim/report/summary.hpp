// sim/report/summary.hpp - the summary line every command ends with (cli.md).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace sim::report {

// Exactly "N passed, N failed".
std::string summary_line(std::size_t passed, std::size_t failed);
// The same, counting expectation lines that start with "PASS" / "FAIL".
std::string summary_line(const std::vector<std::string>& expectation_lines);

}  // namespace sim::report
