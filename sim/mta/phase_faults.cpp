// sim/mta/phase_faults.cpp - the scenario's SMTP faults.
#include "sim/mta/phase_faults.hpp"

#include "sim/message/text.hpp"

#include <algorithm>

namespace sim::mta {
namespace {

bool matches(const phase_fault& f, const std::vector<std::string>& involved) {
  if (!f.match) return true;
  return std::any_of(involved.begin(), involved.end(), [&](const std::string& a) { return message::iequals(a, *f.match); });
}

}  // namespace

std::optional<smtp::phase> parse_fault_phase(std::string_view name) {
  for (auto p : {smtp::phase::connect, smtp::phase::ehlo, smtp::phase::mail, smtp::phase::rcpt, smtp::phase::data,
                 smtp::phase::dot, smtp::phase::quit})
    if (smtp::phase_name(p) == name) return p;
  return std::nullopt;
}

fault_action phase_fault_table::at(smtp::phase phase, const std::vector<std::string>& involved) {
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
    else if (f.what == phase_fault::kind::reset_after_reply) out.reset_after_reply = true;
    else if (!out.replace) out.replace = f.answer;
  }
  return out;
}

}  // namespace sim::mta
