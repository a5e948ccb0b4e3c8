// sim/scenario/loader.hpp - read and validate a scenario file.
//
// Every problem is reported as one load_error whose what() names the file,
// the JSON pointer (RFC 6901) and what is wrong:
//   scenarios/x.json: /hosts/mx1.example.org/ip: "300.1.2.3" is not an IPv4 or IPv6 address
// JSON syntax errors give line and column instead of a pointer:
//   scenarios/x.json:12:5: syntax error: ...
// The CLI prints it and exits 2 before anything runs (cli.md).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sim/scenario/model.hpp"

namespace sim::scenario {

class load_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads `path`; `dns_files` are resolved relative to its folder.
scenario load(const std::filesystem::path& path);

// For tests and stdin: `display_name` is the file name used in messages,
// `base_dir` the folder that relative `dns_files` paths start from.
scenario load_from_string(std::string_view text, std::string_view display_name,
                          const std::filesystem::path& base_dir = ".");

// Live mode's API: one timeline action given on its own (`key` is "send",
// "fault", "heal", ...; `value` what a timeline entry holds under it), or
// an `expect` array, read against the loaded scenario `s` by the same
// rules as in a file.  A load_error names `display_name` and the pointer
// within `value` ("request body: /code: ...").
action load_action(std::string_view key, const json& value, const scenario& s, std::string_view display_name);
std::vector<expectation> load_expectations(const json& value, const scenario& s, std::string_view display_name);

}  // namespace sim::scenario
