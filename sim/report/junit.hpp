// sim/report/junit.hpp - the JUnit XML report of `mailsim check --junit FILE` (cli.md).
//
// One <testsuite name="mailsim"> holding one <testcase> per scenario, the
// shape CI systems (Jenkins, GitLab, GitHub actions) read: a failed scenario
// carries <failure>, one that could not be loaded carries <error>.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace sim::report {

enum class junit_outcome { passed, failed, error };

struct junit_case {
  std::string name;                  // the scenario id
  junit_outcome outcome = junit_outcome::passed;
  std::string message;               // one line for the message attribute ("2 expectations failed")
  std::vector<std::string> details;  // failing expectation lines, the golden difference, the load error
  std::string file;                  // the scenario file, when known (attribute `file`)
  std::string output;                // optional <system-out>: the narrated timeline
};

// The whole document, UTF-8, every string escaped (escape.hpp).
std::string junit_xml(const std::vector<junit_case>& cases);
// Writes junit_xml() to `path`; file_error on failure.
void write_junit(const std::filesystem::path& path, const std::vector<junit_case>& cases);

}  // namespace sim::report
