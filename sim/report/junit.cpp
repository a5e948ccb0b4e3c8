// sim/report/junit.cpp - JUnit XML for CI systems.
#include "sim/report/junit.hpp"

#include <fmt/format.h>

#include "sim/report/escape.hpp"
#include "sim/report/files.hpp"

namespace sim::report {
namespace {

std::string attr(std::string_view s) { return xml_escape(s, true); }

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

std::string testcase(const junit_case& c) {
  std::string out = fmt::format("  <testcase classname=\"mailsim.scenarios\" name=\"{}\"", attr(c.name));
  if (!c.file.empty()) out += fmt::format(" file=\"{}\"", attr(c.file));
  out += " time=\"0\"";
  if (c.outcome == junit_outcome::passed && c.output.empty()) return out + "/>\n";
  out += ">\n";
  if (c.outcome != junit_outcome::passed) {
    const char* tag = c.outcome == junit_outcome::failed ? "failure" : "error";
    std::string message = c.message.empty() ? (c.details.empty() ? std::string(tag) : c.details.front()) : c.message;
    out += fmt::format("    <{} message=\"{}\">{}</{}>\n", tag, attr(message), xml_escape(joined(c.details)), tag);
  }
  if (!c.output.empty()) out += fmt::format("    <system-out>{}</system-out>\n", xml_escape(c.output));
  return out + "  </testcase>\n";
}

}  // namespace

std::string junit_xml(const std::vector<junit_case>& cases) {
  std::size_t failures = 0, errors = 0;
  for (const auto& c : cases) {
    if (c.outcome == junit_outcome::failed) ++failures;
    if (c.outcome == junit_outcome::error) ++errors;
  }
  // Simulated runs take no wall time worth reporting, and real durations
  // would make the report differ between identical runs.
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuite name=\"mailsim\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"0\">\n",
                     cases.size(), failures, errors);
  for (const auto& c : cases) out += testcase(c);
  return out + "</testsuite>\n";
}

void write_junit(const std::filesystem::path& path, const std::vector<junit_case>& cases) {
  write_file(path, junit_xml(cases));
}

}  // namespace sim::report
