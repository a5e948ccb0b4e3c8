// sim/scenario/loader_hosts.cpp - the `dns` records and the `hosts` object.
#include <algorithm>

#include <fmt/format.h>

#include "sim/message/text.hpp"
#include "sim/scenario/loader_parts.hpp"

namespace sim::scenario::detail {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + quote(item);
  return "[" + out + "]";
}

spf_mode read_spf(const node& n) {
  return read_choice<spf_mode>(n, "an SPF mode", {{"off", spf_mode::off}, {"tag", spf_mode::tag}, {"reject", spf_mode::reject}});
}

sim::duration positive_duration(const node& n) {
  auto d = n.as_duration();
  if (d <= sim::duration::zero()) n.fail("must be longer than 0s");
  return d;
}

// `code`, `enhanced` and `text` over a base reply (the profile's): a code
// within [low, high]; an enhanced code of the code's class (the base's is
// dropped when the code's class differs and none is given).
policy::reply_template read_reply_over(const object_reader& r, policy::reply_template base, int low, int high) {
  if (auto v = r.find("code")) {
    base.code = static_cast<int>(v->as_uint(static_cast<std::uint64_t>(low), static_cast<std::uint64_t>(high)));
    if (!base.enhanced.empty() && base.enhanced[0] - '0' != base.code / 100) base.enhanced.clear();
  }
  if (auto v = r.find("enhanced")) base.enhanced = read_enhanced(*v, base.code);
  if (auto v = r.find("text")) base.lines = read_reply_lines(*v);
  return base;
}

// A zone name, or {"zone", "code", "enhanced", "text"} with its own reply
// (as Postfix's rbl_reply_maps); the parts not given are the profile's.
policy::dnsbl_zone read_dnsbl_zone(const node& n, const mta::profile& profile) {
  if (!n.value().is_object()) return {n.as_domain(), std::nullopt};
  auto r = n.as_object({"zone", "code", "enhanced", "text"});
  policy::dnsbl_zone z{r.at("zone").as_domain(), std::nullopt};
  if (r.has("code") || r.has("enhanced") || r.has("text")) z.reply = read_reply_over(r, profile.dnsbl_reply(), 400, 599);
  return z;
}

// The format's greylisting reply (scenario-format.md), for hosts whose
// scenario names no profile.
policy::reply_template format_greylist_reply() {
  return {451, "4.7.1", {"Greylisted, see RFC 6647; try again in $seconds seconds"}};
}

// A delay ("5m"), or {"delay", "code", "enhanced", "text"}; a greylisting
// reply is temporary (RFC 6647 section 2.1), so its code is a 4xx.
greylist_policy read_greylist(const node& n, const mta::profile* profile) {
  greylist_policy g{std::chrono::minutes{5}, profile ? profile->greylist_reply() : format_greylist_reply()};
  if (!n.value().is_object()) {
    g.delay = n.as_duration();
    return g;
  }
  auto r = n.as_object({"delay", "code", "enhanced", "text"});
  if (auto v = r.find("delay")) g.delay = v->as_duration();
  g.reply = read_reply_over(r, g.reply, 400, 499);
  return g;
}

// One receiver rate limit: {"per", "messages", "connections", "window",
// "code", "enhanced", "text"}; a rate limit is temporary, so its code is a
// 4xx (Gmail 421 4.7.28, Outlook 451 4.7.500).
policy::rate_limit_settings read_rate_limit(const node& n) {
  auto r = n.as_object({"per", "messages", "connections", "window", "code", "enhanced", "text"});
  policy::rate_limit_settings s;
  if (auto v = r.find("per"))
    s.per = read_choice<policy::rate_key>(*v, "a rate limit key",
                                          {{"client_ip", policy::rate_key::client_ip},
                                           {"sender_domain", policy::rate_key::sender_domain}});
  s.reply = policy::rate_limit_settings::default_rate_reply(s.per);
  if (auto v = r.find("messages")) s.messages = v->as_uint(1, 100'000'000);
  if (auto v = r.find("connections")) {
    if (s.per != policy::rate_key::client_ip) v->fail("a connection limit counts per client IP (\"per\": \"client_ip\")");
    s.connections = v->as_uint(1, 100'000);
  }
  if (auto v = r.find("window")) s.window = positive_duration(*v);
  if (s.messages == 0 && s.connections == 0) n.fail("a rate limit needs \"messages\" or \"connections\"");
  s.reply = read_reply_over(r, s.reply, 400, 499);
  return s;
}

dnsbl_action read_dnsbl_action(const node& n) {
  auto text = n.as_string();
  if (text == "reject") return dnsbl_action::reject;
  if (text == "score") return dnsbl_action::score;
  n.fail(fmt::format("{} is not a DNSBL action (\"reject\" or \"score\")", quote(text)));
}

// `named`: the scenario named the profile (else the format's greylisting reply).
host_policy read_policy(const node& n, const mta::profile& profile, bool named) {
  auto r = n.as_object({"dnsbl", "dnsbl_action", "spf", "greylist", "whitelist", "allow", "block", "spam", "antivirus",
                        "max_message_size", "rate_limit", "dkim", "dmarc", "dmarc_reject_text", "reputation"});
  host_policy p;
  if (auto v = r.find("dnsbl"))
    for (const auto& item : v->as_array()) p.dnsbl.push_back(read_dnsbl_zone(item, profile));
  if (auto v = r.find("dnsbl_action")) p.dnsbl_listed = read_dnsbl_action(*v);
  p.access = read_access_lists(r);
  if (auto v = r.find("spam")) p.spam = read_spam(*v);
  // A listing that is only scored needs a filter to read it.
  if (p.dnsbl_listed == dnsbl_action::score && !p.spam)
    r.at("dnsbl_action").fail("\"score\" needs the content filter (\"spam\") to score the listing");
  if (auto v = r.find("spf")) p.spf = read_spf(*v);
  if (auto v = r.find("greylist")) p.greylist = read_greylist(*v, named ? &profile : nullptr);
  if (auto v = r.find("whitelist"))
    for (const auto& item : v->as_array()) p.whitelist.push_back(item.as_cidr());
  if (auto v = r.find("rate_limit")) {
    if (v->value().is_array())
      for (const auto& item : v->as_array()) p.rate_limits.push_back(read_rate_limit(item));
    else
      p.rate_limits.push_back(read_rate_limit(*v));
  }
  if (auto v = r.find("reputation")) p.reputation = read_reputation(*v);
  if (auto v = r.find("antivirus")) p.antivirus = v->as_bool();
  if (auto v = r.find("max_message_size")) {
    p.max_message_size = v->as_size();
    if (p.max_message_size == 0) v->fail("must be larger than 0");
  }
  if (auto v = r.find("dkim")) p.dkim = read_dkim_mode(*v);
  if (auto v = r.find("dmarc")) p.dmarc = read_dmarc_mode(*v);
  if (auto v = r.find("dmarc_reject_text")) p.dmarc_reject_text = read_reject_text(*v);
  return p;
}

// The profile's queue settings with the scenario's keys over them.
queue_policy read_queue(const node& n, queue_policy q) {
  auto r = n.as_object({"min_backoff", "max_backoff", "run_delay", "lifetime", "bounce_lifetime", "delay_warning"});
  if (auto v = r.find("min_backoff")) q.min_backoff = positive_duration(*v);
  if (auto v = r.find("max_backoff")) q.max_backoff = positive_duration(*v);
  if (auto v = r.find("run_delay")) q.run_delay = v->as_duration();
  if (auto v = r.find("lifetime")) q.lifetime = positive_duration(*v);
  if (auto v = r.find("bounce_lifetime")) q.bounce_lifetime = positive_duration(*v);
  if (auto v = r.find("delay_warning")) q.delay_warning = v->as_duration();
  if (q.max_backoff < q.min_backoff)
    n.fail(fmt::format("max_backoff ({}) is shorter than min_backoff ({})", sim::format_duration(q.max_backoff),
                       sim::format_duration(q.min_backoff)));
  return q;
}

// `dnsbl_zone`: a zone name, or {"zone", "threshold", "delay", "delist_after", "reason"}.
dnsbl_operator read_dnsbl_operator(const node& n) {
  dnsbl_operator d;
  if (!n.value().is_object()) {
    d.zone = n.as_domain();
    return d;
  }
  auto r = n.as_object({"zone", "threshold", "delay", "delist_after", "reason"});
  d.zone = r.at("zone").as_domain();
  if (auto v = r.find("threshold")) d.threshold = v->as_uint(1, 1'000'000);
  if (auto v = r.find("delay")) d.delay = v->as_duration();
  if (auto v = r.find("delist_after")) d.delist_after = positive_duration(*v);
  if (auto v = r.find("reason")) {
    d.reason = v->as_string();
    if (d.reason.empty() || d.reason.size() > 255) v->fail("must be 1 to 255 characters (one TXT string)");
  }
  return d;
}

// `spamtraps`: addresses in the host's local_domains; each becomes a
// mailbox of its own unless `mailboxes` lists it.
void read_spamtraps(const node& n, host& h) {
  for (const auto& item : n.as_array()) {
    std::string address = message::to_lower(item.as_address());
    if (!h.is_local_domain(domain_of(address)))
      item.fail(fmt::format("{} is not in the local_domains of {} ({})", quote(address), h.name, join(h.local_domains)));
    if (std::find(h.spamtraps.begin(), h.spamtraps.end(), address) != h.spamtraps.end())
      item.fail(fmt::format("{} is listed twice", quote(address)));
    h.spamtraps.push_back(address);
    if (!h.find_mailbox(address)) h.mailboxes.push_back({address, std::nullopt, std::nullopt, false, {}});
  }
}

// How the sending side treats each server (sim/mta/destinations.cpp):
// {"throttle_backoff", "connection_cache_time", "connection_reuse_limit",
// "concurrency"}; 0 of each = off / no limit.
mta::delivery_settings read_delivery(const node& n, mta::delivery_settings d) {
  auto r = n.as_object({"throttle_backoff", "connection_cache_time", "connection_reuse_limit", "concurrency"});
  if (auto v = r.find("throttle_backoff")) d.throttle_backoff = v->as_duration();
  if (auto v = r.find("connection_cache_time")) {
    d.connection_cache_time = v->as_duration();
    if (d.connection_cache_time > std::chrono::minutes{5}) v->fail("must be at most 5m (the server's command timeout)");
  }
  if (auto v = r.find("connection_reuse_limit")) d.connection_reuse_limit = v->as_uint(0, 1'000'000);
  if (auto v = r.find("concurrency")) d.concurrency = v->as_uint(0, 10'000);
  return d;
}

host_limits read_limits(const node& n, host_limits l) {
  auto r = n.as_object({"connect_timeout", "command_timeout", "data_timeout", "max_recipients", "max_hops",
                        "hard_error_limit", "soft_error_limit", "error_sleep", "junk_command_limit",
                        "mx_address_limit", "mx_session_limit", "tls_handshake_timeout"});
  if (auto v = r.find("connect_timeout")) l.connect_timeout = positive_duration(*v);
  if (auto v = r.find("command_timeout")) l.command_timeout = positive_duration(*v);
  if (auto v = r.find("data_timeout")) l.data_timeout = positive_duration(*v);
  if (auto v = r.find("max_recipients")) l.max_recipients = v->as_uint(1, 1'000'000);
  if (auto v = r.find("max_hops")) l.max_hops = v->as_uint(1, 1000);
  if (auto v = r.find("hard_error_limit")) l.hard_error_limit = static_cast<int>(v->as_uint(1, 1000));
  if (auto v = r.find("soft_error_limit")) l.soft_error_limit = static_cast<int>(v->as_uint(1, 1000));
  if (auto v = r.find("error_sleep")) l.error_sleep = v->as_duration();
  if (auto v = r.find("junk_command_limit")) l.junk_command_limit = static_cast<int>(v->as_uint(0, 1'000'000));
  // Postfix smtp_mx_address_limit / smtp_mx_session_limit; 0 = no limit.
  if (auto v = r.find("mx_address_limit")) l.delivery.mx_address_limit = v->as_uint(0, 1000);
  if (auto v = r.find("mx_session_limit")) l.delivery.mx_session_limit = v->as_uint(0, 1000);
  if (auto v = r.find("tls_handshake_timeout")) {
    l.tls_handshake_timeout = positive_duration(*v);
    if (l.tls_handshake_timeout > std::chrono::minutes{5}) v->fail("must be at most 5m");
  }
  if (l.soft_error_limit > l.hard_error_limit)
    n.fail(fmt::format("soft_error_limit ({}) is above hard_error_limit ({})", l.soft_error_limit, l.hard_error_limit));
  if (l.error_sleep > std::chrono::minutes{1}) r.at("error_sleep").fail("must be at most 1m");
  return l;
}

mailbox read_mailbox_settings(const node& n, std::string address) {
  mailbox m{std::move(address), std::nullopt, std::nullopt, false, {}};
  if (n.value().is_null()) return m;
  auto r = n.as_object({"password", "quota", "allow", "block"});
  if (auto v = r.find("password")) m.password = v->as_string();
  if (auto v = r.find("quota")) m.quota = v->as_size();
  m.lists = read_access_lists(r);
  return m;
}

// `mailboxes`: ["a@x", ...] or {"a@x": {"password", "quota"}, ...}.
std::vector<mailbox> read_mailboxes(const node& n, const host& h) {
  std::vector<std::pair<node, mailbox>> found;
  if (n.value().is_object()) {
    for (const auto& [key, value] : n.value().items()) {
      node item(n.file(), value, n.pointer() + "/" + pointer_token(key));
      const json key_value(key);  // the address is the key: read it as a value
      node name(n.file(), key_value, item.pointer());
      found.emplace_back(item, read_mailbox_settings(item, name.as_address()));
    }
  } else {
    for (const auto& item : n.as_array()) found.emplace_back(item, mailbox{item.as_address(), {}, {}, false, {}});
  }
  std::vector<mailbox> out;
  for (auto& [where, m] : found) {
    if (!h.is_local_domain(domain_of(m.address)))
      where.fail(fmt::format("{} is not in the local_domains of {} ({})", quote(m.address), h.name, join(h.local_domains)));
    // A named copy: clang 14 cannot capture a structured binding in a lambda.
    const std::string& address = m.address;
    if (h.find_mailbox(address) || std::any_of(out.begin(), out.end(), [&](const mailbox& o) {
          return same_address(o.address, address);
        }))
      where.fail(fmt::format("{} is listed twice", quote(m.address)));
    out.push_back(std::move(m));
  }
  return out;
}

const std::vector<std::string_view> host_keys{
    "ip",         "publish", "local_domains", "mailboxes", "relay_domains", "submission", "smarthost",
    "mynetworks", "policy",  "queue",         "limits",    "postmaster", "dkim", "rewrite",
    "imap",       "profile", "dns_cache", "external", "delivery", "spamtraps", "dnsbl_zone",
    "tls",        "smtp_tls_security_level", "dsn"};

// An external host is a real program with its own configuration: only its
// address and its DNS records belong in the scenario.
void check_external(const object_reader& r, const node& n) {
  for (const auto& [key, value] : n.value().items())
    if (key != "ip" && key != "publish" && key != "external")
      r.at(key).fail(fmt::format("an external host runs no agent of mailsim: {} belongs in its own configuration "
                                 "(an external host takes only ip, publish and external)",
                                 quote(key)));
}

// RFC 5321 section 4.5.1: mail to postmaster goes to the `postmaster`
// address, by default postmaster@ the first local domain.  When that is a
// local address the scenario does not list, the host gets it as a mailbox
// of its own (no password works on it: nobody logs in to it over POP3 or
// AUTH unless the scenario lists it with one).
void read_postmaster(const object_reader& r, host& h) {
  auto n = r.find("postmaster");
  if (n) h.postmaster = n->as_address();
  else if (!h.local_domains.empty()) h.postmaster = "postmaster@" + h.local_domains.front();
  if (h.postmaster.empty() || !h.is_local_domain(domain_of(h.postmaster)) || h.find_mailbox(h.postmaster)) return;
  auto at = h.postmaster.rfind('@');
  if (n && !message::iequals(h.postmaster.substr(0, at), "postmaster"))
    n->fail(fmt::format("{} is in the local_domains of {} but not one of its mailboxes", quote(h.postmaster), h.name));
  h.mailboxes.push_back({h.postmaster, std::nullopt, std::nullopt, true, {}});
}

host read_host(const node& n, std::string name, const scenario& defaults, const std::filesystem::path& base_dir) {
  auto r = n.as_object(host_keys);
  host h;
  h.name = std::move(name);
  h.profile = defaults.profile;
  if (auto v = r.find("profile")) h.profile = read_profile_name(*v);
  h.profile_named = defaults.profile_named || r.has("profile");
  const mta::profile& profile = *mta::find_profile(h.profile);
  h.dns_cache = defaults.dns_cache;
  if (auto v = r.find("dns_cache")) h.dns_cache = v->as_bool();
  h.address = r.at("ip").as_ip();
  h.ip = dns::format_ip(h.address);
  if (auto v = r.find("publish")) h.publish = v->as_bool();
  if (auto v = r.find("external")) h.external = v->as_bool();
  if (h.external) {
    check_external(r, n);
    return h;
  }
  if (auto v = r.find("local_domains")) h.local_domains = v->as_domain_array();
  if (auto v = r.find("relay_domains")) {
    h.relay_domains = v->as_domain_array();
    for (std::size_t i = 0; i < h.relay_domains.size(); ++i)
      if (h.is_local_domain(h.relay_domains[i]))
        v->as_array()[i].fail(fmt::format("{} is already in local_domains", quote(h.relay_domains[i])));
  }
  if (auto v = r.find("mailboxes")) h.mailboxes = read_mailboxes(*v, h);
  if (auto v = r.find("submission")) h.submission = v->as_bool();
  h.tls = defaults.tls;
  if (auto v = r.find("tls")) h.tls = read_tls_mode(*v);
  h.tls_level = defaults.tls_level;
  if (auto v = r.find("smtp_tls_security_level")) h.tls_level = read_tls_level(*v);
  if (auto v = r.find("dsn")) h.dsn = v->as_bool();
  if (auto v = r.find("imap")) {
    h.imap = v->as_bool();
    if (h.imap && h.local_domains.empty()) v->fail("a host offers IMAP for its mailboxes: it needs local_domains");
  }
  if (auto v = r.find("smarthost")) h.smarthost = v->as_domain();
  if (auto v = r.find("mynetworks"))
    for (const auto& item : v->as_array()) h.mynetworks.push_back(item.as_cidr());
  if (auto v = r.find("policy")) h.policy = read_policy(*v, profile, h.profile_named);
  h.queue = h.profile_named ? profile.queue_defaults() : mta::format_queue_defaults();
  if (auto v = r.find("queue")) h.queue = read_queue(*v, h.queue);
  h.limits.delivery = profile.delivery_defaults();
  // A host that names no profile sends DATA after the RCPT replies, as it
  // always has (RFC 2920 3.1 allows both), and reports a null MX with RFC
  // 7505's 5.1.10: its approved traces stand.
  if (!h.profile_named) {
    h.limits.delivery.pipeline_data = false;
    h.limits.delivery.null_mx_status = mta::delivery_settings{}.null_mx_status;
  }
  if (auto v = r.find("limits")) h.limits = read_limits(*v, h.limits);
  if (auto v = r.find("delivery")) h.limits.delivery = read_delivery(*v, h.limits.delivery);
  if (auto v = r.find("dkim")) read_dkim_signers(*v, base_dir, h);
  if (auto v = r.find("rewrite")) h.rewrite = read_rewrite(*v);
  if (auto v = r.find("spamtraps")) read_spamtraps(*v, h);
  if (auto v = r.find("dnsbl_zone")) h.dnsbl_zone = read_dnsbl_operator(*v);
  if (!h.dkim.empty() && !h.is_mta()) r.at("dkim").fail("this host runs no MTA (no local_domains, relay_domains, submission, mynetworks or smarthost), so it sends no mail to sign");
  if (h.rewrite.any() && !h.is_mta()) r.at("rewrite").fail("this host runs no MTA, so it passes no mail on");
  read_postmaster(r, h);
  return h;
}

// Checks that need every host: unique addresses, existing smarthosts.
void check_hosts(const node& n, const std::vector<host>& hosts) {
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    const host& h = hosts[i];
    object_reader r(node(n.file(), n.value().at(h.name), n.pointer() + "/" + pointer_token(h.name)), host_keys);
    for (std::size_t j = 0; j < i; ++j)
      if (hosts[j].address == h.address)
        r.at("ip").fail(fmt::format("{} is already the address of {}", quote(h.ip), hosts[j].name));
    if (!h.smarthost) continue;
    auto target = std::find_if(hosts.begin(), hosts.end(), [&](const host& o) { return o.name == *h.smarthost; });
    if (target == hosts.end()) r.at("smarthost").fail(fmt::format("no host named {}", quote(*h.smarthost)));
    if (target->name == h.name) r.at("smarthost").fail("a host cannot be its own smarthost");
  }
}

}  // namespace

dns_entry read_record(const node& n) {
  std::string text = n.as_string();
  try {
    return {dns::parse_record(text), text};
  } catch (const dns::parse_error& e) {
    n.fail(e.what());
  }
}

net::tls_mode read_tls_mode(const node& n) {
  std::string text = n.as_string();
  if (auto m = net::parse_tls_mode(text)) return *m;
  n.fail(fmt::format("{} is not a TLS mode (\"off\", \"offer\" or \"require\")", quote(text)));
}

net::tls_level read_tls_level(const node& n) {
  std::string text = n.as_string();
  if (auto l = net::parse_tls_level(text)) return *l;
  n.fail(fmt::format("{} is not a TLS security level (\"none\", \"may\", \"encrypt\" or \"verify\")", quote(text)));
}

std::string read_profile_name(const node& n) {
  std::string name = n.as_string();
  if (mta::find_profile(name)) return name;
  std::string known;
  for (auto p : mta::profile_names()) known += (known.empty() ? "" : ", ") + std::string(p);
  n.fail(fmt::format("{} is not an MTA profile ({})", quote(name), known));
}

std::vector<host> read_hosts(const node& n, const scenario& defaults, const std::filesystem::path& base_dir) {
  if (!n.value().is_object()) n.fail(fmt::format("expected an object (host name -> host), got {}", json_type_name(n.value())));
  if (n.value().empty()) n.fail("a scenario needs at least one host");
  std::vector<host> hosts;
  for (const auto& [key, value] : n.value().items()) {
    node item(n.file(), value, n.pointer() + "/" + pointer_token(key));
    if (!is_domain(key)) item.fail(fmt::format("{} is not a host name", quote(key)));
    if (std::any_of(key.begin(), key.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
      item.fail(fmt::format("{}: write host names in lower case", quote(key)));
    host h = read_host(item, key, defaults, base_dir);
    hosts.push_back(std::move(h));
  }
  check_hosts(n, hosts);
  std::sort(hosts.begin(), hosts.end(), [](const host& a, const host& b) { return a.name < b.name; });
  return hosts;
}

}  // namespace sim::scenario::detail
