// tests/sim/http/fake_world.cpp - the fake world's hosts, mail, queue, trace and actions.
#include "tests/sim/http/fake_world.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/message/text.hpp"

namespace sim::http::testing {

struct fake_world::watch : subscription {
  fake_world* world;
  std::uint64_t id;
  watch(fake_world* w, std::uint64_t i) : world(w), id(i) {}
  ~watch() override { world->watchers_.erase(id); }
};

namespace {

const std::vector<std::string> fault_kinds = {"refuse", "timeout", "reset", "reply", "slow", "mailbox_full"};

}  // namespace

fake_world::fake_world() {
  hosts_.push_back({"client.test", "192.0.2.99", {"client"}, {}, true, {}});
  hosts_.push_back({"mail.sender.test", "192.0.2.25", {"mta", "submission"},
                    {{"smtp", 25, "127.0.0.1:2500"}, {"submission", 587, "127.0.0.1:2501"}}, true, {}});
  hosts_.push_back({"mx1.example.org", "198.51.100.10", {"mta", "lda"},
                    {{"smtp", 25, "127.0.0.1:2503"}, {"pop3", 110, "127.0.0.1:2505"}}, true, {}});
  boxes_ = {{"alice@sender.test", "mail.sender.test"}, {"bob@example.org", "mx1.example.org"},
            {"carol@example.org", "mx1.example.org"}};
  validate_ = [](const json& f) -> std::optional<std::string> {
    if (f.contains("dns")) {
      if (!f["dns"].is_string()) return "/dns: expected a domain name";
      return std::nullopt;
    }
    if (!f.contains("host") || !f["host"].is_string()) return "/host: required";
    if (!f.contains("kind") || !f["kind"].is_string()) return "/kind: required";
    auto kind = f["kind"].get<std::string>();
    if (std::find(fault_kinds.begin(), fault_kinds.end(), kind) == fault_kinds.end())
      return "/kind: \"" + kind + "\" is not a fault kind";
    return std::nullopt;
  };
  emit("-", "sim", "sim.start", {{"scenario", "fake"}, {"seed", 1}});
}

host_info* fake_world::find_host(std::string_view name) {
  for (auto& h : hosts_)
    if (h.name == name) return &h;
  return nullptr;
}

std::string fake_world::file(const std::string& address, const std::string& raw, const std::string& return_path) {
  std::string id = fmt::format("m{}", next_id_++);
  std::string full = "Return-Path: <" + return_path + ">\r\nDelivered-To: " + address + "\r\n" + raw;
  mail_.push_back({id, address, return_path, full, now_});
  std::string host;
  for (const auto& [a, h] : boxes_)
    if (a == address) host = h;
  emit(host, "lda", "lda.deliver", {{"mailbox", address}, {"size", full.size()}, {"return_path", return_path}});
  return id;
}

std::uint64_t fake_world::emit(const std::string& host, const std::string& agent, const std::string& event, json fields) {
  json e = {{"seq", events_.size()}, {"t", millis(now_)}, {"host", host}, {"agent", agent}, {"event", event}};
  for (auto it = fields.begin(); it != fields.end(); ++it) e[it.key()] = it.value();
  events_.push_back(e.dump(-1, ' ', false, json::error_handler_t::replace));
  auto calls = watchers_;
  for (auto& [id, fn] : calls) fn();
  return events_.size() - 1;
}

sim::wall_time fake_world::start() const { return *parse_rfc3339("2026-01-05T09:00:00Z"); }

std::vector<host_info> fake_world::hosts() const { return hosts_; }

std::vector<mailbox_info> fake_world::mailboxes() const {
  std::vector<mailbox_info> out;
  for (const auto& [address, host] : boxes_) {
    folder_info inbox{"INBOX", 0, 0};
    for (const auto& m : mail_)
      if (m.address == address) {
        ++inbox.messages;
        inbox.bytes += m.raw.size();
      }
    out.push_back({address, host, {inbox}});
  }
  return out;
}

result<std::vector<stored_message>> fake_world::messages(std::string_view address) const {
  auto box = std::find_if(boxes_.begin(), boxes_.end(), [&](const auto& b) { return message::iequals(b.first, address); });
  if (box == boxes_.end()) return not_found("no mailbox " + std::string(address));
  std::vector<stored_message> out;
  for (const auto& m : mail_)
    if (m.address == box->first) out.push_back({m.id, box->second, m.address, "INBOX", m.return_path, m.at, m.raw});
  return out;
}

result<stored_message> fake_world::message(std::string_view id) const {
  for (const auto& m : mail_)
    if (m.id == id) {
      std::string host;
      for (const auto& [a, h] : boxes_)
        if (a == m.address) host = h;
      return stored_message{m.id, host, m.address, "INBOX", m.return_path, m.at, m.raw};
    }
  return not_found("no message " + std::string(id));
}

result<std::vector<queued_message>> fake_world::queue(std::string_view host) const {
  auto it = std::find_if(hosts_.begin(), hosts_.end(), [&](const host_info& h) { return h.name == host; });
  if (it == hosts_.end()) return not_found("no host " + std::string(host));
  if (std::find(it->roles.begin(), it->roles.end(), "mta") == it->roles.end())
    return not_found("host " + std::string(host) + " runs no MTA");
  if (host == "mail.sender.test") return queue_;
  return std::vector<queued_message>{};
}

trace_page fake_world::trace(std::uint64_t since, std::size_t limit) const {
  trace_page page;
  page.next = since;
  for (auto seq = since; seq < events_.size() && page.events.size() < limit; ++seq) {
    page.events.push_back({seq, events_[seq]});
    page.next = seq + 1;
  }
  handed_out_ = std::max(handed_out_, page.next);
  return page;
}

std::unique_ptr<subscription> fake_world::watch_trace(std::function<void()> on_event) {
  auto id = next_watch_++;
  watchers_[id] = std::move(on_event);
  return std::make_unique<watch>(this, id);
}

std::optional<problem> fake_world::apply_fault(const json& fault) {
  if (auto error = validate_(fault)) return bad_request(*error);
  if (fault.contains("dns")) {
    dns_faults_[fault["dns"].get<std::string>()].push_back(fault);
    emit("dns", "sim", "fault.on", fault);
    return std::nullopt;
  }
  host_info* h = find_host(fault["host"].get<std::string>());
  if (!h) return not_found("no host " + fault["host"].get<std::string>());
  h->faults.push_back(fault);
  emit(h->name, "sim", "fault.on", fault);
  return std::nullopt;
}

std::optional<problem> fake_world::heal(const json& heal) {
  if (heal.contains("dns")) {
    dns_faults_.erase(heal["dns"].get<std::string>());
    emit("dns", "sim", "fault.off", heal);
    return std::nullopt;
  }
  host_info* h = find_host(heal.value("host", ""));
  if (!h) return not_found("no host " + heal.value("host", ""));
  h->faults.clear();
  emit(h->name, "sim", "fault.off", heal);
  return std::nullopt;
}

result<sent_receipt> fake_world::send(const json& s) {
  if (!s.contains("from") || !s["from"].is_string()) return bad_request("/from: required");
  if (!s.contains("to") || !s["to"].is_array() || s["to"].empty()) return bad_request("/to: a non-empty array of addresses");
  for (const auto& t : s["to"])
    if (!t.is_string()) return bad_request("/to: addresses are strings");
  auto from = s["from"].get<std::string>();
  auto subject = s.value("subject", "");
  std::string id = s.value("id", fmt::format("api-{}", ++sent_));
  std::string message_id = fmt::format("<{}@fake.mailsim>", id);
  std::string to_field;
  for (const auto& t : s["to"]) to_field += (to_field.empty() ? "" : ", ") + t.get<std::string>();
  emit("client.test", "mua", "mua.compose", {{"from", from}, {"to", s["to"]}, {"subject", subject}, {"message_id", message_id}});
  std::string raw = "From: " + from + "\r\nTo: " + to_field + "\r\nSubject: " + subject +
                    "\r\nDate: Mon, 05 Jan 2026 09:00:00 +0000\r\nMessage-ID: " + message_id + "\r\n\r\n" +
                    s.value("body", "") + "\r\n";
  for (const auto& t : s["to"]) {
    auto address = t.get<std::string>();
    bool local = std::any_of(boxes_.begin(), boxes_.end(), [&](const auto& b) { return b.first == address; });
    if (local) {
      file(address, raw, from);
      continue;
    }
    queued_message q{fmt::format("{:010X}", 0xA0000 + queue_.size()), from, raw.size(), now_, {}};
    q.recipients.push_back({address, "deferred", 1, "451 4.4.1 connection refused", now_ + std::chrono::minutes(5)});
    queue_.push_back(q);
    emit("mail.sender.test", "mta", "queue.defer", {{"queue_id", q.queue_id}, {"rcpt", address}});
  }
  return sent_receipt{id, message_id};
}

result<std::vector<expect_line>> fake_world::check(const json& expectations) {
  std::vector<expect_line> out;
  for (std::size_t i = 0; i < expectations.size(); ++i) {
    const auto& e = expectations[i];
    if (e.contains("delivered") && e["delivered"].is_object() && e["delivered"].contains("to")) {
      auto to = e["delivered"]["to"].get<std::string>();
      bool found = std::any_of(mail_.begin(), mail_.end(), [&](const filed& m) { return m.address == to; });
      out.push_back({found, (found ? "PASS delivered " : "FAIL delivered ") + to + (found ? ": in the mailbox" : ": not delivered")});
    } else if (e.contains("queue_empty")) {
      bool empty = queue_.empty();
      out.push_back({empty, empty ? "PASS queue_empty: every queue is empty" : "FAIL queue_empty: 1 message in mail.sender.test's queue"});
    } else {
      return bad_request(fmt::format("/{}: expected one of delivered, queue_empty", i));
    }
  }
  return out;
}

std::size_t fake_world::delete_messages() {
  auto n = mail_.size();
  mail_.clear();
  return n;
}

}  // namespace sim::http::testing
