// sim/report/golden.cpp - comparing a run with its approved trace.
#include "sim/report/golden.hpp"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "sim/core/trace_jsonl.hpp"

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

std::string extra_events(const char* who, std::size_t extra, std::size_t first_number, std::string_view first) {
  return fmt::format("{} has {} more event{} (line {}: {})", who, extra, extra == 1 ? "" : "s", first_number,
                     shown(first, 0));
}

std::string extra_lines(const char* who, const std::vector<std::string_view>& lines, std::size_t from) {
  return extra_events(who, lines.size() - from, from + 1, lines[from]);
}

constexpr const char* no_final_newline = "the golden file does not end with a newline";

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
                                                         : no_final_newline};
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

golden_checker::golden_checker(sim::trace& tr, const std::filesystem::path& dir, std::string_view scenario)
    : trace_(tr), path_(golden_trace_path(dir, scenario)) {
  std::error_code ec;
  if (std::filesystem::exists(path_, ec)) {
    golden_ = std::make_unique<std::ifstream>(path_, std::ios::binary);
    if (!*golden_) throw file_error("cannot read " + path_.string() + ": " + std::strerror(errno));
  } else if (ec) {
    throw file_error("cannot read " + path_.string() + ": " + ec.message());
  }
  sink_ = tr.on_event([this](const sim::event_view& e) { on_event(e); });
}

golden_checker::~golden_checker() {
  if (listening_) trace_.remove_sink(sink_);
}

// The next line without its '\n'; false at the end of the file.
bool golden_checker::next_golden(std::string& line) {
  if (!golden_ || !std::getline(*golden_, line)) return false;
  golden_newline_ = !golden_->eof();
  return true;
}

void golden_checker::on_event(const sim::event_view& e) {
  ++lines_;
  if (!golden_ || difference_) return;
  run_line_.clear();
  append_json_line(run_line_, e);
  if (run_extra_ > 0 || !next_golden(golden_line_)) {
    if (run_extra_++ == 0) first_extra_ = run_line_;
    return;
  }
  if (golden_line_ != run_line_) difference_ = golden_result{golden_status::differs, line_differs(lines_, golden_line_, run_line_)};
}

golden_result golden_checker::result() {
  if (listening_) trace_.remove_sink(sink_);
  listening_ = false;
  if (!golden_)
    return {golden_status::missing,
            fmt::format("no golden file {} (approve this run with --update-golden)", path_.string())};
  if (golden_->bad()) throw file_error("cannot read " + path_.string() + ": read error");
  if (difference_) return *difference_;
  if (run_extra_ > 0) return {golden_status::differs, extra_events("run", run_extra_, lines_ - run_extra_ + 1, first_extra_)};
  std::string first;
  if (next_golden(first)) {
    std::size_t extra = 1;
    std::string line;
    while (next_golden(line)) ++extra;
    return {golden_status::differs, extra_events("golden", extra, lines_ + 1, first)};
  }
  if (lines_ > 0 && !golden_newline_) return {golden_status::differs, no_final_newline};
  return {};
}

}  // namespace sim::report
