// sim/scenario/world.cpp - building a scenario's world and starting it.
#include "sim/scenario/world_agents.hpp"

#include "fake_dns/reverse.hpp"
#include "sim/auth/dkim_key.hpp"
#include "sim/auth/keygen.hpp"
#include "sim/imap/server_session.hpp"
#include "sim/pop3/server_session.hpp"
#include "sim/storage/memory_store.hpp"

namespace sim::scenario {

namespace {

mta::mta_config mta_config_of(const host& h, const std::vector<mta::dkim_signer>& signers) {
  mta::mta_config c;
  c.host = h.name;
  c.ip = h.ip;
  c.local_domains = h.local_domains;
  c.relay_domains = h.relay_domains;
  c.mynetworks = h.mynetworks;
  c.submission = h.submission;
  c.tls = h.tls;
  c.tls_level = h.tls_level;
  c.offer_dsn = h.dsn;
  c.smarthost = h.smarthost;
  c.mta_profile = mta::find_profile(h.profile);
  c.policy.dnsbl = h.policy.dnsbl;
  c.policy.dnsbl_scored = h.policy.dnsbl_listed == dnsbl_action::score;
  c.policy.access = h.policy.access;
  c.policy.spam = h.policy.spam;
  c.policy.reputation = h.policy.reputation;
  c.policy.spf = h.policy.spf == spf_mode::reject ? policy::spf_mode::reject
               : h.policy.spf == spf_mode::tag ? policy::spf_mode::tag : policy::spf_mode::off;
  if (h.policy.greylist) c.policy.greylist = mta::greylist_config{h.policy.greylist->delay, h.policy.greylist->reply};
  c.policy.whitelist = h.policy.whitelist;
  c.policy.rate_limits = h.policy.rate_limits;
  c.policy.antivirus = h.policy.antivirus;
  c.policy.max_message_size = h.policy.max_message_size;
  c.auth.dkim = h.policy.dkim == dkim_mode::verify ? mta::dkim_mode::verify : mta::dkim_mode::off;
  c.auth.dmarc = h.policy.dmarc == dmarc_mode::enforce ? mta::dmarc_mode::enforce
               : h.policy.dmarc == dmarc_mode::report  ? mta::dmarc_mode::report : mta::dmarc_mode::off;
  c.auth.dmarc_reject_text = h.policy.dmarc_reject_text;
  c.auth.subject_prefix = h.rewrite.subject_prefix;
  c.auth.footer = h.rewrite.footer;
  c.queue = h.queue;
  c.delivery = h.limits.delivery;
  c.limits = {h.limits.connect_timeout, h.limits.command_timeout, h.limits.data_timeout, h.limits.max_recipients,
              h.limits.max_hops, h.limits.hard_error_limit, h.limits.soft_error_limit, h.limits.error_sleep,
              h.limits.junk_command_limit};
  if (!h.postmaster.empty()) c.postmaster = h.postmaster;
  c.auth.signers = signers;
  return c;
}

// A store operation cut short by its host's crash: that host died, which
// is the scenario's doing, not a bug.
bool died_with_host(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const storage::store_error& err) {
    return err.code() == storage::make_error_code(storage::store_errc::crashed);
  } catch (...) {
    return false;
  }
}

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

}  // namespace

world_options retention_for(const scenario& s, bool mailboxes_read_after) {
  world_options o;
  // Fetches and a campaign's readers read the mail back.
  o.keep_mailboxes = mailboxes_read_after || std::any_of(s.timeline.begin(), s.timeline.end(), [](const auto& entry) {
                       const auto* c = std::get_if<campaign_action>(&entry.what);
                       return std::holds_alternative<fetch_action>(entry.what) || (c && c->engagement);
                     });
  o.record_deliveries = o.record_sent = o.record_fetched = false;
  std::vector<std::string> to;
  bool every_delivery = false;
  auto deliveries = [&](const std::optional<std::string>& mailbox) {
    o.record_deliveries = true;
    if (mailbox) to.push_back(*mailbox);
    else every_delivery = true;
  };
  for (const auto& e : s.expect) {
    std::visit(overloaded{
                   [&](const expect_delivered& d) { deliveries(d.to), o.record_sent = true; },
                   [&](const expect_not_delivered& d) { deliveries(d.to), o.record_sent = true; },
                   [&](const expect_bounced& b) { deliveries(b.to), o.record_sent = true; },
                   [&](const expect_no_bounce& b) { deliveries(b.to); },
                   [&](const expect_fetched&) { o.record_fetched = true; },
                   [](const expect_deferred&) {},
                   [](const expect_rejected&) {},
                   [](const expect_trace&) {},
                   [](const expect_sequence&) {},
                   [](const expect_queue_empty&) {},
                   [](const expect_stats&) {},  // read from the campaign analytics
                   // A kind not listed here may read anything: keep it all.
                   [&](const auto&) { deliveries(std::nullopt), o.record_sent = o.record_fetched = true; },
               },
               e.what);
  }
  // --report shows every copy as filed, also those a fetch deletes later.
  if (mailboxes_read_after) o.record_deliveries = every_delivery = true;
  if (o.record_deliveries && !every_delivery) o.deliveries_to = std::move(to);
  return o;
}

void world::report_failure(std::exception_ptr e) {
  if (!failure_ && !died_with_host(e)) failure_ = e;
}

world::world(const scenario& s, sim::clock& clk, sim::trace& tr, std::uint64_t seed, store_factory stores,
             world_options options)
    : spec_(s),
      clock_(clk),
      trace_(tr),
      seed_(seed),
      random_(seed),
      stores_(std::move(stores)),
      resolver_(clk, tr, zones_),
      net_(clk, tr),
      mua_(clk, tr, net_),
      dnsbls_(s, clk, tr, zones_),
      tasks_(clk.executor(), [this](std::exception_ptr e) { report_failure(e); }),
      options_(std::move(options)) {
  if (!stores_)
    stores_ = [this](const std::string&, const std::string&) -> std::unique_ptr<storage::store> {
      return std::make_unique<storage::memory_store>(clock_);
    };
  add_dns();
  generate_campaigns();
  add_hosts();
}

world::~world() {
  for (auto id : timeline_timers_) clock_.cancel(id);
  stop_campaigns();
  stop_readers();
}

void world::add_dns() {
  // spec_.dns already holds the records of `dns_files` (the loader reads them).
  for (const auto& e : spec_.dns) zones_.add(e.record);
  // Every published host gets A/AAAA and PTR records, unless the scenario
  // lists records of that type for that name itself.
  for (const auto& h : spec_.hosts) {
    if (!h.publish) continue;
    for (auto& r : dns::auto_host_records(h.name, h.ip))
      if (!zones_.has(r.name, r.type) && !zones_.has(r.name, dns::rr_type::CNAME)) zones_.add(std::move(r));
  }
  add_dkim_keys();
}

// Each signer's public key at SELECTOR._domainkey.DOMAIN TXT (RFC 6376
// section 3.6.2.1), unless the scenario lists a TXT (or CNAME) record for
// that name itself: a wrong, revoked or malformed key is the scenario's to write.
void world::add_dkim_keys() {
  for (const auto& h : spec_.hosts) {
    for (const auto& config : h.dkim) {
      std::string error;
      auto key = auth::signer_key(config, seed_, error);
      // The loader read every PEM already; a derived key always exists.
      if (!key) throw std::runtime_error(h.name + ": DKIM key for " + config.domain + ": " + error);
      auto shared = std::make_shared<const auth::private_key>(std::move(*key));
      signers_[h.name].push_back({config, shared});
      dns::record r;
      r.name = dns::canonical_name(auth::key_query_name(config.selector, config.domain));
      r.type = dns::rr_type::TXT;
      // RFC 1035 section 3.3.14: character-strings of at most 255 octets.
      const std::string text = shared->dns_record();
      for (std::size_t at = 0; at < text.size(); at += 255) r.strings.push_back(text.substr(at, 255));
      if (!zones_.has(r.name, r.type) && !zones_.has(r.name, dns::rr_type::CNAME)) zones_.add(std::move(r));
    }
  }
}

std::string world::pick_anonymous_ip() const {
  auto free = [&](const std::string& ip) {
    auto addr = dns::parse_ip(ip);
    if (net_.host_by_ip(ip)) return false;
    for (const auto& h : spec_.hosts)
      for (const auto& c : h.mynetworks)
        if (policy::contains(c, *addr)) return false;
    return true;
  };
  for (int i = 200; i < 255; ++i)
    if (auto ip = "203.0.113." + std::to_string(i); free(ip)) return ip;
  for (int i = 1; i < 200; ++i)
    if (auto ip = "203.0.113." + std::to_string(i); free(ip)) return ip;
  return "2001:db8:ffff::1";
}

void world::add_hosts() {
  for (const auto& h : spec_.hosts) {
    net_.add_host(h.name, h.ip);
    if (h.external) net_.mark_outside(h.name);
  }
  anonymous_ip_ = pick_anonymous_ip();
  net_.add_host(anonymous_host_, anonymous_ip_);
  // The machines that fetch mail and are not scenario hosts, each with an
  // address of its own outside every `mynetworks`.
  for (const auto& entry : spec_.timeline)
    if (const auto* fetch = std::get_if<fetch_action>(&entry.what))
      if (auto name = fetching_client(spec_, *fetch); !net_.ip_of(name)) net_.add_host(name, pick_anonymous_ip());
  add_reader_machines();
  for (const auto& h : spec_.hosts) add_host(h);
}

void world::add_host(const host& h) {
  if (!h.is_mta()) return;
  auto agents = std::make_unique<host_agents>();
  agents->spec = &h;
  agents->tasks = std::make_unique<task_group>(clock_.executor(), [this](std::exception_ptr e) { report_failure(e); });
  agents->spool = stores_(h.name, "spool");
  agents->mail = stores_(h.name, "mail");
  if (!h.local_domains.empty()) {
    agents->boxes = std::make_unique<lda::mailbox_store>(*agents->mail);
    agents->boxes->keep_bodies(options_.keep_mailboxes);
    for (const auto& m : h.mailboxes) agents->boxes->add_mailbox(m.address, {m.password, m.quota, !m.implicit});
    add_campaign_mailboxes(h, *agents->boxes);
    agents->boxes->set_background(agents->tasks.get());
    agents->lda = std::make_unique<lda::lda>(h.name, *agents->boxes, clock_, trace_);
    agents->lda->set_junk_filing(h.policy.spam.has_value());
    agents->lda->set_reputation_filing(h.policy.reputation.has_value());
    for (const auto& m : h.mailboxes)
      if (!m.lists.empty()) agents->lda->set_lists(m.address, m.lists);
    if (options_.record_deliveries) agents->lda->on_deliver([this](lda::delivery_record d) { record_delivery(std::move(d)); });
    if (has_readers())
      agents->lda->on_filed([this, host = h.name](const lda::filed_copy& copy) { on_filed(host, copy); });
  }
  dns::resolver* resolver = &resolver_;
  if (h.dns_cache) {
    agents->resolver = std::make_unique<dns::caching_resolver>(resolver_, clock_, trace_);
    resolver = agents->resolver.get();
  }
  mta::services svc{clock_, trace_, net_, *resolver, random_, [this](std::exception_ptr e) { report_failure(e); }};
  svc.tls_accept = options_.tls_accept;
  mta::mta_config config = mta_config_of(h, signers_[h.name]);
  if (options_.tls_unavailable) config.tls = net::tls_mode::off;
  config.spamtraps = h.spamtraps;
  if (!h.spamtraps.empty())
    config.on_trap_hit = [this](const std::string& trap, const std::string& ip) { dnsbls_.report(trap, ip); };
  agents->mta = std::make_unique<mta::mta>(svc, std::move(config), *agents->spool, agents->lda.get());
  // A reader moving mail to Junk is a complaint to the host's reputation.
  if (agents->boxes && h.policy.reputation)
    agents->boxes->set_junk_report([m = agents->mta.get()](const std::string& address, std::string_view raw) {
      m->complaint(address, raw);
    });
  hosts_.emplace(h.name, std::move(agents));
}

void world::listen_pop3(host_agents& agents) {
  // Campaign readers log in to generated mailboxes the scenario does not list.
  if (!agents.boxes || (agents.spec->mailboxes.empty() && !has_readers())) return;
  auto* a = &agents;
  net_.listen(agents.spec->name, mta::pop3_port, [this, a](std::shared_ptr<net::stream> conn, const net::connection_info&) {
    serve_pop3(*a, std::move(conn), false);
  });
  if (!agents.spec->imap) return;
  net_.listen(agents.spec->name, mta::imap_port, [this, a](std::shared_ptr<net::stream> conn, const net::connection_info&) {
    serve_imap(*a, std::move(conn), false);
  });
}

// `trace_commands`: the client is not simulated (live mode), so the server
// traces its lines.
void world::serve_pop3(host_agents& agents, std::shared_ptr<net::stream> conn, bool trace_commands,
                       std::optional<net::tls_info> implicit_tls) {
  pop3::server_options opts;
  opts.host = agents.spec->name;
  opts.trace_commands = trace_commands;
  opts.limiter = &agents.logins;
  opts.tls = options_.tls_unavailable ? net::tls_mode::off : agents.spec->tls;
  opts.start_tls = tls_handshake(agents.spec->name, mta::pop3_port);
  opts.implicit_tls = std::move(implicit_tls);
  agents.tasks->spawn(pop3::server_session(std::move(conn), *agents.boxes, clock_, trace_, opts));
}

// The handshake of a host's STLS / STARTTLS: live mode's, else modelled
// as the SMTP server's is (mta::tls_accept): a `tls` fault with a handshake
// failure on the port fails it when the client's hello arrives.
std::function<asio::awaitable<std::optional<net::tls_info>>(std::shared_ptr<net::stream>&)> world::tls_handshake(
    const std::string& host, std::uint16_t port) const {
  auto live = options_.tls_accept;
  const net::network* net = &net_;
  sim::clock* clk = &clock_;
  return [live, host, port, net, clk](std::shared_ptr<net::stream>& conn) -> asio::awaitable<std::optional<net::tls_info>> {
    if (live) co_return co_await live(conn, host);
    if (net->tls_fault(host, port) == net::tls_problem::handshake) {
      co_await clk->sleep_for(net->latency() * 2);
      co_return std::nullopt;
    }
    co_return net::simulated_tls();
  };
}

// pop3s and imaps (RFC 8314): the handshake before the greeting.
void world::serve_implicit_tls(host_agents& agents, std::shared_ptr<net::stream> conn, bool imap) {
  agents.tasks->spawn(implicit_tls_session(agents, std::move(conn), imap));
}

// (A member coroutine, not a lambda: the coroutine outlives the call that starts it.)
asio::awaitable<void> world::implicit_tls_session(host_agents& agents, std::shared_ptr<net::stream> conn, bool imap) {
  auto agreed = co_await options_.tls_accept(conn, agents.spec->name);
  if (!agreed) {
    conn->reset();
    co_return;
  }
  // (Each session traces its own handshake.)
  if (imap) serve_imap(agents, std::move(conn), true, std::move(agreed));
  else serve_pop3(agents, std::move(conn), true, std::move(agreed));
}

// The store writes IMAP changes in the background; each OK waits for them.
// STARTTLS as for POP3's STLS: where the host offers TLS.
void world::serve_imap(host_agents& agents, std::shared_ptr<net::stream> conn, bool trace_commands,
                       std::optional<net::tls_info> implicit_tls) {
  imap::server_options opts;
  opts.host = agents.spec->name;
  opts.trace_commands = trace_commands;
  opts.tls = options_.tls_unavailable ? net::tls_mode::off : agents.spec->tls;
  opts.start_tls = tls_handshake(agents.spec->name, mta::imap_port);
  opts.implicit_tls = std::move(implicit_tls);
  lda::mailbox_store* boxes = agents.boxes.get();
  opts.sync = [boxes]() { return boxes->flush(); };
  agents.tasks->spawn(imap::server_session(std::move(conn), *agents.boxes, clock_, trace_, opts));
}

void world::start(bool recover) {
  trace_.emit("sim", "sim", "sim.start", {{"scenario", spec_.id}, {"seed", seed_}});
  for (auto& [name, agents] : hosts_) {
    if (!recover) {
      agents->mta->start();
      listen_pop3(*agents);
      continue;
    }
    tasks_.spawn([](world& w, host_agents& a, std::string host) -> asio::awaitable<void> {
      if (a.boxes) co_await a.boxes->recover();
      auto found = co_await a.mta->restart();
      w.listen_pop3(a);
      emit_restart(w.trace_, host, found);
    }(*this, *agents, name));
  }
  schedule_timeline();
}

void world::schedule_timeline() {
  for (const auto& entry : spec_.timeline)
    timeline_timers_.push_back(clock_.call_at(entry.at, [this, &entry] { perform(entry); }));
}

void world::record_delivery(lda::delivery_record d) {
  if (options_.deliveries_to || recorded_retention_)
    record_.delivery_count = record_.delivery_count.value_or(0) + 1;
  if (options_.deliveries_to) {
    const auto& to = *options_.deliveries_to;
    if (std::none_of(to.begin(), to.end(), [&](const std::string& a) { return same_address(a, d.mailbox); })) return;
  }
  record_.deliveries.push_back({std::move(d.host), std::move(d.mailbox), std::move(d.raw), clock_.now(), std::move(d.folder)});
  if (recorded_retention_) recorded_retention_->added(record_.deliveries);
}

void world::finish(const std::vector<expect_result>& results) {
  for (const auto& r : results)
    trace_.emit("sim", "sim", r.passed ? "expect.pass" : "expect.fail",
                {{"index", r.index}, {"kind", r.kind}, {"reason", r.reason}});
  trace_.emit("sim", "sim", "sim.end", {{"scenario", spec_.id}, {"seed", seed_}});
}

void world::stop() {
  for (auto id : timeline_timers_) clock_.cancel(id);
  timeline_timers_.clear();
  stop_campaigns();
  stop_readers();
  tasks_.cancel_all();
  for (auto& [name, agents] : hosts_) {
    agents->mta->crash();
    agents->tasks->cancel_all();
  }
}

outcome& world::collect() {
  for (const auto& [name, agents] : hosts_) record_.queue_sizes[name] = agents->mta->queue_size();
  return record_;
}

std::vector<service_port> world::services() const {
  std::vector<service_port> out;
  for (const auto& [name, agents] : hosts_) {
    out.push_back({name, "smtp", mta::smtp_port});
    if (agents->spec->submission) out.push_back({name, "submission", mta::submission_port});
    if (agents->boxes && !agents->spec->mailboxes.empty()) out.push_back({name, "pop3", mta::pop3_port});
    if (agents->boxes && !agents->spec->mailboxes.empty() && agents->spec->imap)
      out.push_back({name, "imap", mta::imap_port});
    // RFC 8314: implicit TLS submission, where the host offers TLS and live mode has certificates.
    bool tls = options_.tls_accept && agents->spec->tls != net::tls_mode::off;
    if (tls && agents->spec->submission) out.push_back({name, "smtps", mta::smtps_port});
    if (tls && agents->boxes && !agents->spec->mailboxes.empty()) out.push_back({name, "pop3s", mta::pop3s_port});
    if (tls && agents->boxes && !agents->spec->mailboxes.empty() && agents->spec->imap)
      out.push_back({name, "imaps", mta::imaps_port});
  }
  return out;
}

void world::accept_outside(const std::string& host, const std::string& service, std::shared_ptr<net::stream> conn,
                           const net::connection_info& info) {
  auto it = hosts_.find(host);
  if (it == hosts_.end()) {
    conn->reset();
    return;
  }
  host_agents& a = *it->second;
  if (service == "pop3" && a.boxes) {
    serve_pop3(a, std::move(conn), true);
    return;
  }
  if ((service == "pop3s" || service == "imaps") && a.boxes && options_.tls_accept) {
    serve_implicit_tls(a, std::move(conn), service == "imaps");
    return;
  }
  if (service == "imap" && a.boxes) {
    serve_imap(a, std::move(conn), true);
    return;
  }
  std::uint16_t port = service == "submission" ? mta::submission_port
                     : service == "smtps"      ? mta::smtps_port
                                               : mta::smtp_port;
  a.mta->serve(std::move(conn), info, port, true);
}

void world::retain_mailboxes(std::size_t per_mailbox) {
  // The record of deliveries (the report's, the expectations') keeps the
  // same bound; delivery_count still counts every one.
  if (!record_.delivery_count) record_.delivery_count = record_.deliveries.size();
  recorded_retention_.emplace(per_mailbox);
  for (auto& [name, agents] : hosts_) {
    if (!agents->boxes) continue;
    agents->boxes->set_retention(per_mailbox, [this, host = name, per_mailbox](const lda::dropped_message& d) {
      // Typed fields: one drop per delivery once a mailbox is full, so no
      // JSON object is built for it.  INBOX goes unnamed, as in lda.deliver.
      trace_.emit(host, "lda", "lda.drop",
                  {{"mailbox", d.address}, {"uid", d.uid}, {"size", d.size}, {"retain", per_mailbox},
                   {"dropped", d.dropped}, {"folder", d.folder != "INBOX" ? trace_value(d.folder) : trace_value()}});
    });
  }
}

std::vector<world::mailbox_view> world::mailboxes() const {
  std::vector<mailbox_view> out;
  for (const auto& [name, agents] : hosts_) {
    if (!agents->boxes) continue;
    for (const auto& address : agents->boxes->addresses()) {
      mailbox_view v{name, address, {}, {}, {}};
      for (const auto& folder : agents->boxes->folders(address)) {
        v.folder_names.push_back(folder.name);
        for (const auto& m : agents->boxes->folder_messages(address, folder.name)) {
          v.messages.push_back(m.raw);
          v.folders.push_back(folder.name);
        }
      }
      out.push_back(std::move(v));
    }
  }
  return out;
}

}  // namespace sim::scenario
