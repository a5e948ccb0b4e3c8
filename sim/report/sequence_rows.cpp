// sim/report/sequence_rows.cpp - the words and looks of the sequence diagram's rows.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "sim/report/dsn_words.hpp"
#include "sim/report/escape.hpp"
#include "sim/report/event_fields.hpp"
#include "sim/report/sequence_model.hpp"
#include "sim/report/svg.hpp"
#include "sim/report/world_model.hpp"

namespace sim::report {
namespace {

// Labels are cut here while reading; the drawing fits them to their room.
constexpr std::size_t row_label_bytes = 240;

std::string clip_label(std::string text) { return excerpt(one_line(text), 0, row_label_bytes); }

std::string bracketed_label(const std::string& a) { return "<" + a + ">"; }

std::vector<std::string> labels_of(const std::string& name) {
  std::vector<std::string> parts;
  for (std::size_t at = 0;;) {
    auto dot = name.find('.', at);
    parts.push_back(name.substr(at, dot - at));
    if (dot == std::string::npos) break;
    at = dot + 1;
  }
  return parts;
}

// 32 nibbles, least significant first (RFC 3596 2.5), as RFC 5952 text:
// eight groups without leading zeros, the longest run of zero groups as "::".
std::string ip6_from_nibbles(const std::vector<std::string>& nibbles) {
  std::vector<std::string> groups(8);
  for (std::size_t i = 0; i < 32; ++i) {
    const std::string& n = nibbles[31 - i];
    if (n.size() != 1 || !std::isxdigit(static_cast<unsigned char>(n[0]))) return {};
    groups[i / 4] += static_cast<char>(std::tolower(static_cast<unsigned char>(n[0])));
  }
  for (auto& g : groups) g.erase(0, std::min(g.find_first_not_of('0'), g.size() - 1));
  std::size_t best = 0, best_len = 0;
  for (std::size_t i = 0; i < 8;) {
    std::size_t j = i;
    while (j < 8 && groups[j] == "0") ++j;
    if (j - i > best_len) best = i, best_len = j - i;
    i = j == i ? i + 1 : j;
  }
  std::string out;
  for (std::size_t i = 0; i < 8; ++i) {
    if (best_len > 1 && i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && !out.ends_with(":")) out += ":";
    out += groups[i];
  }
  return out;
}

// "7.113.0.203.in-addr.arpa" -> "203.0.113.7" (RFC 1035 3.5), the ip6.arpa
// nibble form -> "2001:db8::25"; other names unchanged.
std::string reverse_to_ip(const std::string& name) {
  std::string n = name.ends_with('.') ? name.substr(0, name.size() - 1) : name;
  if (n.ends_with(".in-addr.arpa")) {
    auto parts = labels_of(n.substr(0, n.size() - 13));
    if (parts.size() == 4) return parts[3] + "." + parts[2] + "." + parts[1] + "." + parts[0];
  } else if (n.ends_with(".ip6.arpa")) {
    auto parts = labels_of(n.substr(0, n.size() - 9));
    if (parts.size() == 32) {
      std::string ip = ip6_from_nibbles(parts);
      if (!ip.empty()) return ip;
    }
  }
  return name;
}

// "example.org. 3600 IN MX 10 mx1.example.org." -> "10 mx1.example.org." when
// owner and type are the question's; otherwise "owner TYPE data".
std::string row_record(const std::string& record, const std::string& name, const std::string& type) {
  auto owner_end = record.find(' ');
  auto ttl_end = owner_end == std::string::npos ? owner_end : record.find(' ', owner_end + 1);
  if (ttl_end == std::string::npos || record.compare(ttl_end + 1, 3, "IN ") != 0) return record;
  std::string owner = record.substr(0, owner_end), rest = record.substr(ttl_end + 4);
  bool same = owner == name || owner == name + ".";
  if (same && rest.starts_with(type + " ")) return rest.substr(type.size() + 1);
  return same ? rest : owner + " " + rest;
}

std::string dns_question(const json_event& e) {
  std::string name = field_text(e, "name"), type = field_text(e, "type");
  if (type == "PTR") return fmt::format("PTR? who is {}", reverse_to_ip(name));
  return fmt::format("{} {}?", name, type);
}

bool dns_answer(const json_event& e, std::string& label) {
  std::string name = field_text(e, "name"), type = field_text(e, "type"), rcode = field_text(e, "rcode");
  if (!rcode.empty() && rcode != "NOERROR") {
    label = rcode == "NXDOMAIN" ? "NXDOMAIN: no such name"
          : rcode == "SERVFAIL" ? "SERVFAIL: the server failed (try later)"
          : rcode == "timeout"  ? "no answer (timeout)"
                                : rcode;
    return false;
  }
  std::string out;
  for (const auto& r : field_list(e, "records")) out += (out.empty() ? "" : ", ") + row_record(r, name, type);
  label = out.empty() ? type + ": no records (NODATA)" : type + " " + out;
  return true;
}

std::string mx_choice(const json_event& e) {
  std::string hosts;
  auto it = e.find("candidates");
  bool implicit = field_bool(e, "implicit");
  if (it != e.end() && it->is_array()) {
    for (const auto& c : *it) {
      if (!c.is_object()) continue;
      std::string pref = implicit ? "" : field_text(c, "preference") + " ";
      hosts += (hosts.empty() ? "" : ", ") + pref + field_text(c, "host");
    }
  }
  if (hosts.empty()) hosts = "no host to try";
  std::string smarthost = field_text(e, "smarthost");
  if (!smarthost.empty()) return "via smarthost " + smarthost;
  return (implicit ? "implicit MX: " : "MX order: ") + hosts;
}

// The fields beyond the common ones, as written ("add=[...]").
std::string raw_fields(const json_event& e) {
  std::string out;
  for (auto it = e.begin(); it != e.end(); ++it) {
    const std::string& k = it.key();
    if (k == "seq" || k == "t" || k == "host" || k == "agent" || k == "event") continue;
    out += (out.empty() ? "" : " ") + k + "=" + (it->is_string() ? it->get<std::string>() : it->dump());
  }
  return out;
}

void mark(seq_row& row, const json_event& e, tone look, std::string label, std::string key = {}) {
  row.mark = true;
  row.look = look;
  row.from = field_text(e, "host") == "dns" ? dns_lane : field_text(e, "host");
  row.label = clip_label(std::move(label));
  if (!key.empty()) row.key = key + "|" + row.from;
}

bool queue_row(const std::string& name, const json_event& e, seq_row& row) {
  std::string rcpt = bracketed_label(field_text(e, "rcpt")), id = field_text(e, "queue_id");
  if (name == "queue.enqueue") {
    std::size_t n = field_list_size(e, "rcpts");
    mark(row, e, tone::queue, fmt::format("queued as {} ({} recipient{})", id, n, n == 1 ? "" : "s"));
  } else if (name == "queue.attempt") {
    mark(row, e, tone::queue, fmt::format("attempt {} for {}", field_text(e, "attempt"), rcpt), "qa");
  } else if (name == "queue.defer") {
    std::int64_t wait = field_int(e, "retry_at", -1) - field_int(e, "t");
    std::string retry = wait > 0 ? "; retry in " + svg::human_duration(wait) : "";
    mark(row, e, tone::defer, fmt::format("deferred {}: {}{}", rcpt, field_text(e, "reason"), retry), "qf");
  } else if (name == "queue.delivered") {
    std::string peer = field_text(e, "peer");
    mark(row, e, tone::deliver,
         peer == field_text(e, "host") ? "handed " + rcpt + " to the LDA" : "handed " + rcpt + " to " + peer,
         "qd" + peer);
  } else if (name == "queue.bounce") {
    mark(row, e, tone::bounce, fmt::format("gave up on {}: {}", rcpt, field_text(e, "reason")),
         "qb" + field_text(e, "status"));
  } else if (name == "queue.warn") {
    mark(row, e, tone::defer, "delay warning about " + rcpt);
  } else if (name == "bounce.create") {
    std::string action = field_text(e, "action");
    std::string_view noun = action == "delayed" ? "delay DSN" : is_success_action(action) ? "success DSN" : "bounce (DSN)";
    mark(row, e, tone::bounce, fmt::format("{} to {}", noun, bracketed_label(field_text(e, "to"))));
  } else if (name == "bounce.drop") {
    mark(row, e, tone::bounce, "a failed bounce is dropped, never bounced");
  } else {
    return false;  // queue.remove: nothing a reader needs
  }
  return true;
}

bool world_row(const std::string& name, const json_event& e, seq_row& row) {
  if (name == "mua.compose") {
    mark(row, e, tone::compose, "composes \xE2\x80\x9C" + field_text(e, "subject") + "\xE2\x80\x9D");
  } else if (name == "mua.reject") {
    mark(row, e, tone::perm,
         fmt::format("submission refused: {} {} {}", field_text(e, "code"), field_text(e, "enhanced"), field_text(e, "text")));
  } else if (name == "mua.fetch") {
    mark(row, e, tone::deliver, fmt::format("fetched {} message(s) of {}", field_text(e, "count"), field_text(e, "user")));
  } else if (name == "mx.select") {
    mark(row, e, tone::route, mx_choice(e));
  } else if (name == "lda.deliver") {
    mark(row, e, tone::deliver, "filed in " + field_text(e, "mailbox"), "ld");
  } else if (name == "lda.reject") {
    bool temp = field_text(e, "status").starts_with("4");
    mark(row, e, temp ? tone::temp : tone::perm,
         fmt::format("refused for {}: {} {}", field_text(e, "mailbox"), field_text(e, "status"), field_text(e, "reason")),
         "lr");
  } else if (name == "policy.check") {
    std::string detail = field_text(e, "detail");
    mark(row, e, tone::policy,
         fmt::format("{}: {}{}", field_text(e, "check"), field_text(e, "result"), detail.empty() ? "" : " (" + detail + ")"),
         "pc" + field_text(e, "check") + field_text(e, "result"));
  } else if (name == "fault.on") {
    mark(row, e, tone::fault, "fault: " + fault_words(e));
  } else if (name == "fault.off") {
    std::string dns = field_text(e, "dns");
    mark(row, e, tone::heal, dns.empty() ? "healed: every fault ends" : "healed: DNS for " + dns + " answers again");
  } else if (name == "host.crash") {
    mark(row, e, tone::fault, "crash: processes, connections and unsynced data lost");
  } else if (name == "host.restart") {
    mark(row, e, tone::heal, fmt::format("restart: {} queued message(s) found", field_text(e, "recovered")));
  } else if (name == "dns.change") {
    mark(row, e, tone::route, "DNS records change: " + raw_fields(e));
    row.from = dns_lane;
  } else {
    return false;
  }
  return true;
}

bool net_row(const std::string& name, const json_event& e, seq_row& row) {
  std::string port = field_text(e, "port");
  row.from = field_text(e, "host");
  row.to = field_text(e, "peer");
  if (name == "net.connect.refused") {
    row.look = tone::perm;
    row.label = clip_label("connect :" + port + " refused");
  } else if (name == "net.connect.timeout") {
    row.look = tone::temp;
    row.label = clip_label("connect :" + port + ": no answer (timeout)");
  } else if (name == "net.connect") {
    row.look = tone::connect;
    row.label = clip_label("connect :" + port);
  } else {
    return false;
  }
  row.key = name + "|" + row.from + "|" + row.to;
  return !row.to.empty();
}

}  // namespace

bool row_for_event(const json_event& e, seq_row& row) {
  std::string name = field_text(e, "event");
  row = seq_row{};
  row.t = row.t_last = field_int(e, "t");
  if (name == "dns.query" || name == "dns.answer") {
    bool query = name == "dns.query";
    row.from = query ? field_text(e, "host") : dns_lane;
    row.to = query ? dns_lane : field_text(e, "host");
    row.look = tone::dns;
    if (query) {
      row.label = clip_label(dns_question(e));
    } else {
      std::string words;
      if (!dns_answer(e, words)) row.look = tone::dns_fail;
      row.label = clip_label(words);
    }
    return !field_text(e, "host").empty();
  }
  if (name.starts_with("queue.") || name.starts_with("bounce.")) return queue_row(name, e, row);
  if (name.starts_with("net.")) return net_row(name, e, row);
  return world_row(name, e, row);
}

}  // namespace sim::report
