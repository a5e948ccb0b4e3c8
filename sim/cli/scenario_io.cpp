// sim/cli/scenario_io.cpp - loading scenario files for the commands.
#include "sim/cli/scenario_io.hpp"

#include <algorithm>
#include <iostream>

#include <unistd.h>

#include "sim/cli/args.hpp"
#include "sim/scenario/loader.hpp"

namespace sim::cli {

std::optional<scenario::scenario> load_or_report(const std::string& path) {
  try {
    return scenario::load(path);
  } catch (const scenario::load_error& e) {
    std::cerr << e.what() << "\n";
    return std::nullopt;
  }
}

std::optional<std::string> external_refusal(const scenario::scenario& s, const std::string& file,
                                            const std::string& command) {
  for (const auto& h : s.hosts)
    if (h.external)
      return file + ": /hosts/" + h.name + "/external: an external host is a real program that `mailsim " + command +
             "` cannot run; play this scenario with `mailsim world SCENARIO -- COMMAND`";
  return std::nullopt;
}

std::vector<std::filesystem::path> scenario_files(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<fs::path> out;
  std::vector<std::string> roots = paths.empty() ? std::vector<std::string>{"scenarios"} : paths;
  for (const auto& root : roots) {
    std::error_code ec;
    if (fs::is_directory(root, ec)) {
      for (const auto& entry : fs::recursive_directory_iterator(root))
        if (entry.is_regular_file() && entry.path().extension() == ".json") out.push_back(entry.path());
    } else if (fs::exists(root, ec)) {
      out.emplace_back(root);
    } else {
      throw usage_error("no such file or folder: " + root);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool stdout_is_terminal() { return ::isatty(STDOUT_FILENO) == 1; }

}  // namespace sim::cli
