// sim/report/golden.cpp - comparing a run with its approved trace.
#include "sim/report/golden.hpp"

#include <fmt/format.h>

#include "sim/report/escape.hpp"
#include "sim/report/files.hpp"
#include "sim/report/timeline.hpp"

namespace sim::report {
namespace {

// How much of each line a difference message shows: enough to see the
// differing field with some context, short enough for one terminal line.
constexpr std::size_t shown_width = 80;

// Lines without their '\n'; a final line without '\n' still counts.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    auto end = text.find('\n');
    if (end == std::string_view::npos) {
      out.push_back(text);
      break;
    }
    out.push_back(text.substr(0, end));
    text.remove_prefix(end + 1);
  }
  return out;
}

std::size_t first_difference(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  return i;
}

std::string shown(std::string_view line, std::size_t focus) { return one_line(excerpt(line, focus, shown_width)); }

std::string line_differs(std::size_t number, std::string_view golden, std::string_view run) {
  if (golden.size() == run.size() + 1 && golden.ends_with('\r') && golden.starts_with(run))
    return fmt::format("line {} differs: the golden line ends with CR (CRLF line ends; check git's autocrlf)",
                       number);
  std::size_t at = first_difference(golden, run);
  return fmt::format("line {} differs at column {}: golden {} | run {}", number, at + 1, shown(golden, at),
                     shown(run, at));
}

std::string extra_lines(const char* who, const std::vector<std::string_view>& lines, std::size_t from) {
  std::size_t extra = lines.size() - from;
  return fmt::format("{} has {} more event{} (line {}: {})", who, extra, extra == 1 ? "" : "s", from + 1,
                     shown(lines[from], 0));
}

}  // namespace

std::filesystem::path golden_trace_path(const std::filesystem::path& dir, std::string_view scenario) {
  return dir / (std::string(scenario) + ".trace.jsonl");
}

std::filesystem::path golden_timeline_path(const std::filesystem::path& dir, std::string_view scenario) {
  return dir / (std::string(scenario) + ".timeline.txt");
}

golden_result compare_trace_text(std::string_view golden, std::string_view run) {
  if (golden == run) return {};
  auto want = split_lines(golden);
  auto got = split_lines(run);
  for (std::size_t i = 0; i < want.size() && i < got.size(); ++i)
    if (want[i] != got[i]) return {golden_status::differs, line_differs(i + 1, want[i], got[i])};
  if (want.size() > got.size()) return {golden_status::differs, extra_lines("golden", want, got.size())};
  if (got.size() > want.size()) return {golden_status::differs, extra_lines("run", got, want.size())};
  // Same lines, different bytes: only the final line end can differ.
  return {golden_status::differs, golden.ends_with('\n') ? "the run's trace does not end with a newline"
                                                         : "the golden file does not end with a newline"};
}

golden_result compare_golden(const std::filesystem::path& dir, std::string_view scenario,
                             const std::vector<event>& events) {
  auto path = golden_trace_path(dir, scenario);
  auto golden = read_file(path);
  if (!golden)
    return {golden_status::missing,
            fmt::format("no golden file {} (approve this run with --update-golden)", path.string())};
  return compare_trace_text(*golden, trace_text(events));
}

void update_golden(const std::filesystem::path& dir, std::string_view scenario, const std::vector<event>& events,
                   const std::vector<std::string>& tail) {
  write_file(golden_trace_path(dir, scenario), trace_text(events));
  write_file(golden_timeline_path(dir, scenario), timeline_text(events, tail));
}

}  // namespace sim::report
