// sim/cli/scenario_io.hpp - loading scenarios for the commands, with exit status 2 on failure.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/model.hpp"

namespace sim::cli {

// The scenario, or nullopt after printing the loader's one-line message.
std::optional<scenario::scenario> load_or_report(const std::string& path);
// A scenario with an external host (a real program) runs only under
// `mailsim world`: the one-line message `command` gives instead (exit 2).
std::optional<std::string> external_refusal(const scenario::scenario& s, const std::string& file,
                                            const std::string& command);
// Every *.json under the given files and folders, sorted (default: scenarios/).
std::vector<std::filesystem::path> scenario_files(const std::vector<std::string>& paths);
// True when standard output is a terminal (colours only then).
bool stdout_is_terminal();

}  // namespace sim::cli
