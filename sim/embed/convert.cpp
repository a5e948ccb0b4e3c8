// sim/embed/convert.cpp - the engine's types as the public API's plain data.
#include "sim/embed/convert.hpp"

namespace mailsim::embed {

event to_event(const sim::event_view& e) {
  event out;
  out.seq = e.seq();
  out.t = e.t();
  out.host = std::string(e.host());
  out.agent = std::string(e.agent());
  out.name = std::string(e.name());
  // One conversion to JSON gives both the fields (as the line has them:
  // absent ones left out, the first of two with one name) and the line.
  sim::event j = e.to_json();
  for (const auto& [key, value] : j.items()) {
    bool common = false;
    for (auto name : sim::event_view::common_names) common = common || key == name;
    if (!common) out.fields.emplace(key, value.is_string() ? value.get<std::string>() : value.dump());
  }
  out.line = sim::trace::to_line(j);
  return out;
}

expectation_result to_expectation(const sim::scenario::expect_result& r) {
  return {r.index, r.kind, r.label, r.passed, r.reason, r.line()};
}

mailbox to_mailbox(const sim::scenario::world::mailbox_view& m) {
  mailbox out{m.host, m.address, {}, m.folder_names};
  for (std::size_t i = 0; i < m.messages.size(); ++i)
    out.messages.push_back({i < m.folders.size() ? m.folders[i] : "INBOX", m.messages[i]});
  return out;
}

queued_message to_queued(const std::string& host, const sim::mta::queue_file& f) {
  queued_message out{host, f.queue_id, f.reverse_path, f.message.size(), {}};
  for (const auto& r : f.recipients) {
    std::optional<std::int64_t> next;
    if (r.next_attempt) next = r.next_attempt->time_since_epoch().count();
    out.recipients.push_back({r.address, std::string(sim::mta::status_name(r.status)), r.attempts, r.last_reply, next});
  }
  return out;
}

}  // namespace mailsim::embed
