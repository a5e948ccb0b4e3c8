// sim/report/narrate.cpp - plain words for trace events (trace-format.md).
#include "sim/report/narrate.hpp"

#include <fmt/format.h>

#include "sim/core/time.hpp"
#include "sim/report/escape.hpp"

namespace sim::report {
namespace {

// The common fields every event has; the rest is what the event is about.
constexpr const char* common_fields[] = {"seq", "t", "host", "agent", "event"};

std::string str(const event& e, const char* key) {
  auto it = e.find(key);
  if (it == e.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump(-1, ' ', false, event::error_handler_t::replace);
}

std::string angle(const std::string& address) { return "<" + address + ">"; }

// One address or a list of them: "<a@x>, <b@y>".
std::string addresses(const event& e, const char* key) {
  auto it = e.find(key);
  if (it == e.end() || it->is_null()) return "";
  if (it->is_string()) return angle(it->get<std::string>());
  std::string out;
  for (const auto& r : *it) out += (out.empty() ? "" : ", ") + angle(r.is_string() ? r.get<std::string>() : r.dump());
  return out;
}

// The fields beyond the common ones, as "key=value" (strings unquoted).
std::string own_fields(const event& e) {
  std::string out;
  for (auto it = e.begin(); it != e.end(); ++it) {
    bool common = false;
    for (const char* k : common_fields) common = common || it.key() == k;
    if (common) continue;
    std::string value = it->is_string() ? it->get<std::string>() : it->dump(-1, ' ', false, event::error_handler_t::replace);
    out += (out.empty() ? "" : " ") + it.key() + "=" + value;
  }
  return out;
}

// Every line of the reply as it was on the wire; a multiline reply keeps its
// "250-" continuation marks (RFC 5321 4.2.1) so a learner sees the real form.
std::string reply_text(const event& e) {
  auto lines = e.find("lines");
  if (lines != e.end() && lines->is_array() && !lines->empty()) {
    std::string out;
    for (const auto& l : *lines) out += (out.empty() ? "" : " | ") + (l.is_string() ? l.get<std::string>() : l.dump());
    return out;
  }
  std::string line = str(e, "code");
  if (auto en = str(e, "enhanced"); !en.empty()) line += " " + en;
  if (auto t = str(e, "text"); !t.empty()) line += " " + t;
  return line;
}

std::string mx_select(const event& e) {
  auto it = e.find("candidates");
  std::string hosts;
  if (it != e.end() && it->is_array()) {
    for (const auto& c : *it) {
      std::string pref = e.value("implicit", false) ? "" : fmt::format("{} ", c.value("preference", 0));
      hosts += fmt::format("{}{}{} [{}]", hosts.empty() ? "" : ", ", pref, c.value("host", std::string()),
                           c.value("ip", std::string()));
    }
  }
  if (hosts.empty()) hosts = "no host to try";
  std::string domain = str(e, "domain");
  if (auto smarthost = str(e, "smarthost"); !smarthost.empty())
    return fmt::format("{} goes via smarthost {}: {}", domain, smarthost, hosts);
  if (e.value("implicit", false))
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
std::string short_record(const std::string& record, const std::string& name, const std::string& type) {
  auto owner_end = record.find(' ');
  auto ttl_end = owner_end == std::string::npos ? owner_end : record.find(' ', owner_end + 1);
  if (ttl_end == std::string::npos || record.compare(ttl_end + 1, 3, "IN ") != 0) return record;
  std::string owner = record.substr(0, owner_end);
  std::string rest = record.substr(ttl_end + 4);
  bool same_owner = owner == name || owner == name + ".";
  if (same_owner && rest.starts_with(type + " ")) return rest.substr(type.size() + 1);
  return same_owner ? rest : owner + " " + rest;
}

std::string dns_answer(const event& e) {
  std::string name = str(e, "name"), type = str(e, "type"), rcode = str(e, "rcode");
  std::string head = fmt::format("DNS answer for {} {}: ", name, type);
  if (!rcode.empty() && rcode != "NOERROR") return head + rcode + rcode_meaning(rcode);
  auto recs = e.find("records");
  if (recs == e.end() || !recs->is_array() || recs->empty()) return head + "no records of that type (NODATA)";
  std::string out;
  for (const auto& r : *recs)
    out += (out.empty() ? "" : " | ") + (r.is_string() ? short_record(r.get<std::string>(), name, type) : r.dump());
  return head + out;
}

std::string queue_defer(const event& e) {
  std::string retry;
  auto it = e.find("retry_at");
  if (it != e.end() && it->is_number_integer()) {
    auto at = it->get<std::int64_t>();
    auto wait = at - e.value("t", std::int64_t{0});
    retry = "; next attempt at " + format_offset(at_millis(at));
    if (wait > 0) retry += " (in " + format_duration(duration{wait}) + ")";
  }
  return fmt::format("deferred {}: {}{}", angle(str(e, "rcpt")), str(e, "reason"), retry);
}

std::optional<std::string> describe_queue(const std::string& name, const event& e) {
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
                       str(e, "action") == "delayed" ? "delay notice (DSN)" : "bounce (DSN)", id,
                       angle(str(e, "to")), addresses(e, "rcpts"), str(e, "original_queue_id"));
  if (name == "bounce.drop")
    return fmt::format("{} is itself a bounce: no DSN about {} ({})", id, addresses(e, "rcpts"), str(e, "reason"));
  return std::nullopt;
}

std::optional<std::string> describe_mail(const std::string& name, const event& e) {
  if (name == "mua.compose")
    return fmt::format("compose \"{}\" from {} to {} ({})", str(e, "subject"), angle(str(e, "from")),
                       addresses(e, "to"), str(e, "message_id"));
  if (name == "mua.submit") return fmt::format("submit to {} port {}", str(e, "via"), str(e, "port"));
  if (name == "mua.reject") return fmt::format("submission refused: {}", reply_text(e));
  if (name == "mua.fetch") return fmt::format("fetched {} message(s) for {}", str(e, "count"), str(e, "user"));
  if (name == "smtp.command" || name == "pop3.command") return ">>> " + str(e, "line");
  if (name == "smtp.reply") return "<<< " + reply_text(e);
  if (name == "pop3.reply") return "<<< " + str(e, "line");
  if (name == "smtp.data")
    return fmt::format(">>> (message content: {} bytes, {} lines, then \".\")", str(e, "bytes"), str(e, "lines"));
  if (name == "smtp.penalty")
    return fmt::format("the client has made {} errors: this reply waits {} (error tarpit)", str(e, "errors"),
                       format_duration(duration{e.value("delay", std::int64_t{0})}));
  if (name == "smtp.limit") {
    if (str(e, "limit") == "junk_commands")
      return fmt::format("{} commands that move no mail (NOOP, RSET, VRFY, HELP), over the limit of {}: each further one "
                         "counts as an error",
                         str(e, "count"), str(e, "max"));
    return fmt::format("{} errors, the limit: the server says 421 and closes the connection", str(e, "count"));
  }
  if (name == "lda.deliver")
    return fmt::format("filed into mailbox {} ({} bytes, Return-Path {})", str(e, "mailbox"), str(e, "size"),
                       angle(str(e, "return_path")));
  if (name == "lda.reject")
    return fmt::format("refused for mailbox {}: {} {}", str(e, "mailbox"), str(e, "status"), str(e, "reason"));
  return std::nullopt;
}

std::string endpoint(const event& e) {
  std::string peer = str(e, "peer"), ip = str(e, "ip");
  if (peer.empty() || peer == ip) return fmt::format("[{}]:{}", ip, str(e, "port"));
  return fmt::format("{} [{}]:{}", peer, ip, str(e, "port"));
}

std::optional<std::string> describe_world(const std::string& name, const event& e) {
  if (name == "sim.start") return fmt::format("scenario {} starts (seed {})", str(e, "scenario"), str(e, "seed"));
  if (name == "sim.end") return fmt::format("scenario {} ends", str(e, "scenario"));
  if (name == "dns.answer") return dns_answer(e);
  if (name == "mx.select") return mx_select(e);
  if (name == "mx.next")
    return fmt::format("trying the next MX {} [{}] for {}: {}", str(e, "next"), str(e, "next_ip"), addresses(e, "rcpts"),
                       str(e, "reason"));
  if (name == "mx.cname")
    return fmt::format("WARNING: MX {} of {} is an alias (CNAME to {}); RFC 2181 10.3 forbids it, followed anyway",
                       str(e, "exchange"), str(e, "domain"), str(e, "target"));
  if (name == "dns.cache")
    return fmt::format("cached ({}s left): {}", str(e, "expires_in"), dns_answer(e));
  if (name == "net.connect") return "connected to " + endpoint(e);
  if (name == "net.connect.refused") return fmt::format("connection to {} refused", endpoint(e));
  if (name == "net.connect.timeout") return fmt::format("connection to {} timed out (no answer)", endpoint(e));
  if (name == "net.reset") return fmt::format("connection with {} reset (dropped mid-session)", str(e, "peer"));
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

std::optional<std::string> describe(const event& e, bool verbose) {
  const std::string name = str(e, "event");
  std::optional<std::string> words;
  if (name.starts_with("queue.") || name.starts_with("bounce.")) words = describe_queue(name, e);
  if (!words) words = describe_mail(name, e);
  if (!words) words = describe_world(name, e);
  if (!words && verbose) words = name + " " + own_fields(e);
  if (!words) return std::nullopt;
  return one_line(*words);
}

std::optional<std::string> narrate_line(const event& e, const narrate_options& options) {
  auto words = describe(e, options.verbose);
  if (!words) return std::nullopt;
  std::string t = format_offset(at_millis(e.value("t", std::int64_t{0})));
  std::string host = one_line(str(e, "host"));
  std::string agent = one_line(str(e, "agent"));
  if (!options.colour) return fmt::format("{:<14} {:<22} {:<5} {}", t, host, agent, *words);
  const char* tint = agent == "mta" ? "\x1b[36m" : agent == "mua" ? "\x1b[32m" : agent == "dns" ? "\x1b[35m"
                   : agent == "lda" ? "\x1b[33m" : agent == "pop3" ? "\x1b[34m" : "\x1b[90m";
  return fmt::format("\x1b[2m{:<14}\x1b[0m {:<22} {}{:<5}\x1b[0m {}", t, host, tint, agent, *words);
}

}  // namespace sim::report
