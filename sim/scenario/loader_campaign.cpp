// sim/scenario/loader_campaign.cpp - the timeline action `campaign`
// (sim/campaign/spec.hpp): its sender, message, recipients (listed, from a
// file relative to the scenario, or generated), pacing and batches.
#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "sim/campaign/personalize.hpp"
#include "sim/campaign/plan.hpp"
#include "sim/campaign/recipients_file.hpp"
#include "sim/scenario/loader_parts.hpp"

namespace sim::scenario::detail {
namespace {

using campaign::campaign_spec;

double read_fraction(const node& n, double high) {
  if (!n.value().is_number()) n.fail(fmt::format("expected a number, got {}", json_type_name(n.value())));
  double v = n.value().get<double>();
  if (v < 0) n.fail(fmt::format("{} is negative", n.value().dump()));
  if (v > high) n.fail(fmt::format("{} is over {}", n.value().dump(), high));
  return v;
}

std::vector<campaign::recipient> read_file(const node& n, const std::filesystem::path& base_dir, std::string& resolved) {
  auto written = n.as_string();
  auto path = (base_dir / written).lexically_normal();
  resolved = path.string();
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) n.fail(fmt::format("cannot read {}: {}", resolved, ec.message()));
  if (size > campaign::max_file_bytes)
    n.fail(fmt::format("{}: {} octets is over the limit of {} (64 MiB)", resolved, size, campaign::max_file_bytes));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) n.fail(fmt::format("cannot read {}", resolved));
  auto list = campaign::parse_recipients(text.str(), [](std::string_view a) -> std::optional<std::string> {
    if (!is_mailbox(a)) return std::nullopt;
    return canonical_address(a);
  });
  if (list.problem) n.fail(fmt::format("{} line {}: {}", resolved, list.problem->line, list.problem->what));
  if (list.recipients.empty()) n.fail(fmt::format("{} holds no recipient", resolved));
  return std::move(list.recipients);
}

campaign::generate_spec read_generate(const node& n, const scenario& s) {
  auto r = n.as_object({"count", "domains", "unknown", "full", "traps"});
  campaign::generate_spec g;
  g.count = r.at("count").as_uint(1, campaign_spec::max_recipients);
  auto domains = r.at("domains");
  if (!domains.value().is_object() || domains.value().empty())
    domains.fail("expected an object of receiving domains and their shares ({\"mail.example\": 0.6, ...})");
  double sum = 0;
  for (const auto& [domain, share] : domains.value().items()) {
    node d(n.file(), share, domains.pointer() + "/" + pointer_token(domain));
    double v = read_fraction(d, 1.0);
    if (v == 0) d.fail("a share must be above 0");
    std::string name = node(n.file(), json(domain), d.pointer()).as_domain();
    bool hosted = false;
    for (const auto& h : s.hosts) hosted = hosted || h.is_local_domain(name);
    if (!hosted) d.fail(fmt::format("no host has {} in its local_domains (it would receive the mailboxes)", quote(name)));
    sum += v;
    g.domains.emplace_back(name, v);
  }
  if (sum > 1.0 + 1e-9) domains.fail(fmt::format("the shares sum to {}, over 1", sum));
  if (auto v = r.find("unknown")) g.unknown = read_fraction(*v, 1.0);
  if (auto v = r.find("full")) g.full = read_fraction(*v, 1.0);
  if (g.unknown + g.full > 1.0 + 1e-9) r.at("full").fail("unknown and full together are over 1");
  if (auto v = r.find("traps")) {
    // N of the world's declared traps (host key `spamtraps`), in declaration order.
    std::vector<std::string> declared;
    for (const auto& h : s.hosts) declared.insert(declared.end(), h.spamtraps.begin(), h.spamtraps.end());
    auto n_traps = v->as_uint();
    if (n_traps > declared.size())
      v->fail(fmt::format("{} traps asked for, but the hosts declare {} (host key \"spamtraps\")", n_traps,
                          declared.size()));
    if (n_traps > g.count) v->fail(fmt::format("{} traps in a count of {}", n_traps, g.count));
    g.traps.assign(declared.begin(), declared.begin() + static_cast<std::ptrdiff_t>(n_traps));
  }
  return g;
}

void read_recipients(const object_reader& r, const scenario& s, const std::filesystem::path& base_dir,
                     campaign_spec& c) {
  int given = r.has("recipients") + r.has("recipients_file") + r.has("generate");
  if (given != 1) r.self().fail("expected exactly one of \"recipients\", \"recipients_file\" and \"generate\"");
  if (auto v = r.find("recipients")) {
    auto list = v->as_address_array();
    if (list.empty()) v->fail("a campaign needs at least one recipient");
    if (list.size() > campaign_spec::max_recipients)
      v->fail(fmt::format("more than {} recipients", campaign_spec::max_recipients));
    for (auto& a : list) c.recipients.push_back({std::move(a), ""});
  }
  if (auto v = r.find("recipients_file")) c.recipients = read_file(*v, base_dir, c.recipients_file);
  if (auto v = r.find("generate")) c.generate = read_generate(*v, s);
}

// A share for every domain, or {"domain": share, ..., "*": share}.
campaign::domain_shares read_shares(const node& n, const scenario& s) {
  campaign::domain_shares out;
  if (!n.value().is_object()) {
    out.fallback = read_fraction(n, 1.0);
    return out;
  }
  for (const auto& [key, share] : n.value().items()) {
    node d(n.file(), share, n.pointer() + "/" + pointer_token(key));
    double v = read_fraction(d, 1.0);
    if (key == "*") {
      out.fallback = v;
      continue;
    }
    std::string name = node(n.file(), json(key), d.pointer()).as_domain();
    bool hosted = false;
    for (const auto& h : s.hosts) hosted = hosted || h.is_local_domain(name);
    if (!hosted) d.fail(fmt::format("no host has {} in its local_domains (\"*\" is every other domain)", quote(name)));
    out.domains.emplace_back(name, v);
  }
  return out;
}

// The receiving domains of a campaign: generated ones, or those of its list.
std::vector<std::string> receiving_domains(const campaign_spec& c) {
  std::vector<std::string> out;
  auto add = [&out](std::string_view d) {
    if (std::find(out.begin(), out.end(), d) == out.end()) out.emplace_back(d);
  };
  if (c.generate)
    for (const auto& [domain, share] : c.generate->domains) add(domain);
  for (const auto& r : c.recipients) add(domain_of(r.address));
  return out;
}

// `engagement`: the recipients' readers (sim/campaign/engagement.hpp).
campaign::engagement_spec read_engagement(const node& n, const scenario& s, const campaign_spec& c) {
  auto r = n.as_object({"opens", "complaints", "protocol", "after"});
  campaign::engagement_spec e;
  e.opens = read_shares(r.at("opens"), s);
  if (auto v = r.find("complaints")) e.complaints = read_shares(*v, s);
  if (auto v = r.find("protocol")) {
    auto p = v->as_string();
    if (p != "imap" && p != "pop3") v->fail("expected \"imap\" or \"pop3\"");
    e.protocol = p == "pop3" ? campaign::reader_protocol::pop3 : campaign::reader_protocol::imap;
  }
  if (auto v = r.find("after")) {
    std::string error;
    auto range = campaign::parse_delay_range(v->as_string(), error);
    if (!range) v->fail(error);
    e.after_low = range->low;
    e.after_high = range->high;
  }
  bool may_complain = e.complaints.fallback > 0;
  for (const auto& [domain, share] : e.complaints.domains) may_complain = may_complain || share > 0;
  if (e.protocol == campaign::reader_protocol::pop3 && may_complain)
    r.at("complaints").fail("a POP3 reader cannot mark mail as spam (POP3 has no folders): use \"protocol\": \"imap\"");
  if (e.protocol != campaign::reader_protocol::imap) return e;
  // IMAP readers read where their mail is filed: that host must offer IMAP.
  for (const auto& domain : receiving_domains(c))
    for (const auto& h : s.hosts)
      if (h.is_mta() && h.is_local_domain(domain) && !h.imap) {
        const node& at = r.has("protocol") ? r.at("protocol") : n;
        at.fail(fmt::format("readers of {} fetch over IMAP from {}, which does not offer it (give it \"imap\": true, "
                            "or use \"protocol\": \"pop3\")",
                            domain, h.name));
      }
  return e;
}

}  // namespace

campaign::campaign_spec read_campaign(const node& n, const scenario& s, const std::filesystem::path& base_dir) {
  auto r = n.as_object({"id", "from", "via", "subject", "body", "template", "recipients", "recipients_file", "generate",
                        "rate", "batch", "engagement"});
  campaign_spec c;
  c.id = r.at("id").as_string();
  if (c.id.empty()) r.at("id").fail("a campaign id cannot be empty");
  c.from = r.at("from").as_address();
  if (auto v = r.find("via")) {
    const host& h = host_ref(*v, s);
    if (!h.is_mta()) v->fail(fmt::format("{} runs no MTA to submit to", quote(h.name)));
    c.via = h.name;
  }
  if (auto v = r.find("subject")) c.subject = v->as_string();
  if (r.has("body") && r.has("template")) n.fail("expected one of \"body\" and \"template\", not both");
  if (auto v = r.find("body")) c.body = v->as_string();
  if (auto v = r.find("template")) {
    c.body = v->as_string();
    c.is_template = true;
    if (auto e = campaign::template_error(c.body)) v->fail(*e);
    if (auto e = campaign::template_error(c.subject)) r.at("subject").fail(*e);
  }
  read_recipients(r, s, base_dir, c);
  if (auto v = r.find("rate")) {
    auto parsed = campaign::parse_rate(v->as_string());
    if (!parsed.value) v->fail(parsed.error);
    c.pace = parsed.value;
  }
  if (auto v = r.find("batch")) {
    c.batch = v->as_uint(1, 1000);
    if (c.is_template && c.batch > 1) v->fail("a template is filled per recipient: each message has one (batch 1)");
  }
  if (auto v = r.find("engagement")) c.engagement = read_engagement(*v, s, c);
  return c;
}

}  // namespace sim::scenario::detail
