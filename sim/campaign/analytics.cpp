// sim/campaign/analytics.cpp - counting what became of each recipient.
#include "sim/campaign/analytics.hpp"

#include <algorithm>
#include <cctype>

#include "sim/core/ascii.hpp"

namespace sim::campaign {
namespace {

std::string queue_key(std::string_view host, std::string_view queue_id) {
  std::string key(host);
  key += '\n';
  key += queue_id;
  return key;
}

std::string_view domain_of(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view() : address.substr(at + 1);
}

// Nearest rank (the smallest value with at least q of them at or below it).
std::int64_t percentile(const std::vector<std::int64_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<std::size_t>(q * static_cast<double>(sorted.size()) + 0.999999999);
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

analytics::analytics(std::vector<std::string> campaign_ids) {
  for (auto& id : campaign_ids) campaigns_.push_back({std::move(id), false, {}, {}});
}

void analytics::set_engagement(std::string_view campaign_id) {
  for (auto& c : campaigns_)
    if (c.id == campaign_id) c.engagement = true;
}

bool analytics::wants(std::string_view name) {
  return name == "mua.compose" || name == "mua.reject" || name == "lda.deliver" || name == "queue.enqueue" ||
         name == "queue.attempt" || name == "queue.defer" || name == "queue.bounce" || name == "queue.remove" ||
         name == "spamtrap.hit" || name == "dnsbl.list" || name == "dnsbl.delist" || name == "mua.open" ||
         name == "mua.complaint" || name == "reputation.change";
}

std::uint32_t analytics::domain_index(std::string_view domain) {
  auto [it, fresh] = domain_ids_.emplace(ascii::to_lower(domain), static_cast<std::uint32_t>(domains_.size()));
  if (fresh) domains_.push_back(it->first);
  return it->second;
}

analytics::rcpt* analytics::find(std::size_t campaign, std::string_view address) {
  auto& rcpts = campaigns_[campaign].rcpts;
  auto it = rcpts.find(ascii::to_lower(address));
  return it == rcpts.end() ? nullptr : &it->second;
}

void analytics::on_compose(const event_view& e, std::size_t campaign) {
  message& m = messages_[std::string(e.get("message_id").string())];
  m.campaign = campaign;
  auto to = e.get("to");
  for (std::size_t i = 0; i < to.size(); ++i) {
    std::string address = ascii::to_lower(to[i].string());
    m.rcpts.push_back(address);
    rcpt r;
    r.domain = domain_index(domain_of(address));
    r.written = e.t();
    campaigns_[campaign].figures[r.domain];
    campaigns_[campaign].rcpts.emplace(std::move(address), r);
  }
}

// mua.reject names the recipient refused, or "connect" / "session" when
// the whole message was: then every recipient of it still pending.
void analytics::on_reject(const event_view& e) {
  auto it = messages_.find(std::string(e.get("message_id").string()));
  if (it == messages_.end()) return;
  auto what = e.get("what").string();
  auto reject = [&](std::string_view address) {
    if (rcpt* r = find(it->second.campaign, address); r && r->where == state::pending) r->where = state::rejected;
  };
  if (what.find('@') != std::string_view::npos) reject(what);
  else
    for (const auto& address : it->second.rcpts) reject(address);
}

void analytics::on_queue(const event_view& e) {
  auto name = e.name();
  std::string key = queue_key(e.host(), e.get("queue_id").string());
  if (name == "queue.enqueue") {
    auto it = messages_.find(std::string(e.get("message_id").string()));
    if (it == messages_.end()) return;
    queued_[key] = it->second.campaign;
    // Queued: the submission took it, so no whole-message refusal follows.
    it->second.rcpts = {};
    return;
  }
  auto q = queued_.find(key);
  if (q == queued_.end()) return;
  if (name == "queue.remove") {
    queued_.erase(q);
    return;
  }
  tracked& c = campaigns_[q->second];
  rcpt* r = find(q->second, e.get("rcpt").string());
  if (!r) return;
  domain_figures& f = c.figures[r->domain];
  if (name == "queue.attempt") {
    if (e.get("attempt").integer() > 1) ++f.retries;
  } else if (name == "queue.defer") {
    ++f.deferrals;
    r->deferred = true;
  } else if (name == "queue.bounce" && r->where == state::pending) {
    r->where = state::bounced;
    std::string status(e.get("status").string());
    auto& reason = f.reasons[status];
    if (reason.count++ == 0) reason = {status, 1, std::string(e.get("reason").string())};
  }
}

void analytics::on_deliver(const event_view& e) {
  auto it = messages_.find(std::string(e.get("message_id").string()));
  if (it == messages_.end()) return;
  rcpt* r = find(it->second.campaign, e.get("mailbox").string());
  if (!r || r->where != state::pending) return;
  r->where = state::delivered;
  // The LDA names the folder when it is not INBOX (sim/lda/filing.hpp).
  r->junk = ascii::to_lower(e.get("folder").string()) == "junk";
  campaigns_[it->second.campaign].figures[r->domain].latencies.push_back(e.t() - r->written);
}

// A trap that took a campaign's mail; a listing begins or ends.
void analytics::on_blocklist(const event_view& e) {
  auto name = e.name();
  if (name == "spamtrap.hit") {
    for (std::size_t i = 0; i < campaigns_.size(); ++i)
      if (rcpt* r = find(i, e.get("rcpt").string())) ++campaigns_[i].figures[r->domain].trap_hits;
    return;
  }
  std::string zone(e.get("zone").string()), ip(e.get("ip").string());
  if (name == "dnsbl.list") {
    listings_.push_back({zone, ip, e.t(), std::nullopt});
    return;
  }
  for (auto& l : listings_)
    if (l.zone == zone && l.ip == ip && !l.to) l.to = e.t();
}

// A reader opened a copy, or reported it as spam: once per recipient.
void analytics::on_reading(const event_view& e) {
  auto it = messages_.find(std::string(e.get("message_id").string()));
  if (it == messages_.end()) return;
  rcpt* r = find(it->second.campaign, e.get("user").string());
  if (!r) return;
  if (e.name() == "mua.open") r->opened = true;
  else r->complained = true;
}

// A sender's state at a receiving host changes: the open period ends, and
// a new one begins unless the sender is back to accept.
void analytics::on_reputation(const event_view& e) {
  std::string_view host = e.host(), subject = e.get("subject").string(), key = e.get("key").string();
  for (auto& p : reputation_)
    if (!p.to && p.host == host && p.subject == subject && p.key == key) p.to = e.t();
  std::string to(e.get("to").string());
  if (to != "accept")
    reputation_.push_back({std::string(host), std::string(subject), std::string(key), std::move(to), e.t(), std::nullopt});
}

void analytics::observe(const event_view& e) {
  auto name = e.name();
  if (name == "mua.compose") {
    auto tag = e.get("message").string();
    for (std::size_t i = 0; i < campaigns_.size(); ++i)
      if (campaigns_[i].id == tag) on_compose(e, i);
  } else if (name == "mua.reject") {
    on_reject(e);
  } else if (name == "lda.deliver") {
    on_deliver(e);
  } else if (name.starts_with("queue.")) {
    on_queue(e);
  } else if (name == "spamtrap.hit" || name.starts_with("dnsbl.")) {
    on_blocklist(e);
  } else if (name == "mua.open" || name == "mua.complaint") {
    on_reading(e);
  } else if (name == "reputation.change") {
    on_reputation(e);
  }
}

}  // namespace sim::campaign

namespace sim::campaign {

void analytics::count(const rcpt& r, delivery_row& out) {
  ++out.sent;
  if (r.deferred) ++out.deferred;
  if (r.opened) ++out.opens;
  if (r.complained) ++out.complaints;
  switch (r.where) {
    case state::pending: ++out.queued; break;
    case state::delivered:
      ++(r.junk ? out.junk : out.inbox);
      if (r.deferred) ++(r.junk ? out.deferred_junk : out.deferred_inbox);
      break;
    case state::rejected: ++out.rejected; break;
    case state::bounced: break;  // counted by status below
  }
}

// `counted`: the recipients' counts (count()) of the row's domain, or of
// every domain for the campaign's row.
delivery_row analytics::row(const tracked& c, std::optional<std::uint32_t> domain, delivery_row counted) const {
  delivery_row out = std::move(counted);
  out.domain = domain ? domains_[*domain] : "";
  std::vector<std::int64_t> latencies;
  std::map<std::string, bounce_reason> reasons;
  for (const auto& [index, f] : c.figures) {
    if (domain && index != *domain) continue;
    out.deferrals += f.deferrals;
    out.retries += f.retries;
    out.trap_hits += f.trap_hits;
    latencies.insert(latencies.end(), f.latencies.begin(), f.latencies.end());
    for (const auto& [status, reason] : f.reasons) {
      auto& sum = reasons[status];
      if (sum.count == 0) sum = reason;
      else sum.count += reason.count;
      (status.starts_with("5") ? out.bounced_hard : out.bounced_soft) += reason.count;
    }
  }
  std::sort(latencies.begin(), latencies.end());
  out.time_to_delivery = {latencies.size(), percentile(latencies, 0.50), percentile(latencies, 0.90),
                          percentile(latencies, 0.99), latencies.empty() ? 0 : latencies.back(), {}};
  if (!latencies.empty())
    for (int i = 0; i <= 20; ++i) out.time_to_delivery.quantiles.push_back(percentile(latencies, i / 20.0));
  for (auto& [status, reason] : reasons) out.bounce_reasons.push_back(std::move(reason));
  std::stable_sort(out.bounce_reasons.begin(), out.bounce_reasons.end(),
                   [](const bounce_reason& a, const bounce_reason& b) { return a.count > b.count; });
  return out;
}

std::vector<campaign_result> analytics::results() const {
  std::vector<campaign_result> out;
  for (const auto& c : campaigns_) {
    // One pass over the recipients for every row.
    delivery_row all;
    std::vector<delivery_row> by_domain(domains_.size());
    for (const auto& [address, r] : c.rcpts) {
      count(r, all);
      count(r, by_domain[r.domain]);
    }
    campaign_result r{c.id, row(c, std::nullopt, std::move(all)), {}, listings_, c.engagement, reputation_};
    for (const auto& [index, f] : c.figures) r.domains.push_back(row(c, index, std::move(by_domain[index])));
    std::sort(r.domains.begin(), r.domains.end(),
              [](const delivery_row& a, const delivery_row& b) { return a.domain < b.domain; });
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace sim::campaign
