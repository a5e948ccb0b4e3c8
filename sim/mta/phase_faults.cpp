// sim/mta/phase_faults.cpp - the scenario's SMTP faults.
#include "sim/mta/phase_faults.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace sim::mta {
namespace {

constexpr std::array<std::string_view, 7> names{"connect", "ehlo", "mail", "rcpt", "data", "dot", "quit"};

bool same_address(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool matches(const phase_fault& f, const std::vector<std::string>& involved) {
  if (!f.match) return true;
  return std::any_of(involved.begin(), involved.end(), [&](const std::string& a) { return same_address(a, *f.match); });
}

}  // namespace

std::optional<fault_phase> parse_fault_phase(std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<fault_phase>(i);
  return std::nullopt;
}

std::string_view fault_phase_name(fault_phase p) { return names[static_cast<std::size_t>(p)]; }

fault_action phase_fault_table::at(fault_phase phase, const std::vector<std::string>& involved) {
  fault_action out;
  for (auto& f : faults_) {
    if (f.phase && *f.phase != phase) continue;
    if (f.what == phase_fault::kind::slow) {
      out.delay += f.delay;
      continue;
    }
    if (!matches(f, involved)) continue;
    if (f.times && f.used >= *f.times) continue;
    ++f.used;
    if (f.what == phase_fault::kind::reset) out.reset = true;
    else if (!out.replace) out.replace = f.answer;
  }
  return out;
}

}  // namespace sim::mta
