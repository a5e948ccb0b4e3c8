// sim/scenario/world_timeline.cpp - playing the timeline's actions in a world.
#include <algorithm>

#include "sim/message/text.hpp"
#include "sim/scenario/world_agents.hpp"
#include "sim/storage/memory_store.hpp"

namespace sim::scenario {

namespace {

template <class... F>
struct timeline_visitor : F... {
  using F::operator()...;
};
template <class... F>
timeline_visitor(F...) -> timeline_visitor<F...>;

}  // namespace

void world::perform(const timeline_entry& entry) { act_now(entry.what); }

void world::act_now(const action& what) {
  std::visit(timeline_visitor{
                 [&](const send_action& a) { perform_send(a); },
                 [&](const host_fault& f) { perform_fault(f); },
                 [&](const dns_fault& f) {
                   resolver_.faults().set(f.name, f.type, f.rcode);
                   trace_.emit("dns", "sim", "fault.on", f.as_written);
                 },
                 [&](const heal_action& a) { perform_heal(a); },
                 [&](const crash_action& a) { perform_crash(a.host); },
                 [&](const restart_action& a) { perform_restart(a.host); },
                 [&](const fetch_action& a) { perform_fetch(a); },
                 [&](const dns_change& c) { perform_dns(c); },
                 [&](const campaign_action& c) { perform_campaign(c); },
             },
             what);
}

std::pair<std::string, std::string> world::send_now(send_action a, const std::string& fallback_id) {
  if (!a.id) a.id = fallback_id;
  std::string message_id = perform_send(a);
  return {*a.id, message_id};
}

const std::vector<json>& world::faults_on(const std::string& host) const {
  static const std::vector<json> none;
  auto it = faults_in_force_.find(host);
  return it == faults_in_force_.end() ? none : it->second;
}

const mta::queue* world::queue_of(const std::string& host) const {
  auto it = hosts_.find(host);
  return it == hosts_.end() ? nullptr : &it->second->mta->queued();
}

lda::mailbox_store* world::mailboxes_of(const std::string& host) const {
  auto it = hosts_.find(host);
  return it == hosts_.end() ? nullptr : it->second->boxes.get();
}

std::string world::password_of(const std::string& address) const {
  for (const host* h : spec_.mailbox_hosts(address))
    if (const mailbox* m = h->find_mailbox(address); m && m->password) return *m->password;
  return "";
}

// The `via` default (scenario-format.md): the sender's submission host,
// else the best MX of the sender's domain.
std::pair<std::string, std::uint16_t> world::submission_target(const send_action& a, std::string& via) const {
  if (a.via) via = *a.via;
  else if (const host* h = spec_.submission_host_for(a.from)) via = h->name;
  else {
    auto mx = zones_.lookup(domain_of(a.from), dns::rr_type::MX);
    const dns::record* best = nullptr;
    for (const auto& r : mx.records)
      if (r.type == dns::rr_type::MX && (!best || r.preference < best->preference)) best = &r;
    via = best ? best->data : std::string(domain_of(a.from));
  }
  const host* h = spec_.find_host(via);
  std::uint16_t port = a.port.value_or(h && h->submission ? mta::submission_port : mta::smtp_port);
  return {net_.ip_of(via).value_or(""), port};
}

std::string world::perform_send(const send_action& a) {
  mua::submission s;
  s.message.from = a.from;
  s.message.to = a.to;
  s.message.cc = a.cc;
  s.message.bcc = a.bcc;
  s.message.subject = a.subject.value_or("");
  s.message.body = a.body;
  s.message.headers = a.headers;
  if (a.size) s.message.size = static_cast<std::size_t>(*a.size);
  s.message.eicar = a.eicar;
  s.tag = a.id.value_or("");
  s.sequence = ++sent_;
  s.scenario = spec_.id;
  s.message.message_id = message::make_message_id(s.sequence, s.scenario, a.from);
  s.client_host = a.client.value_or(anonymous_host_);
  auto [ip, port] = submission_target(a, s.via_host);
  s.via_ip = ip;
  s.port = port;
  if (port == mta::submission_port) s.password = password_of(a.from);
  if (a.ret) s.ret = *a.ret == "HDRS" ? smtp::dsn_ret::hdrs : smtp::dsn_ret::full;
  s.envid = a.envid;
  if (!a.notify.empty()) {
    smtp::dsn_notify n;
    for (const auto& word : a.notify) {
      n.never = n.never || word == "NEVER";
      n.success = n.success || word == "SUCCESS";
      n.failure = n.failure || word == "FAILURE";
      n.delay = n.delay || word == "DELAY";
    }
    s.notify = n;
  }
  s.orcpt = a.orcpt;
  if (options_.record_sent) record_.sent.push_back({s.tag, a.from, a.recipients(), s.message.message_id, clock_.now()});
  // A Message-ID given in `headers` replaces the composed one.
  std::string message_id = s.message.message_id;
  for (const auto& [name, value] : a.headers)
    if (message::iequals(name, "Message-ID")) message_id = value;
  tasks_.spawn([](mua::mua& agent, mua::submission sub) -> asio::awaitable<void> {
    co_await agent.submit(std::move(sub));
  }(mua_, std::move(s)));
  return message_id;
}

void world::perform_fetch(const fetch_action& a) {
  mua::fetch_request r;
  r.user = a.user;
  r.password = a.password.value_or(password_of(a.user));
  r.delete_messages = a.delete_messages;
  r.protocol = a.protocol;
  r.folder = a.folder;
  r.move_to = a.move_to;
  r.tls = a.tls;
  if (a.protocol == "imap") r.port = mta::imap_port;
  r.tag = a.id.value_or("");
  r.client_host = fetching_client(spec_, a);
  r.server_host = a.from;
  r.server_ip = net_.ip_of(a.from).value_or("");
  tasks_.spawn([](world& w, mua::fetch_request req) -> asio::awaitable<void> {
    auto result = co_await w.mua_.fetch(req);
    if (!w.options_.record_fetched) co_return;
    for (auto& m : result.messages) w.record_.fetched.push_back({req.user, std::move(m.content), w.clock_.now()});
  }(*this, std::move(r)));
}

void world::perform_fault(const host_fault& f) {
  trace_.emit(f.host, "sim", "fault.on", f.as_written);
  faults_in_force_[f.host].push_back(f.as_written);
  auto it = hosts_.find(f.host);
  host_agents* agents = it == hosts_.end() ? nullptr : it->second.get();
  using net::fault;
  switch (f.kind) {
    case fault_kind::refuse: net_.add_fault(f.host, fault{fault::kind::refuse, f.port, {}}); return;
    case fault_kind::timeout: net_.add_fault(f.host, fault{fault::kind::timeout, f.port, {}}); return;
    case fault_kind::tls: net_.add_fault(f.host, fault{fault::kind::tls, f.port, {}, f.problem}); return;
    case fault_kind::mailbox_full:
      if (agents && agents->lda) agents->lda->set_full(f.mailbox.value_or(""));
      return;
    default: break;
  }
  if (!agents) return;
  mta::phase_fault p;
  if (f.phase) p.phase = mta::parse_fault_phase(phase_name(*f.phase));
  p.match = f.match;
  p.times = f.times;
  if (f.kind == fault_kind::reset)
    p.what = f.after_reply ? mta::phase_fault::kind::reset_after_reply : mta::phase_fault::kind::reset;
  if (f.kind == fault_kind::slow) {
    p.what = mta::phase_fault::kind::slow;
    p.delay = f.delay.value_or(duration{0});
  }
  if (f.kind == fault_kind::reply)
    p.answer = smtp::reply(f.code.value_or(451), f.enhanced.value_or(""),
                           f.text.empty() ? std::vector<std::string>{"Injected fault"} : f.text);
  agents->mta->faults().add(std::move(p));
}

void world::perform_heal(const heal_action& a) {
  if (a.on == heal_action::target::dns) {
    resolver_.faults().clear_name(a.name);
    trace_.emit("dns", "sim", "fault.off", a.as_written);
    return;
  }
  net_.clear_faults(a.name);
  faults_in_force_.erase(a.name);
  if (auto it = hosts_.find(a.name); it != hosts_.end()) {
    it->second->mta->faults().clear();
    if (it->second->lda) it->second->lda->clear_faults();
  }
  trace_.emit(a.name, "sim", "fault.off", a.as_written);
}

void world::perform_crash(const std::string& host) {
  trace_.emit(host, "sim", "host.crash");
  net_.crash(host);
  auto it = hosts_.find(host);
  if (it == hosts_.end()) return;
  host_agents& a = *it->second;
  a.mta->crash();
  a.tasks->cancel_all();
  if (a.resolver) a.resolver->clear();  // the machine's resolver cache dies with it
  if (a.boxes) a.boxes->crash();
  for (auto* s : {a.spool.get(), a.mail.get()})
    if (auto* m = dynamic_cast<storage::memory_store*>(s)) m->crash();
}

void world::perform_restart(const std::string& host) {
  net_.restart(host);
  auto it = hosts_.find(host);
  if (it == hosts_.end()) {
    trace_.emit(host, "sim", "host.restart", {{"recovered", 0}});
    return;
  }
  tasks_.spawn([](world& w, host_agents& a, std::string name) -> asio::awaitable<void> {
    if (a.boxes) co_await a.boxes->recover();
    auto found = co_await a.mta->restart();
    w.listen_pop3(a);
    emit_restart(w.trace_, name, found);
  }(*this, *it->second, host));
}

void world::perform_dns(const dns_change& c) {
  std::vector<std::string_view> added, removed;
  for (const auto& e : c.add) {
    zones_.add(e.record);
    added.push_back(e.text);
  }
  for (const auto& e : c.remove) {
    zones_.remove(e.record);
    removed.push_back(e.text);
  }
  trace_.emit("dns", "sim", "dns.change", {{"add", added}, {"remove", removed}});
}

}  // namespace sim::scenario
