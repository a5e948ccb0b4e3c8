// sim/cli/world_http.cpp - the API's reads of a live world: hosts, mailboxes, messages, queues, the trace.
#include "sim/cli/world_http.hpp"

#include <algorithm>
#include <cstdio>

#include "sim/core/hash.hpp"
#include "sim/message/text.hpp"

namespace sim::cli {
namespace {

http::problem not_found(std::string detail) { return {404, std::move(detail)}; }

// The LDA puts `Return-Path: <sender>` on top (RFC 5321 section 4.4).
std::string return_path_of(std::string_view raw) {
  constexpr std::string_view name = "Return-Path:";
  if (raw.size() < name.size() || !message::iequals(raw.substr(0, name.size()), name)) return "";
  auto line = raw.substr(0, raw.find("\r\n"));
  auto open = line.find('<'), close = line.rfind('>');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return "";
  return std::string(line.substr(open + 1, close - open - 1));
}

std::vector<std::string> roles_of(const scenario::host& h) {
  std::vector<std::string> roles;
  if (h.is_mta()) roles.push_back("mta");
  if (h.submission) roles.push_back("submission");
  if (!h.relay_domains.empty()) roles.push_back("relay");
  if (h.smarthost) roles.push_back("smarthost");
  if (!h.mailboxes.empty()) roles.push_back("lda");
  if (roles.empty()) roles.push_back("client");
  return roles;
}

std::string state_name(mta::rcpt_status s) {
  switch (s) {
    case mta::rcpt_status::pending: return "pending";
    case mta::rcpt_status::delivered: return "delivered";
    case mta::rcpt_status::bounced: return "bounced";
    case mta::rcpt_status::deferred: return "deferred";
  }
  return "pending";
}

}  // namespace

// Its own sink, kept as long as the adapter (sim::trace's sinks are
// removed by id when the adapter goes).
class world_http::watch final : public http::subscription {
 public:
  watch(world_http& owner, std::uint64_t id) : owner_(owner), id_(id) {}
  ~watch() override { owner_.watchers_.erase(id_); }

 private:
  world_http& owner_;
  std::uint64_t id_;
};

world_http::world_http(scenario::world& w, sim::trace& tr, const sim::clock& clk,
                       const std::vector<listener_line>& listeners, std::size_t trace_kept)
    : world_(w), trace_(tr), clock_(clk), kept_(std::max<std::size_t>(trace_kept, 1)) {
  for (const auto& l : listeners) listen_[{l.host, l.service}] = l.address;
  sink_ = trace_.on_event([this](const sim::event_view& e) { observe(e); });
}

world_http::~world_http() { trace_.remove_sink(sink_); }

std::string world_http::message_id_of(std::string_view host, std::string_view address, std::string_view folder,
                                      std::string_view uid) {
  // INBOX's ids are those of the time before folders.
  std::string key;
  key.append(host).push_back('\0');
  key.append(address).push_back('\0');
  if (folder != "INBOX") key.append(folder).push_back('\0');
  key.append(uid);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(sim::fnv1a64(key)));
  return hex;
}

void world_http::observe(const sim::event_view& e) {
  lines_.push_back({e.seq(), sim::trace::to_line(e)});
  if (lines_.size() > kept_) lines_.pop_front();
  if (e.agent() == "lda" && (e.name() == "lda.deliver" || e.name() == "lda.drop")) {
    auto folder = e.get("folder");
    auto id = message_id_of(e.host(), e.get("mailbox").string(), folder.is_string() ? folder.string() : "INBOX",
                            e.get("uid").string());
    if (e.name() == "lda.deliver") delivered_[id] = sim::time_point{std::chrono::milliseconds(e.t())};
    else delivered_.erase(id);
  }
  // The watchers only wake their streams; none calls back into the world
  // (a copy, should one of them end its own watch meanwhile).
  if (watchers_.empty()) return;
  auto wakes = watchers_;
  for (const auto& [id, wake] : wakes) wake();
}

sim::wall_time world_http::start() const { return clock_.start(); }

std::vector<http::host_info> world_http::hosts() const {
  std::vector<const scenario::host*> sorted;
  for (const auto& h : world_.spec().hosts) sorted.push_back(&h);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->name < b->name; });
  auto services = world_.services();
  std::vector<http::host_info> out;
  for (const auto* h : sorted) {
    http::host_info info{h->name, h->ip, roles_of(*h), {}, !world_.network().is_down(h->name), {}};
    for (const auto& s : services) {
      if (s.host != h->name) continue;
      auto at = listen_.find({s.host, s.service});
      info.services.push_back({s.service, s.port, at == listen_.end() ? "" : at->second});
    }
    for (const auto& f : world_.faults_on(h->name)) info.faults.push_back(f);
    out.push_back(std::move(info));
  }
  return out;
}

std::vector<http::mailbox_info> world_http::mailboxes() const {
  std::vector<http::mailbox_info> out;
  for (const auto& h : world_.spec().hosts) {
    const lda::mailbox_store* boxes = world_.mailboxes_of(h.name);
    if (!boxes) continue;
    for (const auto& address : boxes->addresses()) {
      http::mailbox_info box{address, h.name, {}};
      for (const auto& folder : boxes->folders(address)) {
        const auto& held = boxes->folder_messages(address, folder.name);
        std::uint64_t bytes = 0;
        for (const auto& m : held) bytes += m.size;
        box.folders.push_back({folder.name, held.size(), bytes});
      }
      out.push_back(std::move(box));
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.address != b.address ? a.address < b.address : a.host < b.host;
  });
  return out;
}

http::stored_message world_http::view(const std::string& host, const std::string& address, const std::string& folder,
                                      const lda::stored_message& m) const {
  http::stored_message out;
  out.id = message_id_of(host, address, folder, m.uid);
  out.host = host;
  out.mailbox = address;
  out.folder = folder;
  out.return_path = return_path_of(m.raw);
  if (auto it = delivered_.find(out.id); it != delivered_.end()) out.delivered = it->second;
  out.raw = m.raw;
  return out;
}

http::result<std::vector<http::stored_message>> world_http::messages(std::string_view address) const {
  std::vector<http::stored_message> out;
  bool found = false;
  for (const auto& h : world_.spec().hosts) {
    const lda::mailbox_store* boxes = world_.mailboxes_of(h.name);
    if (!boxes) continue;
    for (const auto& name : boxes->addresses()) {
      if (!scenario::same_address(name, address)) continue;
      found = true;
      for (const auto& folder : boxes->folders(name))
        for (const auto& m : boxes->folder_messages(name, folder.name)) out.push_back(view(h.name, name, folder.name, m));
    }
  }
  if (!found) return not_found("no host has a mailbox " + std::string(address));
  return out;
}

http::result<http::stored_message> world_http::message(std::string_view id) const {
  for (const auto& h : world_.spec().hosts) {
    const lda::mailbox_store* boxes = world_.mailboxes_of(h.name);
    if (!boxes) continue;
    for (const auto& name : boxes->addresses())
      for (const auto& folder : boxes->folders(name))
        for (const auto& m : boxes->folder_messages(name, folder.name))
          if (message_id_of(h.name, name, folder.name, m.uid) == id) return view(h.name, name, folder.name, m);
  }
  return not_found("no message has the id " + std::string(id));
}

http::result<std::vector<http::queued_message>> world_http::queue(std::string_view host) const {
  const mta::queue* q = world_.queue_of(std::string(host));
  if (!q) return not_found(std::string(host) + " is not a host that runs an MTA");
  std::vector<http::queued_message> out;
  for (const auto& id : q->ids()) {
    const mta::queue_file* f = q->find(id);
    if (!f) continue;
    http::queued_message m{f->queue_id, f->reverse_path, f->message.size(), f->arrival, {}};
    for (const auto& r : f->recipients)
      m.recipients.push_back({r.address, state_name(r.status), r.attempts, r.last_reply, r.next_attempt});
    out.push_back(std::move(m));
  }
  return out;
}

// Events older than the kept ones are gone: a reader from before them
// starts at the oldest kept.
http::trace_page world_http::trace(std::uint64_t since, std::size_t limit) const {
  http::trace_page page;
  page.next = since;
  if (lines_.empty()) return page;
  std::uint64_t first = lines_.front().seq;
  std::size_t at = since <= first ? 0 : static_cast<std::size_t>(std::min<std::uint64_t>(since - first, lines_.size()));
  for (; at < lines_.size() && page.events.size() < limit; ++at) page.events.push_back(lines_[at]);
  if (!page.events.empty()) page.next = page.events.back().seq + 1;
  return page;
}

std::unique_ptr<http::subscription> world_http::watch_trace(std::function<void()> on_event) {
  std::uint64_t id = next_watcher_++;
  watchers_.emplace(id, std::move(on_event));
  return std::make_unique<watch>(*this, id);
}

}  // namespace sim::cli
