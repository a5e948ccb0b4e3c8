// sim/embed/run_result.cpp - reading a run's result (mailsim::run_result,
// event, message): lookups over the plain data the run handed back.
#include <algorithm>

#include "mailsim/mailsim.hpp"
#include "sim/message/message.hpp"
#include "sim/report/summary.hpp"

namespace mailsim {

std::optional<std::string> event::field(std::string_view key) const {
  auto it = fields.find(std::string(key));
  if (it == fields.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> message::header(std::string_view name) const { return sim::message::header_value(raw, name); }

std::size_t run_result::failed() const {
  return static_cast<std::size_t>(std::count_if(expectations_.begin(), expectations_.end(),
                                                [](const expectation_result& r) { return !r.passed; }));
}

std::string run_result::summary() const {
  std::string out;
  for (const auto& r : expectations_) out += r.line + '\n';
  return out + sim::report::summary_line(expectations_.size() - failed(), failed()) + '\n';
}

const mailbox* run_result::mailbox_of(std::string_view address, std::string_view host) const {
  for (const auto& m : mailboxes_)
    if (m.address == address && (host.empty() || m.host == host)) return &m;
  return nullptr;
}

std::vector<queued_message> run_result::queue(std::string_view host) const {
  std::vector<queued_message> out;
  for (const auto& q : queued_)
    if (q.host == host) out.push_back(q);
  return out;
}

std::vector<event> run_result::events_named(std::string_view name) const {
  std::vector<event> out;
  for (const auto& e : events_)
    if (e.name == name) out.push_back(e);
  return out;
}

std::size_t run_result::count(std::string_view name) const {
  return static_cast<std::size_t>(
      std::count_if(events_.begin(), events_.end(), [name](const event& e) { return e.name == name; }));
}

std::string run_result::trace_jsonl() const {
  std::string out;
  for (const auto& e : events_) out += e.line + '\n';
  return out;
}

}  // namespace mailsim
