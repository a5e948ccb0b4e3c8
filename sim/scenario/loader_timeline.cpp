// sim/scenario/loader_timeline.cpp - the `timeline` array: one action per
// entry, run in order of `at`, ties in file order.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

#include "sim/message/text.hpp"
#include "sim/scenario/loader_parts.hpp"

namespace sim::scenario::detail {
namespace {

const std::vector<std::string_view> action_keys{"send", "fault", "heal", "crash", "restart", "fetch", "dns", "campaign"};

std::string list(const std::vector<std::string_view>& items) {
  std::string out;
  for (auto item : items) out += (out.empty() ? "" : ", ") + std::string(item);
  return out;
}

// RFC 5322 section 3.6.8: printable US-ASCII except ':'.
bool is_field_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c > 32 && c < 127 && c != ':'; });
}

const host& mta_ref(const node& n, const scenario& s) {
  const host& h = host_ref(n, s);
  if (!h.is_mta())
    n.fail(fmt::format("{} runs no MTA (it has none of local_domains, relay_domains, submission, mynetworks, smarthost)",
                       quote(h.name)));
  return h;
}

// RFC 3461 section 4.1: NEVER alone, or any of SUCCESS, FAILURE, DELAY.
std::vector<std::string> read_notify(const node& n) {
  std::vector<std::string> out;
  for (const auto& item : n.as_array()) {
    std::string word = item.as_string();
    std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (word != "NEVER" && word != "SUCCESS" && word != "FAILURE" && word != "DELAY")
      item.fail(fmt::format("{} is not a NOTIFY keyword (\"NEVER\", \"SUCCESS\", \"FAILURE\", \"DELAY\")", quote(word)));
    if (std::find(out.begin(), out.end(), word) != out.end()) item.fail(fmt::format("{} is given twice", quote(word)));
    out.push_back(std::move(word));
  }
  if (out.empty()) n.fail("NOTIFY needs \"NEVER\" or at least one of \"SUCCESS\", \"FAILURE\", \"DELAY\"");
  if (out.size() > 1 && std::find(out.begin(), out.end(), "NEVER") != out.end())
    n.fail("\"NEVER\" cannot be combined with other keywords (RFC 3461 section 4.1)");
  return out;
}

// RFC 3461 section 4.4: ENVID is printable US-ASCII, at most 100 characters.
std::string read_envid(const node& n) {
  std::string id = n.as_string();
  if (id.empty() || id.size() > 100) n.fail("an ENVID has 1 to 100 characters (RFC 3461 section 4.4)");
  if (!std::all_of(id.begin(), id.end(), [](char c) { return c >= 32 && c < 127; }))
    n.fail("an ENVID is printable US-ASCII (RFC 3461 section 4.4)");
  return id;
}

// One address for every recipient, or recipient -> address (RFC 3461 4.2).
std::vector<std::pair<std::string, std::string>> read_orcpt(const node& n, const send_action& a) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!n.value().is_object()) {
    std::string original = n.as_address();
    for (const auto& r : a.recipients()) out.emplace_back(r, original);
    return out;
  }
  auto recipients = a.recipients();
  for (const auto& entry : n.value().items()) {
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one.
    const std::string& key = entry.key();
    node item(n.file(), entry.value(), n.pointer() + "/" + pointer_token(key));
    auto rcpt = std::find_if(recipients.begin(), recipients.end(),
                             [&](const std::string& r) { return message::iequals(r, key); });
    if (rcpt == recipients.end()) item.fail(fmt::format("{} is not a recipient of this message", quote(key)));
    out.emplace_back(*rcpt, item.as_address());
  }
  return out;
}

send_action read_send(const node& n, const scenario& s) {
  auto r = n.as_object({"from", "to", "cc", "bcc", "subject", "body", "headers", "size", "eicar", "via", "port",
                        "client", "id", "notify", "ret", "envid", "orcpt"});
  send_action a;
  a.from = r.at("from").as_address(true);
  a.to = r.at("to").as_address_array();
  if (a.to.empty()) r.at("to").fail("a message needs at least one recipient");
  if (auto v = r.find("cc")) a.cc = v->as_address_array();
  if (auto v = r.find("bcc")) a.bcc = v->as_address_array();
  if (auto v = r.find("subject")) a.subject = v->as_string();
  if (auto v = r.find("body")) a.body = v->as_string();
  if (auto v = r.find("headers")) {
    if (!v->value().is_object()) v->fail(fmt::format("expected an object (field name -> value), got {}", json_type_name(v->value())));
    for (const auto& [name, value] : v->value().items()) {
      node field(n.file(), value, v->pointer() + "/" + pointer_token(name));
      if (!is_field_name(name)) field.fail(fmt::format("{} is not a header field name (RFC 5322 3.6.8)", quote(name)));
      std::string text = field.as_string();
      if (text.find_first_of("\r\n") != std::string::npos) field.fail("a header value cannot hold a line break");
      // A field named here replaces the composed one of the same name, so
      // one name (in any case) may only be given once.
      for (const auto& [given, ignored] : a.headers)
        if (message::iequals(given, name)) field.fail(fmt::format("{} is already given as {}", quote(name), quote(given)));
      a.headers.emplace_back(name, text);
    }
  }
  if (auto v = r.find("size")) {
    a.size = v->as_size();
    if (*a.size > send_action::max_size)
      v->fail(fmt::format("{} octets is over the limit of {} (100MB) for a generated message", *a.size,
                          send_action::max_size));
  }
  if (auto v = r.find("eicar")) a.eicar = v->as_bool();
  // An external host (a real MTA under `mailsim world`) takes submissions too.
  if (auto v = r.find("via")) a.via = host_ref(*v, s).external ? host_ref(*v, s).name : mta_ref(*v, s).name;
  if (auto v = r.find("port")) a.port = static_cast<std::uint16_t>(v->as_uint(1, 65535));
  if (auto v = r.find("client")) a.client = simulated_host_ref(*v, s).name;
  if (auto v = r.find("id")) {
    a.id = v->as_string();
    if (a.id->empty()) v->fail("a message id cannot be empty");
  }
  if (auto v = r.find("notify")) a.notify = read_notify(*v);
  if (auto v = r.find("ret")) a.ret = read_choice<std::string>(*v, "RET value", {{"FULL", "FULL"}, {"HDRS", "HDRS"}});
  if (auto v = r.find("envid")) a.envid = read_envid(*v);
  if (auto v = r.find("orcpt")) a.orcpt = read_orcpt(*v, a);
  if (a.from.empty() && !a.via) r.at("from").fail("a message from the null reverse path needs \"via\"");
  return a;
}

dns_fault read_dns_fault(const node& n) {
  auto r = n.as_object({"dns", "type", "rcode"});
  dns_fault f;
  f.name = r.at("dns").as_domain();
  if (auto v = r.find("type")) {
    try {
      f.type = dns::parse_type(v->as_string());
    } catch (const dns::parse_error& e) {
      v->fail(e.what());
    }
  }
  auto rcode = r.at("rcode");
  auto text = rcode.as_string();
  if (text == "SERVFAIL") f.rcode = dns::rcode::servfail;
  else if (text == "NXDOMAIN") f.rcode = dns::rcode::nxdomain;
  else if (text == "timeout") f.rcode = dns::rcode::timeout;
  else rcode.fail(fmt::format("{} is not a DNS fault (\"SERVFAIL\", \"NXDOMAIN\" or \"timeout\")", quote(text)));
  f.as_written = n.value();
  return f;
}

heal_action read_heal(const node& n, const scenario& s) {
  auto r = n.as_object({"host", "dns"});
  if (r.has("host") == r.has("dns")) n.fail("expected exactly one of \"host\" and \"dns\"");
  heal_action a;
  a.as_written = n.value();
  if (auto v = r.find("host")) {
    a.name = simulated_host_ref(*v, s).name;
  } else {
    a.on = heal_action::target::dns;
    a.name = r.at("dns").as_domain();
  }
  return a;
}

// "protocol": "imap" reads over IMAP from a host with "imap": true, from
// "folder" (INBOX by default), and leaves the mail there unless "delete".
void read_fetch_protocol(const object_reader& r, const scenario& s, fetch_action& a) {
  if (auto v = r.find("protocol")) {
    a.protocol = v->as_string();
    if (a.protocol != "pop3" && a.protocol != "imap") v->fail("expected \"pop3\" or \"imap\"");
    if (a.protocol == "imap" && !s.find_host(a.from)->imap)
      v->fail(fmt::format("{} does not offer IMAP (give it \"imap\": true)", a.from));
  }
  a.delete_messages = a.protocol == "pop3";
  if (auto v = r.find("folder")) {
    if (a.protocol != "imap") v->fail("\"folder\" needs \"protocol\": \"imap\" (POP3 reads INBOX only)");
    a.folder = v->as_string();
    if (a.folder.empty()) v->fail("expected a folder name");
  }
  if (auto v = r.find("move_to")) {
    if (a.protocol != "imap") v->fail("\"move_to\" needs \"protocol\": \"imap\" (POP3 has no folders)");
    a.move_to = v->as_string();
    if (a.move_to.empty() || a.move_to == a.folder) v->fail("expected a folder name other than the one read");
    if (auto d = r.find("delete"); d && d->as_bool()) d->fail("a fetch either deletes or moves (\"move_to\")");
  }
}

fetch_action read_fetch(const node& n, const scenario& s) {
  auto r = n.as_object({"user", "password", "from", "delete", "id", "client", "protocol", "folder", "move_to", "tls"});
  fetch_action a;
  auto user = r.at("user");
  a.user = mailbox_ref(user, s);
  if (auto v = r.find("password")) a.password = v->as_string();
  if (auto v = r.find("from")) {
    const host& h = host_ref(*v, s);
    if (!h.find_mailbox(a.user)) v->fail(fmt::format("{} has no mailbox {}", h.name, quote(a.user)));
    a.from = h.name;
  } else {
    auto holders = s.mailbox_hosts(a.user);
    if (holders.size() > 1)
      user.fail(fmt::format("{} is a mailbox on {} and {}: say which with \"from\"", quote(a.user), holders[0]->name,
                            holders[1]->name));
    a.from = holders.front()->name;
  }
  if (s.find_host(a.from)->find_mailbox(a.user)->implicit)
    user.fail(fmt::format("{} is the implicit postmaster mailbox of {}: list it in its mailboxes to fetch from it",
                          quote(a.user), a.from));
  read_fetch_protocol(r, s, a);
  if (auto v = r.find("delete")) a.delete_messages = v->as_bool();
  if (auto v = r.find("id")) a.id = v->as_string();
  if (auto v = r.find("client")) a.client = simulated_host_ref(*v, s).name;
  // The reader's TLS policy, in smtp_tls_security_level's words; "none" (in
  // the clear, as a fetch always was) by default.
  if (auto v = r.find("tls")) a.tls = read_tls_level(*v);
  return a;
}

dns_change read_dns_change(const node& n) {
  auto r = n.as_object({"add", "remove"});
  if (!r.has("add") && !r.has("remove")) n.fail("expected \"add\" or \"remove\" (or both)");
  dns_change c;
  if (auto v = r.find("add"))
    for (const auto& item : v->as_array()) c.add.push_back(read_record(item));
  if (auto v = r.find("remove"))
    for (const auto& item : v->as_array()) c.remove.push_back(read_record(item));
  return c;
}


action read_action(const std::string& key, const node& v, const scenario& s, const std::filesystem::path& base_dir) {
  if (key == "send") return read_send(v, s);
  if (key == "campaign") return read_campaign(v, s, base_dir);
  if (key == "fault") {
    bool on_host = v.value().is_object() && v.value().contains("host");
    bool on_dns = v.value().is_object() && v.value().contains("dns");
    if (on_host && on_dns) v.fail("expected one of \"host\" (a host fault) and \"dns\" (a DNS fault), not both");
    if (on_dns) return read_dns_fault(v);
    if (!on_host && v.value().is_object() && !v.value().contains("kind"))
      v.fail("expected \"host\" (a host fault) or \"dns\" (a DNS fault)");
    return read_host_fault(v, s);
  }
  if (key == "heal") return read_heal(v, s);
  if (key == "crash") return crash_action{mta_ref(v, s).name};
  if (key == "restart") return restart_action{mta_ref(v, s).name};
  if (key == "fetch") return read_fetch(v, s);
  return read_dns_change(v);
}

// Ids name messages and fetches for `expect`; each must be unique.
void check_ids(const std::vector<timeline_entry>& entries, const std::vector<node>& items) {
  std::map<std::string, std::size_t> seen;
  for (const auto& e : entries) {
    const std::optional<std::string>* id = nullptr;
    if (auto* send = std::get_if<send_action>(&e.what)) id = &send->id;
    if (auto* fetch = std::get_if<fetch_action>(&e.what)) id = &fetch->id;
    std::optional<std::string> campaign_id;  // a campaign's messages carry its id
    if (auto* c = std::get_if<campaign_action>(&e.what)) id = &(campaign_id = c->id);
    if (!id || !id->has_value()) continue;
    auto [it, inserted] = seen.emplace(**id, e.index);
    if (!inserted)
      items[e.index].fail(fmt::format("id {} is already used by /timeline/{}", quote(**id), it->second));
  }
}

// In time order: a host is crashed before it restarts, and not twice.
void check_crashes(const std::vector<timeline_entry>& entries, const std::vector<node>& items) {
  std::set<std::string> down;
  for (const auto& e : entries) {
    if (auto* c = std::get_if<crash_action>(&e.what)) {
      if (!down.insert(c->host).second) items[e.index].fail(fmt::format("{} has already crashed", c->host));
    } else if (auto* r = std::get_if<restart_action>(&e.what)) {
      if (!down.erase(r->host)) items[e.index].fail(fmt::format("{} is not crashed at that time", r->host));
    }
  }
}

}  // namespace

action read_one_action(const std::string& key, const node& v, const scenario& s, const std::filesystem::path& base_dir) {
  if (std::find(action_keys.begin(), action_keys.end(), key) == action_keys.end())
    v.fail(fmt::format("{} is not a timeline action (expected one of {})", quote(key), list(action_keys)));
  return read_action(key, v, s, base_dir);
}

std::vector<timeline_entry> read_timeline(const node& n, const scenario& s, const std::filesystem::path& base_dir) {
  std::vector<std::string_view> known = action_keys;
  known.insert(known.begin(), "at");
  sim::duration limit = s.until.value_or(scenario::max_run);
  auto items = n.as_array();
  std::vector<timeline_entry> entries;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto r = items[i].as_object(known);
    auto at_node = r.at("at");
    sim::duration at = at_node.as_duration();
    if (at > limit)
      at_node.fail(fmt::format("{} is after the stop time ({})", quote(at_node.as_string()), sim::format_duration(limit)));
    std::vector<std::string> present;
    for (const auto& key : r.keys())
      if (key != "at") present.push_back(key);
    if (present.empty()) items[i].fail(fmt::format("no action: expected one of {}", list(action_keys)));
    if (present.size() > 1)
      items[i].fail(fmt::format("two actions ({} and {}): give each its own entry", quote(present[0]), quote(present[1])));
    entries.push_back({sim::time_point{at}, i, read_action(present[0], r.at(present[0]), s, base_dir)});
  }
  check_ids(entries, items);
  std::stable_sort(entries.begin(), entries.end(),
                   [](const timeline_entry& a, const timeline_entry& b) { return a.at < b.at; });
  check_crashes(entries, items);
  return entries;
}

}  // namespace sim::scenario::detail
