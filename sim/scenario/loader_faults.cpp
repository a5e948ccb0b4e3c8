// sim/scenario/loader_faults.cpp - `fault` on a host: each kind takes its
// own keys (scenario-format.md, timeline).
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "sim/scenario/loader_parts.hpp"

namespace sim::scenario::detail {
namespace {

struct kind_keys {
  fault_kind kind;
  std::vector<std::string_view> keys;  // besides "host" and "kind"
};

const std::vector<kind_keys>& kinds() {
  static const std::vector<kind_keys> table{
      {fault_kind::refuse, {"port"}},
      {fault_kind::timeout, {"port"}},
      {fault_kind::reset, {"phase"}},
      {fault_kind::reply, {"phase", "code", "enhanced", "text", "match", "times"}},
      {fault_kind::slow, {"delay", "phase"}},
      {fault_kind::mailbox_full, {"mailbox"}},
      {fault_kind::tls, {"problem", "port"}},
  };
  return table;
}

std::vector<std::string_view> every_key() {
  std::vector<std::string_view> all{"host", "kind"};
  for (const auto& k : kinds())
    for (auto key : k.keys)
      if (std::find(all.begin(), all.end(), key) == all.end()) all.push_back(key);
  return all;
}

const kind_keys& read_kind(const node& n) {
  auto text = n.as_string();
  for (const auto& k : kinds())
    if (fault_kind_name(k.kind) == text) return k;
  n.fail(fmt::format("{} is not a fault kind (refuse, timeout, reset, reply, slow, mailbox_full, tls)", quote(text)));
}

// A key of another kind gets a clearer message than "unknown key".
void check_kind_keys(const node& n, const kind_keys& k) {
  auto all = every_key();
  for (const auto& [key, value] : n.value().items()) {
    bool own = key == "host" || key == "kind" || std::find(k.keys.begin(), k.keys.end(), key) != k.keys.end();
    if (own || std::find(all.begin(), all.end(), key) == all.end()) continue;
    std::string takes;
    for (auto own_key : k.keys) takes += ", " + std::string(own_key);
    node(n.file(), value, n.pointer() + "/" + pointer_token(key))
        .fail(fmt::format("a fault of kind {} takes no {} (its keys: host, kind{})", quote(fault_kind_name(k.kind)),
                          quote(key), takes));
  }
}

smtp_phase read_phase(const node& n) {
  auto text = n.as_string();
  auto phase = parse_phase(text);
  if (!phase) n.fail(fmt::format("{} is not a phase (connect, ehlo, mail, rcpt, data, dot, quit)", quote(text)));
  return *phase;
}

// `reset` also takes "accepted": after the server's reply to the final dot
// (RFC 5321 section 4.1.1.4: the message is the server's from then on; the
// client that never sees the reply sends it again, RFC 1047).
void read_reset_phase(const node& n, host_fault& f) {
  if (n.value().is_string() && n.as_string() == "accepted") {
    f.phase = smtp_phase::dot;
    f.after_reply = true;
    return;
  }
  auto text = n.as_string();
  auto phase = parse_phase(text);
  if (!phase) n.fail(fmt::format("{} is not a phase (connect, ehlo, mail, rcpt, data, dot, accepted, quit)", quote(text)));
  f.phase = *phase;
}

void read_reply_keys(const object_reader& r, host_fault& f) {
  f.phase = read_phase(r.at("phase"));
  f.code = static_cast<int>(r.at("code").as_uint(200, 599));
  if (auto v = r.find("enhanced")) f.enhanced = read_enhanced(*v, *f.code);
  if (auto v = r.find("text")) f.text = read_reply_lines(*v);
  if (auto v = r.find("match")) f.match = v->as_address(true);
  if (auto v = r.find("times")) f.times = v->as_uint(1, 1'000'000);
}

}  // namespace

// RFC 3463 section 2: class "." subject "." detail; the class matches the
// reply code's first digit.
std::string read_enhanced(const node& n, int code) {
  auto text = n.as_string();
  bool ok = text.size() >= 5 && (text[0] == '2' || text[0] == '4' || text[0] == '5') && text[1] == '.';
  std::size_t dot = ok ? text.find('.', 2) : std::string::npos;
  auto digits = [&](std::size_t from, std::size_t to) {
    return to > from && to - from <= 3 &&
           std::all_of(text.begin() + static_cast<long>(from), text.begin() + static_cast<long>(to),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  };
  ok = ok && dot != std::string::npos && digits(2, dot) && digits(dot + 1, text.size());
  if (!ok) n.fail(fmt::format("{} is not an enhanced status code (RFC 3463: \"5.7.1\")", quote(text)));
  if (text[0] - '0' != code / 100)
    n.fail(fmt::format("{} does not match the class of reply code {}", quote(text), code));
  return text;
}

// A reply's text: one line, or an array of lines (a multi-line reply,
// RFC 5321 section 4.2.1).  Each line fits a reply line of 512 octets.
std::vector<std::string> read_reply_lines(const node& n) {
  std::vector<node> items;
  if (n.value().is_array()) {
    items = n.as_array();
    if (items.empty()) n.fail("a reply needs at least one line");
  } else {
    items.push_back(n);
  }
  std::vector<std::string> lines;
  for (const auto& item : items) {
    std::string line = item.as_string();
    if (line.find_first_of("\r\n") != std::string::npos) item.fail("each line of a reply text must be one line");
    if (line.size() > 480) item.fail("a reply line must be at most 480 characters (RFC 5321 4.5.3.1.5)");
    lines.push_back(std::move(line));
  }
  return lines;
}

host_fault read_host_fault(const node& n, const scenario& s) {
  auto general = n.as_object(every_key());
  const kind_keys& k = read_kind(general.at("kind"));
  check_kind_keys(n, k);
  host_fault f;
  f.kind = k.kind;
  f.as_written = n.value();
  const host& h = simulated_host_ref(general.at("host"), s);
  f.host = h.name;
  bool server_side = k.kind == fault_kind::reset || k.kind == fault_kind::reply || k.kind == fault_kind::slow;
  if (server_side && !h.is_mta())
    general.at("host").fail(fmt::format("{} runs no SMTP server for a {} fault", quote(h.name), fault_kind_name(k.kind)));
  switch (k.kind) {
    case fault_kind::refuse:
    case fault_kind::timeout:
      if (auto v = general.find("port")) f.port = static_cast<std::uint16_t>(v->as_uint(1, 65535));
      break;
    case fault_kind::reset: read_reset_phase(general.at("phase"), f); break;
    case fault_kind::reply: read_reply_keys(general, f); break;
    case fault_kind::slow:
      f.delay = general.at("delay").as_duration();
      if (auto v = general.find("phase")) f.phase = read_phase(*v);
      break;
    case fault_kind::tls: {
      // What a receiving host's TLS does wrong (default: the handshake fails).
      if (!h.is_mta()) general.at("host").fail(fmt::format("{} runs no SMTP server for a tls fault", quote(h.name)));
      if (auto v = general.find("port")) f.port = static_cast<std::uint16_t>(v->as_uint(1, 65535));
      if (auto v = general.find("problem")) {
        auto text = v->as_string();
        auto p = net::parse_tls_problem(text);
        if (!p) v->fail(fmt::format("{} is not a TLS problem (handshake, expired, wrong_name)", quote(text)));
        f.problem = *p;
      }
      break;
    }
    case fault_kind::mailbox_full: {
      auto v = general.at("mailbox");
      f.mailbox = v.as_address();
      if (!h.find_mailbox(*f.mailbox)) v.fail(fmt::format("{} has no mailbox {}", h.name, quote(*f.mailbox)));
      break;
    }
  }
  return f;
}

}  // namespace sim::scenario::detail
