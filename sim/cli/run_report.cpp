// sim/cli/run_report.cpp - the report's inputs from a scenario and its run; the report folder.
#include "sim/cli/run_report.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sim/message/maildir.hpp"
#include "sim/report/summary.hpp"

namespace sim::cli {
namespace {

using report::host_role;
using report::role_kind;

// One role line (out of line: GCC 12 warns wrongly about inlined short-string copies here).
[[gnu::noinline]] void add(std::vector<host_role>& out, role_kind kind, std::string text) {
  out.push_back(host_role{kind, std::move(text)});
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool has_mx(const scenario::scenario& s, const std::string& domain) {
  return std::any_of(s.dns.begin(), s.dns.end(),
                     [&](const scenario::dns_entry& e) { return e.record.type == dns::rr_type::MX && e.record.name == domain; });
}

// RFC 5321 5.1: the MX records naming this host, or the implicit MX of a
// domain without MX records that is the host's own name.
void exchanger_roles(const scenario::scenario& s, const scenario::host& h, std::vector<host_role>& out) {
  for (const auto& e : s.dns) {
    if (e.record.type != dns::rr_type::MX || e.record.data != h.name) continue;
    const std::string& domain = e.record.name;
    bool relays = !contains(h.local_domains, domain) && contains(h.relay_domains, domain);
    bool better = std::any_of(s.dns.begin(), s.dns.end(), [&](const scenario::dns_entry& o) {
      return o.record.type == dns::rr_type::MX && o.record.name == domain && o.record.preference < e.record.preference;
    });
    if (relays && better)  // RFC 5321 5.1: a worse-preference MX that keeps the mail for a better one
      add(out, role_kind::backup_mx, fmt::format("backup MX {} for {}", e.record.preference, domain));
    else
      add(out, role_kind::mx, fmt::format("MX {} for {}", e.record.preference, domain));
  }
  for (const auto& d : h.local_domains)
    if (d == h.name && !has_mx(s, d)) add(out, role_kind::mx, "implicit MX for " + d);
}

void relay_roles(const scenario::scenario& s, const scenario::host& h, std::vector<host_role>& out) {
  std::vector<std::string> relayed;
  for (const auto& d : h.relay_domains) {
    bool backup = std::any_of(out.begin(), out.end(),
                              [&](const host_role& r) { return r.kind == role_kind::backup_mx && r.text.ends_with(" for " + d); });
    if (!backup) relayed.push_back(d);
  }
  if (!relayed.empty()) add(out, role_kind::relay, "relays for " + fmt::format("{}", fmt::join(relayed, ", ")));
  std::vector<std::string> clients;
  for (const auto& other : s.hosts)
    if (other.smarthost && *other.smarthost == h.name) clients.push_back(other.name);
  if (!clients.empty()) add(out, role_kind::smarthost, "smarthost for " + fmt::format("{}", fmt::join(clients, ", ")));
  if (h.smarthost) add(out, role_kind::via_smarthost, "sends via " + *h.smarthost);
}

void policy_roles(const scenario::host& h, std::vector<host_role>& out) {
  for (const auto& zone : h.policy.dnsbl) add(out, role_kind::dnsbl, "checks DNSBL " + zone.zone);
  if (h.policy.spf != scenario::spf_mode::off)
    add(out, role_kind::policy, fmt::format("checks SPF ({})", scenario::spf_mode_name(h.policy.spf)));
  if (h.policy.greylist) add(out, role_kind::policy, "greylists new senders");
  if (h.policy.antivirus) add(out, role_kind::policy, "scans for viruses");
}

// The first few addresses by name (the automatic postmaster among them),
// then how many more: a map label stays short on a host with many users.
std::string mailbox_list(const scenario::host& h) {
  constexpr std::size_t shown = 4;
  std::string out;
  for (std::size_t i = 0; i < h.mailboxes.size() && i < shown; ++i)
    out += (i ? ", " : "") + h.mailboxes[i].address;
  if (h.mailboxes.size() > shown) out += fmt::format(" and {} more", h.mailboxes.size() - shown);
  return out;
}

// RFC 5782 2.1: a DNSBL lists an IPv4 address as its octets reversed under
// its zone.  The addresses the scenario's records list, per zone a host consults.
std::vector<std::string> dnsbl_roles(const scenario::scenario& s) {
  std::vector<std::string> zones, out;
  for (const auto& h : s.hosts)
    for (const auto& z : h.policy.dnsbl)
      if (!contains(zones, z.zone)) zones.push_back(z.zone);
  for (const auto& zone : zones) {
    std::vector<std::string> listed;
    for (const auto& e : s.dns) {
      const std::string& name = e.record.name;
      if (e.record.type != dns::rr_type::A || !name.ends_with("." + zone)) continue;
      std::string prefix = name.substr(0, name.size() - zone.size() - 1), ip;
      for (std::size_t end = prefix.size(); end != std::string::npos && end > 0;) {
        std::size_t dot = prefix.rfind('.', end - 1);
        std::size_t from = dot == std::string::npos ? 0 : dot + 1;
        if (!ip.empty()) ip += '.';
        ip.append(prefix, from, end - from);
        end = dot;
      }
      if (!contains(listed, ip)) listed.push_back(ip);
    }
    out.push_back("DNSBL operator: " + zone +
                  (listed.empty() ? " lists no address" : " lists " + fmt::format("{}", fmt::join(listed, ", "))));
  }
  return out;
}

// The mailboxes whose owner reads them on this machine (timeline `fetch`).
std::vector<std::string> readers_on(const scenario::scenario& s, const std::string& machine) {
  std::vector<std::string> users;
  for (const auto& entry : s.timeline)
    if (const auto* fetch = std::get_if<scenario::fetch_action>(&entry.what))
      if (scenario::fetching_client(s, *fetch) == machine && !contains(users, fetch->user)) users.push_back(fetch->user);
  return users;
}

void reader_role(const std::vector<std::string>& users, std::vector<host_role>& out) {
  if (!users.empty()) add(out, role_kind::client, "MUA of " + fmt::format("{}", fmt::join(users, ", ")));
}

}  // namespace

std::vector<host_role> host_roles(const scenario::scenario& s, const scenario::host& h) {
  std::vector<host_role> out;
  if (!h.is_mta()) add(out, role_kind::client, "MUA (client machine)");
  reader_role(readers_on(s, h.name), out);
  if (h.submission) add(out, role_kind::submission, "MSA: port 587 with AUTH");
  exchanger_roles(s, h, out);
  relay_roles(s, h, out);
  if (!h.mailboxes.empty()) {
    add(out, role_kind::lda, "LDA: " + mailbox_list(h) + (h.imap ? " (POP3 and IMAP on 143)" : ""));
  }
  policy_roles(h, out);
  return out;
}

report::scenario_summary report_scenario(const scenario::scenario& s, std::uint64_t seed) {
  report::scenario_summary out{s.id, s.title, s.description, seed, format_rfc3339(s.start), {}, {}, dnsbl_roles(s)};
  for (const auto& h : s.hosts) out.hosts.push_back({h.name, {h.ip}, host_roles(s, h)});
  // The machines named after a mailbox's owner that fetch it (the world
  // gives them an address when the run starts).
  for (const auto& entry : s.timeline) {
    const auto* fetch = std::get_if<scenario::fetch_action>(&entry.what);
    if (!fetch) continue;
    std::string machine = scenario::fetching_client(s, *fetch);
    bool listed = std::any_of(out.hosts.begin(), out.hosts.end(), [&](const report::host_summary& h) { return h.name == machine; });
    if (listed) continue;
    std::vector<host_role> roles;
    reader_role(readers_on(s, machine), roles);
    out.hosts.push_back({machine, {}, std::move(roles)});
  }
  for (const auto& d : s.dns) out.dns.push_back(d.text);
  return out;
}

std::vector<report::expectation_line> report_expectations(const std::vector<std::string>& lines) {
  std::vector<report::expectation_line> out;
  for (const auto& l : lines) out.push_back({l, l.starts_with("PASS")});
  return out;
}

// Maildir++: INBOX in the mailbox directory, every other folder (Junk,
// Sent, Trash, those an IMAP client made), even an empty one, beside it.
void write_maildirs(const std::filesystem::path& dir, const std::vector<scenario::world::mailbox_view>& boxes) {
  for (const auto& box : boxes) {
    std::vector<message::maildir_message> filed;
    for (std::size_t i = 0; i < box.messages.size(); ++i)
      filed.push_back({i < box.folders.size() ? box.folders[i] : "INBOX", box.messages[i]});
    message::write_maildir(dir, box.host, box.address, filed, box.folder_names);
  }
}

std::vector<report::filed_message> report_deliveries(const std::vector<scenario::delivery>& deliveries) {
  std::vector<report::filed_message> out;
  for (const auto& d : deliveries) out.push_back({d.host, d.mailbox, d.raw, millis(d.at), d.folder});
  return out;
}

report::report_input run_report_input(const scenario::scenario& s, std::uint64_t seed,
                                      const std::vector<std::string>& expectation_lines,
                                      std::vector<report::filed_message> delivered,
                                      std::vector<campaign::campaign_result> campaigns) {
  report::report_input input;
  input.scenario = report_scenario(s, seed);
  input.expectations = report_expectations(expectation_lines);
  input.summary = report::summary_line(expectation_lines);
  input.delivered = std::move(delivered);
  input.campaigns = std::move(campaigns);
  return input;
}

}  // namespace sim::cli
