// sim/report/narrate.cpp - plain words for trace events (trace-format.md).
#include "sim/report/narrate.hpp"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "sim/core/time.hpp"
#include "sim/report/dsn_words.hpp"
#include "sim/report/escape.hpp"

namespace sim::report {
namespace {

std::string str(const event_view& e, std::string_view key) { return e.get(key).text(); }

std::string angle(std::string_view address) {
  std::string out;
  out.reserve(address.size() + 2);
  out += '<';
  out += address;
  out += '>';
  return out;
}

bool is_list(const trace_value& v) {
  return v.type() == trace_value::kind::strings || v.type() == trace_value::kind::objects ||
         (v.as_json() && v.as_json()->is_array());
}

std::string item_text(const trace_value& v) { return v.is_string() ? std::string(v.string()) : v.json_text(); }

// One address or a list of them: "<a@x>, <b@y>".
std::string addresses(const event_view& e, std::string_view key) {
  trace_value v = e.get(key);
  if (v.absent() || v.type() == trace_value::kind::null) return "";
  if (v.is_string()) return angle(v.string());
  if (!is_list(v)) return angle(v.json_text());
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (out.empty() ? "" : ", ") + angle(item_text(v[i]));
  return out;
}

// The fields beyond the common ones, as "key=value" (strings unquoted).
std::string own_fields(const event_view& e) {
  std::string out;
  for (const auto& f : e.fields()) {
    if (f.value.absent()) continue;
    if (!out.empty()) out += ' ';
    out += f.key;
    out += '=';
    out += item_text(f.value);
  }
  return out;
}

// Every line of the reply as it was on the wire; a multiline reply keeps its
// "250-" continuation marks (RFC 5321 4.2.1) so a learner sees the real form.
std::string reply_text(const event_view& e) {
  trace_value lines = e.get("lines");
  if (is_list(lines) && lines.size() > 0) {
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) out += (out.empty() ? "" : " | ") + item_text(lines[i]);
    return out;
  }
  std::string line = str(e, "code");
  if (auto en = str(e, "enhanced"); !en.empty()) line += " " + en;
  if (auto t = str(e, "text"); !t.empty()) line += " " + t;
  return line;
}

std::string mx_select(const event_view& e) {
  trace_value candidates = e.get("candidates");
  bool implicit = e.get("implicit").boolean();
  std::string hosts;
  if (is_list(candidates)) {
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      trace_value c = candidates[i];
      std::string pref = implicit ? "" : fmt::format("{} ", c.field("preference").integer());
      hosts += fmt::format("{}{}{} [{}]", hosts.empty() ? "" : ", ", pref, c.field("host").string(),
                           c.field("ip").string());
    }
  }
  if (hosts.empty()) hosts = "no host to try";
  std::string domain = str(e, "domain");
  if (auto smarthost = str(e, "smarthost"); !smarthost.empty())
    return fmt::format("{} goes via smarthost {}: {}", domain, smarthost, hosts);
  if (implicit)
    return fmt::format("no MX for {}, so its own address is used (implicit MX, RFC 5321 5.1): {}", domain, hosts);
  return fmt::format("MX for {}, tried in this order: {}", domain, hosts);
}

// What an unusual DNS rcode means, for a learner.
const char* rcode_meaning(const std::string& rcode) {
  if (rcode == "NXDOMAIN") return " (no such name)";
  if (rcode == "SERVFAIL") return " (the DNS server failed; a temporary error)";
  if (rcode == "timeout") return " (no answer in time; a temporary error)";
  return "";
}

// "example.org. 300 IN MX 10 mx1.example.org." for question example.org MX
// shows as "10 mx1.example.org."; other owners and types stay visible.
std::string short_record(std::string_view record, const std::string& name, const std::string& type) {
  auto owner_end = record.find(' ');
  auto ttl_end = owner_end == std::string_view::npos ? owner_end : record.find(' ', owner_end + 1);
  if (ttl_end == std::string_view::npos || record.compare(ttl_end + 1, 3, "IN ") != 0) return std::string(record);
  std::string owner(record.substr(0, owner_end));
  std::string rest(record.substr(ttl_end + 4));
  bool same_owner = owner == name || owner == name + ".";
  if (same_owner && rest.starts_with(type + " ")) return rest.substr(type.size() + 1);
  return same_owner ? rest : owner + " " + rest;
}

std::string dns_answer(const event_view& e) {
  std::string name = str(e, "name"), type = str(e, "type"), rcode = str(e, "rcode");
  std::string head = fmt::format("DNS answer for {} {}: ", name, type);
  if (!rcode.empty() && rcode != "NOERROR") return head + rcode + rcode_meaning(rcode);
  trace_value recs = e.get("records");
  if (!is_list(recs) || recs.size() == 0) return head + "no records of that type (NODATA)";
  std::string out;
  for (std::size_t i = 0; i < recs.size(); ++i) {
    trace_value r = recs[i];
    out += (out.empty() ? "" : " | ") + (r.is_string() ? short_record(r.string(), name, type) : r.json_text());
  }
  return head + out;
}

std::string queue_defer(const event_view& e) {
  std::string retry;
  trace_value at_field = e.get("retry_at");
  if (at_field.is_integer()) {
    auto at = at_field.integer();
    auto wait = at - e.t();
    retry = "; next attempt at " + format_offset(at_millis(at));
    if (wait > 0) retry += " (in " + format_duration(duration{wait}) + ")";
  }
  return fmt::format("deferred {}: {}{}", angle(str(e, "rcpt")), str(e, "reason"), retry);
}

std::optional<std::string> describe_queue(const std::string& name, const event_view& e) {
  std::string rcpt = angle(str(e, "rcpt")), id = str(e, "queue_id");
  if (name == "queue.enqueue")
    return fmt::format("queued {} from {} to {} ({} bytes)", id, angle(str(e, "from")),
                       addresses(e, "rcpts"), str(e, "size"));
  if (name == "queue.attempt") return fmt::format("delivery attempt {} of {} to {}", str(e, "attempt"), id, rcpt);
  if (name == "queue.defer") return queue_defer(e);
  if (name == "queue.delivered") return fmt::format("delivered {} to {}", rcpt, str(e, "peer"));
  if (name == "queue.bounce")
    return fmt::format("gave up on {}{}: {} {}", rcpt, str(e, "expired") == "true" ? " (expired)" : "", str(e, "status"),
                       str(e, "reason"));
  if (name == "queue.warn") return fmt::format("delay warning sent about {}", rcpt);
  if (name == "queue.remove") return fmt::format("{} leaves the queue: nothing left to do", id);
  if (name == "queue.corrupt")
    return fmt::format("WARNING: damaged queue file {} ({}) moved to {}; its message is not delivered",
                       str(e, "file"), str(e, "reason"), str(e, "moved_to").empty() ? "nowhere (unreadable)" : str(e, "moved_to"));
  if (name == "bounce.create")
    return fmt::format("{} {} to {} about {} (original {})",
                       dsn_noun(str(e, "action")), id,
                       angle(str(e, "to")), addresses(e, "rcpts"), str(e, "original_queue_id"));
  if (name == "bounce.drop")
    return fmt::format("{} is itself a bounce: no DSN about {} ({})", id, addresses(e, "rcpts"), str(e, "reason"));
  return std::nullopt;
}

std::optional<std::string> describe_mail(const std::string& name, const event_view& e) {
  if (name == "mua.compose")
    return fmt::format("compose \"{}\" from {} to {} ({})", str(e, "subject"), angle(str(e, "from")),
                       addresses(e, "to"), str(e, "message_id"));
  if (name == "mua.submit") return fmt::format("submit to {} port {}", str(e, "via"), str(e, "port"));
  if (name == "mua.reject") return fmt::format("submission refused: {}", reply_text(e));
  if (name == "mua.fetch" && e.get("error").is_string())
    return fmt::format("fetch for {} failed after {} message(s): {}", str(e, "user"), str(e, "count"), str(e, "error"));
  if (name == "mua.fetch" && e.get("folder").is_string())
    return fmt::format("fetched {} message(s) for {} from {} over {}", str(e, "count"), str(e, "user"),
                       str(e, "folder"), str(e, "protocol"));
  if (name == "mua.fetch") return fmt::format("fetched {} message(s) for {}", str(e, "count"), str(e, "user"));
  if (name == "mua.open")
    return fmt::format("{}'s reader opened {} (campaign {}) over {}", str(e, "user"), str(e, "message_id"),
                       str(e, "message"), str(e, "protocol"));
  if (name == "mua.complaint")
    return fmt::format("{}'s reader reported {} (campaign {}) as spam: moved into {}", str(e, "user"),
                       str(e, "message_id"), str(e, "message"), str(e, "folder"));
  if (name == "smtp.command" || name == "pop3.command" || name == "imap.command") return ">>> " + str(e, "line");
  if (name == "imap.response") return "<<< " + str(e, "line");
  if (name == "smtp.reply" && e.get("lost").boolean()) return "<<< " + reply_text(e) + " (lost: reset before it arrives)";
  if (name == "smtp.reply") return "<<< " + reply_text(e);
  if (name == "pop3.reply") return "<<< " + str(e, "line");
  if (name == "smtp.data")
    return fmt::format(">>> (message content: {} bytes, {} lines, then \".\")", str(e, "bytes"), str(e, "lines"));
  if (name == "smtp.penalty")
    return fmt::format("the client has made {} errors: this reply waits {} (error tarpit)", str(e, "errors"),
                       format_duration(duration{e.get("delay").integer()}));
  if (name == "smtp.limit") {
    if (str(e, "limit") == "junk_commands")
      return fmt::format("{} commands that move no mail (NOOP, RSET, VRFY, HELP), over the limit of {}: each further one "
                         "counts as an error",
                         str(e, "count"), str(e, "max"));
    return fmt::format("{} errors, the limit: the server says 421 and closes the connection", str(e, "count"));
  }
  if (name == "lda.deliver") {
    // INBOX is where mail goes by default: it is named only when a list or
    // the content filter chose it.
    std::string folder = str(e, "folder"), reason = str(e, "reason"), where;
    if (!reason.empty() || (!folder.empty() && folder != "INBOX"))
      where = ", folder " + folder + (reason.empty() ? "" : " (" + reason + ")");
    return fmt::format("filed into mailbox {}{} ({} bytes, Return-Path {})", str(e, "mailbox"), where, str(e, "size"),
                       angle(str(e, "return_path")));
  }
  if (name == "lda.reject")
    return fmt::format("refused for mailbox {}: {} {}", str(e, "mailbox"), str(e, "status"), str(e, "reason"));
  if (name == "lda.drop")
    return fmt::format("dropped message {} ({} bytes) from mailbox {}: it keeps the newest {} ({} dropped so far)",
                       str(e, "uid"), str(e, "size"), str(e, "mailbox"), str(e, "retain"), str(e, "dropped"));
  return std::nullopt;
}

std::string endpoint(const event_view& e) {
  std::string peer = str(e, "peer"), ip = str(e, "ip");
  if (peer.empty() || peer == ip) return fmt::format("[{}]:{}", ip, str(e, "port"));
  return fmt::format("{} [{}]:{}", peer, ip, str(e, "port"));
}

// The records a timeline `dns` entry added and removed, as written in the scenario.
std::string dns_change(const event_view& e) {
  auto records = [&](std::string_view key) {
    std::string out;
    trace_value v = e.get(key);
    if (is_list(v))
      for (std::size_t i = 0; i < v.size(); ++i) out += (out.empty() ? "" : " | ") + item_text(v[i]);
    return out;
  };
  std::string added = records("add"), removed = records("remove");
  std::string out = "DNS records changed:";
  if (!added.empty()) out += " added " + added;
  if (!removed.empty()) out += std::string(added.empty() ? "" : ";") + " removed " + removed;
  if (added.empty() && removed.empty()) out += " nothing added or removed";
  return out;
}

// A time field in simulated ms, as the timeline shows times.
std::string offset_of(const event_view& e, std::string_view key) {
  std::string ms = str(e, key);
  if (ms.empty() || ms.find_first_not_of("0123456789") != std::string::npos) return ms;
  return format_offset(at_millis(std::stoll(ms)));
}

// A receiver's reputation of a sender moves (sim/mta/reputation.cpp).
std::string reputation_words(const event_view& e) {
  static constexpr std::string_view order[] = {"accept", "junk", "throttle", "block"};
  auto rank = [](const std::string& s) { return std::find(std::begin(order), std::end(order), s) - std::begin(order); };
  const std::string from = str(e, "from"), to = str(e, "to");
  const std::string who = fmt::format("{} {}", str(e, "subject") == "ip" ? "IP address" : "domain", str(e, "key"));
  const std::string signal = str(e, "signal");
  if (rank(to) > rank(from))
    return fmt::format("REPUTATION of {} falls from {} to {}: score {} reached {} ({}; {} recent recipients)", who,
                       from, to, str(e, "score"), str(e, "threshold"), signal == "decay" ? "time" : signal,
                       str(e, "volume"));
  return fmt::format("reputation of {} recovers from {} to {}: score {} is below {} ({} recent recipients)", who, from,
                     to, str(e, "score"), str(e, "threshold"), str(e, "volume"));
}

// Bulk mail: a throttled or reused connection, spam traps and the DNSBL
// listings they lead to (sim/mta/destinations.cpp, sim/scenario/dnsbl_operators.cpp).
std::optional<std::string> describe_bulk(const std::string& name, const event_view& e) {
  if (name == "mx.throttle")
    return fmt::format("backing off {} [{}] until {}: {}", str(e, "peer"), str(e, "ip"), offset_of(e, "until"),
                       str(e, "reason"));
  if (name == "mx.reuse")
    return fmt::format("reusing the open session to {} [{}] ({} transaction(s) on it so far)", str(e, "peer"),
                       str(e, "ip"), str(e, "uses"));
  if (name == "spamtrap.hit")
    return fmt::format("SPAM TRAP <{}> received mail from {} [{}]: reported to the blocklists", str(e, "rcpt"),
                       str(e, "peer"), str(e, "ip"));
  if (name == "dnsbl.report")
    return fmt::format("{}: {} trap hit(s) from {}, listing it at {}", str(e, "zone"), str(e, "hits"), str(e, "ip"),
                       offset_of(e, "list_at"));
  if (name == "dnsbl.list")
    return fmt::format("{} now lists {} ({} trap hit(s)) until {}", str(e, "zone"), str(e, "ip"), str(e, "hits"),
                       offset_of(e, "until"));
  if (name == "dnsbl.delist") return fmt::format("{} delists {}", str(e, "zone"), str(e, "ip"));
  if (name == "reputation.change") return reputation_words(e);
  if (name == "reputation.complaint")
    return fmt::format("COMPLAINT: <{}> moved a message (queue id {}) to Junk: held against {}{}{}", str(e, "mailbox"),
                       str(e, "queue_id"), str(e, "ip"), str(e, "domain").empty() ? "" : " and ", str(e, "domain"));
  return std::nullopt;
}

std::optional<std::string> describe_world(const std::string& name, const event_view& e) {
  if (name == "sim.start") return fmt::format("scenario {} starts (seed {})", str(e, "scenario"), str(e, "seed"));
  if (name == "sim.end") return fmt::format("scenario {} ends", str(e, "scenario"));
  // mailsim world --wait-ready (sim/cli/world_command.cpp): the timeline waits for COMMAND.
  if (name == "world.wait")
    return fmt::format("waiting up to {} for COMMAND to write READY to {} (fd {})", str(e, "timeout"),
                       str(e, "variable"), str(e, "fd"));
  if (name == "world.ready") return fmt::format("COMMAND is ready after {} ms; the timeline starts", str(e, "waited"));
  if (name == "world.ready.fail") return fmt::format("COMMAND never said READY: {}", str(e, "reason"));
  if (name == "dns.answer") return dns_answer(e);
  if (name == "dns.change") return dns_change(e);
  if (name == "mx.select") return mx_select(e);
  if (name == "mx.next")
    return fmt::format("trying the next MX {} [{}] for {}: {}", str(e, "next"), str(e, "next_ip"), addresses(e, "rcpts"),
                       str(e, "reason"));
  if (name == "mx.cname")
    return fmt::format("WARNING: MX {} of {} is an alias (CNAME to {}); RFC 2181 10.3 forbids it, followed anyway",
                       str(e, "exchange"), str(e, "domain"), str(e, "target"));
  if (auto words = describe_bulk(name, e)) return words;
  if (name == "tls.handshake")
    return fmt::format("TLS with {}: {}, {} ({} bits)", str(e, "peer"), str(e, "protocol"), str(e, "cipher"),
                       str(e, "bits"));
  if (name == "tls.fail") return fmt::format("TLS with {} failed: {}", str(e, "peer"), str(e, "reason"));
  if (name == "dns.cache")
    return fmt::format("cached ({}s left): {}", str(e, "expires_in"), dns_answer(e));
  if (name == "net.connect") return "connected to " + endpoint(e);
  if (name == "net.connect.refused") return fmt::format("connection to {} refused", endpoint(e));
  if (name == "net.connect.timeout") return fmt::format("connection to {} timed out (no answer)", endpoint(e));
  if (name == "net.reset") return fmt::format("connection with {} reset (dropped mid-session)", str(e, "peer"));
  if (name == "policy.check" && str(e, "check") == "spam")
    return fmt::format("content filter: {}", str(e, "result") == "skipped" ? "skipped, " + str(e, "detail") : str(e, "detail"));
  // DKIM and DMARC say in words what was checked and why (sim/mta/auth_milter.cpp).
  if (name == "policy.check" && (str(e, "check") == "dkim" || str(e, "check") == "dmarc") && !str(e, "detail").empty())
    return str(e, "detail");
  if (name == "dkim.sign")
    return fmt::format("signed as {} (selector {}, {}), fields {}", str(e, "domain"), str(e, "selector"),
                       str(e, "algorithm"), str(e, "headers"));
  if (name == "policy.check")
    return fmt::format("policy check {}: {}{}", str(e, "check"), str(e, "result"),
                       str(e, "detail").empty() ? "" : " (" + str(e, "detail") + ")");
  if (name == "host.crash") return std::string("host crashed: its processes, connections and unsynced data are lost");
  if (name == "host.restart") {
    std::string line = fmt::format("host restarted; {} queued message(s) found on disk", str(e, "recovered"));
    if (auto corrupt = str(e, "corrupt"); !corrupt.empty())
      line += fmt::format("; {} damaged queue file(s) moved to corrupt/", corrupt);
    return line;
  }
  if (name == "fault.on") return "fault begins: " + own_fields(e);
  if (name == "fault.off") {
    std::string what = own_fields(e);
    return what.empty() ? "healed: every fault on this host ends" : "healed: " + what;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> describe(const event_view& e, bool verbose) {
  const std::string name(e.name());
  std::optional<std::string> words;
  if (name.starts_with("queue.") || name.starts_with("bounce.")) words = describe_queue(name, e);
  if (!words) words = describe_mail(name, e);
  if (!words) words = describe_world(name, e);
  if (!words && verbose) words = name + " " + own_fields(e);
  if (!words) return std::nullopt;
  return one_line(*words);
}

std::optional<std::string> narrate_line(const event_view& e, const narrate_options& options) {
  auto words = describe(e, options.verbose);
  if (!words) return std::nullopt;
  // The session id tells interleaved dialogues apart: "[s2] >>> DATA".
  if (auto session = one_line(str(e, "session")); !session.empty()) words = "[" + session + "] " + *words;
  std::string t = format_offset(at_millis(e.t()));
  std::string host = one_line(str(e, "host"));
  std::string agent = one_line(str(e, "agent"));
  if (!options.colour) return fmt::format("{:<14} {:<22} {:<5} {}", t, host, agent, *words);
  const char* tint = agent == "mta" ? "\x1b[36m" : agent == "mua" ? "\x1b[32m" : agent == "dns" ? "\x1b[35m"
                   : agent == "lda" ? "\x1b[33m" : agent == "pop3" || agent == "imap" ? "\x1b[34m" : "\x1b[90m";
  return fmt::format("\x1b[2m{:<14}\x1b[0m {:<22} {}{:<5}\x1b[0m {}", t, host, tint, agent, *words);
}

std::optional<std::string> describe(const event& e, bool verbose) { return describe(json_event_view(e).view(), verbose); }

std::optional<std::string> narrate_line(const event& e, const narrate_options& options) {
  return narrate_line(json_event_view(e).view(), options);
}

}  // namespace sim::report
