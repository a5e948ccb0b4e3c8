// sim/campaign/stats_view.cpp - metrics, JSON and the terminal table.
#include "sim/campaign/stats_view.hpp"

#include <fmt/format.h>

#include "sim/core/time.hpp"

namespace sim::campaign {
namespace {

struct count_metric {
  std::string_view name;
  std::uint64_t (*get)(const delivery_row&);
};

const std::vector<count_metric>& counts() {
  static const std::vector<count_metric> list{
      {"sent", [](const delivery_row& r) { return r.sent; }},
      {"delivered", [](const delivery_row& r) { return r.delivered(); }},
      {"inbox", [](const delivery_row& r) { return r.inbox; }},
      {"junk", [](const delivery_row& r) { return r.junk; }},
      {"deferred", [](const delivery_row& r) { return r.deferred; }},
      {"deferrals", [](const delivery_row& r) { return r.deferrals; }},
      {"queued", [](const delivery_row& r) { return r.queued; }},
      {"bounced", [](const delivery_row& r) { return r.bounced(); }},
      {"bounced_hard", [](const delivery_row& r) { return r.bounced_hard; }},
      {"bounced_soft", [](const delivery_row& r) { return r.bounced_soft; }},
      {"rejected", [](const delivery_row& r) { return r.rejected; }},
      {"retries", [](const delivery_row& r) { return r.retries; }},
      {"trap_hits", [](const delivery_row& r) { return r.trap_hits; }},
      {"opens", [](const delivery_row& r) { return r.opens; }},
      {"complaints", [](const delivery_row& r) { return r.complaints; }},
  };
  return list;
}

// Counts that have a ratio of sent.
constexpr std::string_view ratio_of[] = {"delivered", "inbox", "junk", "deferred", "queued",
                                         "bounced", "bounced_hard", "bounced_soft", "rejected"};

// Engagement's ratios are of delivered, not of sent: only a delivered copy
// can be opened, and mailbox providers measure complaints the same way.
constexpr std::pair<std::string_view, std::string_view> of_delivered[] = {{"open_ratio", "opens"},
                                                                          {"complaint_ratio", "complaints"}};

std::string short_time(std::int64_t ms) {
  if (ms < 1000) return fmt::format("{}ms", ms);
  if (ms < 60'000) return fmt::format("{:.1f}s", static_cast<double>(ms) / 1000.0);
  return sim::format_duration(sim::duration{ms / 1000 * 1000});
}

nlohmann::ordered_json row_json(const delivery_row& r) {
  nlohmann::ordered_json j;
  if (!r.domain.empty()) j["domain"] = r.domain;
  for (const auto& c : counts()) j[std::string(c.name)] = c.get(r);
  const auto& t = r.time_to_delivery;
  j["time_to_delivery_ms"] = {{"count", t.count}, {"p50", t.p50}, {"p90", t.p90}, {"p99", t.p99}, {"max", t.max}};
  j["bounce_reasons"] = nlohmann::ordered_json::array();
  for (const auto& b : r.bounce_reasons)
    j["bounce_reasons"].push_back({{"status", b.status}, {"count", b.count}, {"sample", b.sample}});
  return j;
}

// `engagement`: the opens and complaints columns after the others.
std::string table_line(std::string_view label, const delivery_row& r, bool engagement) {
  const auto& t = r.time_to_delivery;
  auto line = fmt::format("  {:<22} {:>7} {:>7} {:>5} {:>8} {:>6} {:>5} {:>5} {:>8} {:>7} {:>7} {:>7} {:>7} {:>7}", label,
                          r.sent, r.inbox, r.junk, r.deferred, r.queued, r.bounced_hard, r.bounced_soft, r.rejected,
                          r.retries, t.count ? short_time(t.p50) : "-", t.count ? short_time(t.p90) : "-",
                          t.count ? short_time(t.p99) : "-", t.count ? short_time(t.max) : "-");
  if (engagement) line += fmt::format(" {:>6} {:>10}", r.opens, r.complaints);
  return line;
}

}  // namespace

const std::vector<std::string_view>& metric_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const auto& c : counts()) out.push_back(c.name);
    for (auto name : {"delivered_ratio", "inbox_ratio", "junk_ratio", "deferred_ratio", "queued_ratio", "bounced_ratio",
                      "bounced_hard_ratio", "bounced_soft_ratio", "rejected_ratio", "time_to_delivery_p50_ms",
                      "time_to_delivery_p90_ms", "time_to_delivery_p99_ms", "time_to_delivery_max_ms"})
      out.push_back(name);
    for (const auto& [ratio, count] : of_delivered) out.push_back(ratio);
    return out;
  }();
  return names;
}

std::optional<double> metric(const delivery_row& row, std::string_view name) {
  for (const auto& c : counts())
    if (c.name == name) return static_cast<double>(c.get(row));
  for (auto base : ratio_of)
    if (name.size() == base.size() + 6 && name.starts_with(base) && name.ends_with("_ratio")) {
      auto n = *metric(row, base);
      return row.sent == 0 ? 0.0 : n / static_cast<double>(row.sent);
    }
  for (const auto& [ratio, count] : of_delivered)
    if (name == ratio) {
      auto n = *metric(row, count);
      return row.delivered() == 0 ? 0.0 : n / static_cast<double>(row.delivered());
    }
  const auto& t = row.time_to_delivery;
  if (name == "time_to_delivery_p50_ms") return static_cast<double>(t.p50);
  if (name == "time_to_delivery_p90_ms") return static_cast<double>(t.p90);
  if (name == "time_to_delivery_p99_ms") return static_cast<double>(t.p99);
  if (name == "time_to_delivery_max_ms") return static_cast<double>(t.max);
  return std::nullopt;
}

nlohmann::ordered_json to_json(const std::vector<campaign_result>& results) {
  nlohmann::ordered_json out;
  out["campaigns"] = nlohmann::ordered_json::array();
  for (const auto& c : results) {
    nlohmann::ordered_json j;
    j["id"] = c.id;
    j["total"] = row_json(c.total);
    j["domains"] = nlohmann::ordered_json::array();
    for (const auto& d : c.domains) j["domains"].push_back(row_json(d));
    j["listings"] = nlohmann::ordered_json::array();
    for (const auto& l : c.listings) {
      nlohmann::ordered_json item{{"zone", l.zone}, {"ip", l.ip}, {"from_ms", l.from}};
      item["to_ms"] = l.to ? nlohmann::ordered_json(*l.to) : nlohmann::ordered_json(nullptr);
      j["listings"].push_back(std::move(item));
    }
    j["reputation"] = nlohmann::ordered_json::array();
    for (const auto& p : c.reputation) {
      nlohmann::ordered_json item{{"host", p.host}, {"subject", p.subject}, {"key", p.key}, {"state", p.state},
                                  {"from_ms", p.from}};
      item["to_ms"] = p.to ? nlohmann::ordered_json(*p.to) : nlohmann::ordered_json(nullptr);
      j["reputation"].push_back(std::move(item));
    }
    out["campaigns"].push_back(std::move(j));
  }
  return out;
}

std::vector<std::string> table(const std::vector<campaign_result>& results, std::size_t reasons) {
  std::vector<std::string> out;
  for (const auto& c : results) {
    const auto& t = c.total;
    auto heading = fmt::format("campaign {}: {} sent, {} delivered ({} inbox, {} junk), {} bounced ({} hard, {} soft), "
                               "{} rejected, {} still queued",
                               c.id, t.sent, t.delivered(), t.inbox, t.junk, t.bounced(), t.bounced_hard,
                               t.bounced_soft, t.rejected, t.queued);
    if (c.engagement) heading += fmt::format("; {} opened, {} complaints", t.opens, t.complaints);
    out.push_back(std::move(heading));
    auto columns = fmt::format("  {:<22} {:>7} {:>7} {:>5} {:>8} {:>6} {:>5} {:>5} {:>8} {:>7} {:>7} {:>7} {:>7} {:>7}",
                               "domain", "sent", "inbox", "junk", "deferred", "queued", "hard", "soft", "rejected",
                               "retries", "p50", "p90", "p99", "max");
    if (c.engagement) columns += fmt::format(" {:>6} {:>10}", "opens", "complaints");
    out.push_back(std::move(columns));
    for (const auto& d : c.domains) out.push_back(table_line(d.domain, d, c.engagement));
    out.push_back(table_line("(all)", t, c.engagement));
    for (std::size_t i = 0; i < t.bounce_reasons.size() && i < reasons; ++i) {
      const auto& b = t.bounce_reasons[i];
      out.push_back(fmt::format("  bounce {} x{}: {}", b.status.empty() ? "(no status)" : b.status, b.count, b.sample));
    }
    // Only when there were any (campaigns without traps print as before).
    if (t.trap_hits > 0) out.push_back(fmt::format("  spam traps hit: {}", t.trap_hits));
    for (const auto& l : c.listings)
      out.push_back(l.to ? fmt::format("  listed: {} on {} from {} to {} ({})", l.ip, l.zone,
                                       sim::format_offset(sim::at_millis(l.from)), sim::format_offset(sim::at_millis(*l.to)),
                                       short_time(*l.to - l.from))
                         : fmt::format("  listed: {} on {} from {} to the end of the run", l.ip, l.zone,
                                       sim::format_offset(sim::at_millis(l.from))));
    for (const auto& p : c.reputation) {
      const std::string who = fmt::format("{} {}", p.subject == "ip" ? "IP" : "domain", p.key);
      const std::string from = sim::format_offset(sim::at_millis(p.from));
      out.push_back(p.to ? fmt::format("  reputation at {}: {} {} from {} to {} ({})", p.host, who, p.state, from,
                                       sim::format_offset(sim::at_millis(*p.to)), short_time(*p.to - p.from))
                         : fmt::format("  reputation at {}: {} {} from {} to the end of the run", p.host, who, p.state,
                                       from));
    }
  }
  return out;
}

}  // namespace sim::campaign
