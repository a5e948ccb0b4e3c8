// sim/scenario/world_readers.cpp - the recipients' readers of a campaign
// with `engagement` (sim/campaign/engagement.hpp).
//
// Each recipient's decision is drawn with the list, in list order, from the
// run's seed ("engagement/<id>").  When the LDA files a campaign's copy in a
// recipient's INBOX (lda::on_filed) and that recipient opens it, its reader
// fetches it `after` later with the MUA (sim/mua): over IMAP, UID SEARCH by
// Message-ID, UID FETCH BODY[] (the server sets \Seen) and, for a complaint,
// UID MOVE into the \Junk special-use folder; over POP3, RETR of the
// maildrop, left on the server.  Mail filed in Junk is never opened: readers
// do not look there.  A reader's copies due by the time its session starts
// are read in that one session; one session per mailbox at a time.  The
// readers of a receiving domain run on one machine, readers.<domain>.
#include <algorithm>
#include <set>

#include "sim/core/ascii.hpp"
#include "sim/scenario/world_agents.hpp"

namespace sim::scenario {

namespace {

std::string reader_key(std::string_view host, std::string_view mailbox, campaign::reader_protocol p) {
  std::string key(host);
  key += '\n';
  key += ascii::to_lower(mailbox);
  key += p == campaign::reader_protocol::imap ? "\nimap" : "\npop3";
  return key;
}

}  // namespace

void world::draw_engagement(campaign_run& run) {
  const auto& e = *run.spec->engagement;
  ++engaged_campaigns_;
  auto stream = random_.stream("engagement/" + run.spec->id);
  auto below = [&stream](std::uint64_t n) { return stream.below(n); };
  run.decisions.reserve(run.recipients.size());
  for (std::size_t i = 0; i < run.recipients.size(); ++i) {
    const auto& r = run.recipients[i];
    run.decisions.push_back(campaign::decide(e, r.domain, below));
    run.by_address.emplace(ascii::to_lower(r.address), static_cast<std::uint32_t>(i));
  }
}

// readers.<domain> (readers.<domain>.client.invalid when a scenario host has
// that name), each with an address outside every mynetworks.
void world::add_reader_machines() {
  std::set<std::string_view> seen;
  for (const auto& run : campaign_runs_) {
    if (!run->spec->engagement) continue;
    for (const auto& r : run->recipients) {
      if (!seen.insert(r.domain).second) continue;
      // Only domains the world hosts: mail to others is never filed here.
      bool hosted = std::any_of(spec_.hosts.begin(), spec_.hosts.end(),
                                [&r](const host& h) { return h.is_mta() && h.is_local_domain(r.domain); });
      if (!hosted) continue;
      std::string name = "readers." + r.domain;
      if (spec_.find_host(name)) name += ".client.invalid";
      net_.add_host(name, pick_anonymous_ip());
      reader_machines_.emplace(r.domain, name);
    }
  }
}

void world::on_filed(const std::string& host, const lda::filed_copy& copy) {
  if (!copy.message_id || copy.folder != "INBOX") return;  // nobody looks in Junk
  auto m = engaged_messages_.find(*copy.message_id);
  if (m == engaged_messages_.end()) return;
  const campaign_run& run = *m->second;
  auto i = run.by_address.find(ascii::to_lower(copy.mailbox));
  if (i == run.by_address.end()) return;
  const campaign::reader_decision& d = run.decisions[i->second];
  if (!d.opens) return;
  auto machine = reader_machines_.find(run.recipients[i->second].domain);
  if (machine == reader_machines_.end()) return;
  auto protocol = run.spec->engagement->protocol;
  auto& slot = readers_[reader_key(host, copy.mailbox, protocol)];
  if (!slot) {
    slot = std::make_unique<reader>();
    slot->host = host;
    slot->mailbox = copy.mailbox;
    slot->machine = machine->second;
    slot->protocol = protocol;
  }
  slot->pending.push_back({clock_.now() + d.after, {*copy.message_id, run.spec->id, d.complains}});
  if (!slot->busy) arm_reader(*slot);
}

// A timer for the earliest copy due (kept when an earlier one is set).
void world::arm_reader(reader& r) {
  if (r.pending.empty()) return;
  auto earliest = std::min_element(r.pending.begin(), r.pending.end(),
                                   [](const reader::due& a, const reader::due& b) { return a.at < b.at; })->at;
  if (r.timer) {
    if (r.timer_at <= earliest) return;
    clock_.cancel(*r.timer);
  }
  r.timer_at = std::max(earliest, clock_.now());
  r.timer = clock_.call_at(r.timer_at, [this, &r] { start_reading(r); });
}

void world::start_reading(reader& r) {
  r.timer.reset();
  mua::fetch_request req;
  req.user = r.mailbox;
  req.password = password_of(r.mailbox);
  req.delete_messages = false;  // a POP3 reader leaves the mail on the server
  bool imap = r.protocol == campaign::reader_protocol::imap;
  req.protocol = imap ? "imap" : "pop3";
  req.port = imap ? mta::imap_port : mta::pop3_port;
  req.client_host = r.machine;
  req.server_host = r.host;
  req.server_ip = net_.ip_of(r.host).value_or("");
  auto now = clock_.now();
  auto due = std::stable_partition(r.pending.begin(), r.pending.end(), [now](const reader::due& d) { return d.at <= now; });
  for (auto it = r.pending.begin(); it != due; ++it) req.read.push_back(std::move(it->what));
  r.pending.erase(r.pending.begin(), due);
  r.busy = true;
  tasks_.spawn([](world& w, reader& rd, mua::fetch_request q) -> asio::awaitable<void> {
    co_await w.mua_.fetch(q);
    w.reader_done(rd);
  }(*this, r, std::move(req)));
}

void world::reader_done(reader& r) {
  r.busy = false;
  if (!r.pending.empty()) return arm_reader(r);
  readers_.erase(reader_key(r.host, r.mailbox, r.protocol));
}

void world::stop_readers() {
  for (auto& [key, r] : readers_)
    if (r->timer) clock_.cancel(*r->timer), r->timer.reset();
}

}  // namespace sim::scenario
