// tests/sim/report/support.hpp - events in trace-format.md shapes, and scratch folders.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/core/trace.hpp"

namespace report_test {

// An event with the five common fields first, then `fields` in order.
inline sim::event make_event(int seq, std::int64_t t, std::string host, std::string agent, std::string name,
                             sim::event fields = sim::event::object()) {
  sim::event e = {{"seq", seq}, {"t", t}, {"host", std::move(host)}, {"agent", std::move(agent)},
                  {"event", std::move(name)}};
  for (auto it = fields.begin(); it != fields.end(); ++it) e[it.key()] = it.value();
  return e;
}

// A folder under the build tree for one test case, empty at the start and removed at the end.
struct scratch_dir {
  std::filesystem::path path;
  explicit scratch_dir(const std::string& name) : path(std::filesystem::path(MAILSIM_REPORT_TMP) / name) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~scratch_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
};

// An approved trace of the starter library (reports/<name>.trace.jsonl), one event per line.
inline std::vector<sim::event> approved_trace(const std::string& name) {
  std::ifstream in(std::filesystem::path(MAILSIM_SOURCE_DIR) / "reports" / (name + ".trace.jsonl"));
  std::vector<sim::event> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(sim::event::parse(line));
  return out;
}

// True when python3 is on PATH (the XML well-formedness checks use it).
inline bool have_python3() { return std::system("command -v python3 >/dev/null 2>&1") == 0; }

}  // namespace report_test
