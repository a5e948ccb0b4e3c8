// sim/report/sequence_model.cpp - grouping the trace into the sequence diagram's blocks and rows.
#include "sim/report/sequence_model.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/report/escape.hpp"
#include "sim/report/event_fields.hpp"

namespace sim::report {
namespace {

constexpr std::size_t label_bytes = 240;
constexpr std::size_t max_lanes_tracked = 20000;
// A DNS lookup this soon after the previous one of the same host joins its group.
constexpr std::int64_t dns_group_ms = 2000;
// A row this long after the previous one of a block starts a new block.
constexpr std::int64_t block_gap_ms = 30000;

std::string clip(const std::string& text) { return excerpt(one_line(text), 0, label_bytes); }

tone reply_tone(std::int64_t code) {
  return code >= 500 ? tone::perm : code >= 400 ? tone::temp : code >= 300 ? tone::info : tone::ok;
}

// "250 mx1.example.org · PIPELINING · SIZE 10485760 · ...": the first line of a
// multiline reply, then the text of the others (RFC 5321 4.2.1).
std::string reply_label(const json_event& e) {
  std::vector<std::string> lines = field_list(e, "lines");
  std::string code = field_text(e, "code"), enhanced = field_text(e, "enhanced"), text = field_text(e, "text");
  if (lines.size() <= 1) return code + (enhanced.empty() ? "" : " " + enhanced) + (text.empty() ? "" : " " + text);
  std::string out = lines[0].size() > 4 ? code + " " + lines[0].substr(4) : lines[0];
  for (std::size_t i = 1; i < lines.size(); ++i) out += " \xC2\xB7 " + (lines[i].size() > 4 ? lines[i].substr(4) : lines[i]);
  return out;
}

// The verb that makes repeated commands one row: "RCPT", "MAIL", "DELE".
std::string verb(const std::string& line) {
  auto end = line.find_first_of(" :");
  std::string v = line.substr(0, end);
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return v;
}

// Reply text with addresses blanked, so per-recipient replies merge.
std::string reply_key(const std::string& text) {
  std::string out;
  bool in_angle = false;
  for (char c : text) {
    if (c == '<') in_angle = true;
    if (!in_angle) out += c;
    if (c == '>') in_angle = false;
  }
  return out;
}

void note_refusal(seq_block& b, const std::string& label, tone look) {
  ++b.refusals;
  if (b.refusal.empty() || (look == tone::perm && b.refusal_tone != tone::perm)) {
    b.refusal = label;
    b.refusal_tone = look;
  }
}

std::string protocol_for_port(std::int64_t port) {
  if (port == 25 || port == 587 || port == 465) return "SMTP";
  if (port == 110 || port == 995) return "POP3";
  return port == 143 || port == 993 ? "IMAP" : "TCP";
}

}  // namespace

// `ordered`: this row places the lane (a fault mark alone does not, so that
// lifelines follow the mail, not the scenario's setup).
void sequence_model::note_lane(const std::string& lane, bool ordered) {
  if (lane.empty() || lane == dns_lane) return;
  auto it = activity_.find(lane);
  if (it == activity_.end()) {
    if (activity_.size() >= max_lanes_tracked) return;
    it = activity_.emplace(lane, 0).first;
  }
  if (ordered && it->second++ == 0) lane_order_.push_back(lane);
}


void sequence_model::drop(std::int64_t t) {
  ++dropped_events_;
  if (dropped_from_ < 0) dropped_from_ = t;
}

seq_block* sequence_model::new_block(block_kind kind, std::int64_t t) {
  if (blocks_.size() >= limits_.max_blocks) return nullptr;
  seq_block b;
  b.kind = kind;
  b.start = b.end = t;
  blocks_.push_back(std::move(b));
  return &blocks_.back();
}

// Appends a row, or merges it with the previous one (same key) or with the
// previous pair (A B A B ... becomes A×n B×n).  False when over a bound.
bool sequence_model::push(seq_block& b, seq_row row) {
  b.end = std::max(b.end, row.t);
  auto& rows = b.rows;
  if (!row.key.empty() && !rows.empty()) {
    seq_row& last = rows.back();
    if (!last.paired && last.key == row.key) {
      ++last.repeat;
      last.last_label = std::move(row.label);
      last.t_last = row.t;
      return true;
    }
    std::size_t n = rows.size();
    if (n >= 3) {
      seq_row &a = rows[n - 3], &p = rows[n - 2], &c = rows[n - 1];
      if (!a.key.empty() && a.key == c.key && p.key == row.key && a.repeat == p.repeat && c.repeat == 1 &&
          (a.paired || a.repeat == 1) && a.paired == p.paired) {
        ++a.repeat;
        ++p.repeat;
        a.paired = p.paired = true;
        a.last_label = std::move(c.label);
        a.t_last = c.t;
        p.last_label = std::move(row.label);
        p.t_last = row.t;
        rows.pop_back();
        --rows_kept_;
        return true;
      }
    }
  }
  std::size_t cap = b.kind == block_kind::session ? limits_.max_session_rows : limits_.max_session_rows * 2;
  if (rows_kept_ >= limits_.max_rows || rows.size() >= cap) {
    ++b.dropped;
    return false;
  }
  bool ordered = row.look != tone::fault && row.look != tone::heal;
  note_lane(row.from, ordered);
  note_lane(row.to, ordered);
  rows.push_back(std::move(row));
  ++rows_kept_;
  return true;
}

seq_block* sequence_model::session_block(const json_event& e, const std::string& id, const std::string& name) {
  auto it = sessions_.find(id);
  if (it != sessions_.end()) return &blocks_[it->second];
  std::int64_t t = field_int(e, "t");
  seq_block* b = new_block(block_kind::session, t);
  if (!b) return nullptr;
  std::string host = field_text(e, "host"), peer = field_text(e, "peer"), agent = field_text(e, "agent");
  b->session = id;
  bool server_side = name == "smtp.reply" || name == "pop3.reply" || name == "imap.response";
  b->client = server_side ? peer : host;
  b->server = server_side ? host : peer;
  if (name == "net.connect") {
    b->port = field_int(e, "port");
    b->protocol = protocol_for_port(b->port);
  } else {
    b->protocol = name.starts_with("pop3.")   ? "POP3"
                : name.starts_with("imap.")   ? "IMAP"
                : (agent == "lda" || host == peer) ? "LMTP"
                                                   : "SMTP";
  }
  sessions_.emplace(id, blocks_.size() - 1);
  open_.push_back(blocks_.size() - 1);
  return b;
}

void sequence_model::end_session(seq_block& b, std::int64_t t) {
  b.open = false;
  b.end = std::max(b.end, t);
  std::size_t index = static_cast<std::size_t>(&b - blocks_.data());
  open_.erase(std::remove(open_.begin(), open_.end(), index), open_.end());
}

void sequence_model::add_session_event(seq_block& b, const json_event& e, const std::string& name) {
  seq_row row;
  row.t = row.t_last = field_int(e, "t");
  row.from = field_text(e, "host");
  row.to = field_text(e, "peer");
  if (name == "smtp.command" || name == "pop3.command" || name == "imap.command") {
    std::string line = field_text(e, "line");
    row.look = tone::command;
    row.label = clip(line);
    row.key = "c" + verb(line) + "|" + row.from + "|" + row.to;
    ++b.commands;
  } else if (name == "smtp.reply") {
    std::int64_t code = field_int(e, "code");
    row.look = reply_tone(code);
    row.label = clip(reply_label(e));
    row.key = "r" + field_text(e, "code") + field_text(e, "enhanced") + reply_key(field_text(e, "text")) + "|" + row.from;
    ++b.replies;
    if (code >= 400) note_refusal(b, row.label, row.look);
    if (code < 300 && field_text(e, "phase") == "dot" && b.accepted.empty()) b.accepted = row.label;
  } else if (name == "pop3.reply") {
    std::string line = field_text(e, "line");
    row.look = line.starts_with("+OK") ? tone::ok : tone::perm;
    row.label = clip(line);
    row.key = std::string(row.look == tone::ok ? "r+" : "r-") + "|" + row.from;
    ++b.replies;
    if (row.look == tone::perm) note_refusal(b, row.label, tone::perm);
  } else if (name == "imap.response") {
    // RFC 9051 7.1: a tagged OK, NO or BAD ends a command; "*" lines are data.
    std::string line = field_text(e, "line");
    auto space = line.find(' ');
    std::string status = space == std::string::npos ? "" : line.substr(space + 1, line.find(' ', space + 1) - space - 1);
    row.look = status == "NO" ? tone::temp : status == "BAD" ? tone::perm : tone::ok;
    row.label = clip(line);
    row.key = std::string(line.starts_with("* ") ? "r*" : "r") + status + "|" + row.from;
    ++b.replies;
    if (row.look != tone::ok) note_refusal(b, row.label, row.look);
  } else if (name == "smtp.data") {
    row.look = tone::data;
    row.label = fmt::format("message content: {} bytes, {} lines, then \".\"", field_text(e, "bytes"), field_text(e, "lines"));
  } else if (name == "net.connect") {
    row.look = tone::connect;
    row.label = clip("connect :" + field_text(e, "port"));
  } else if (name == "net.close" || name == "net.reset") {
    bool reset = name == "net.reset";
    row.look = reset ? tone::perm : tone::close;
    row.label = reset ? "connection reset" : "close";
    if (reset) note_refusal(b, "connection reset", tone::perm);
    push(b, std::move(row));
    end_session(b, field_int(e, "t"));
    return;
  } else {
    if (!row_for_event(e, row)) return;
    if (name == "lda.deliver") ++b.filed;
  }
  push(b, std::move(row));
}

seq_block* sequence_model::block_for_free(const json_event& e, const std::string& name, bool is_dns) {
  std::string host = field_text(e, "host");
  std::int64_t t = field_int(e, "t");
  // The server's own lookups and decisions while it takes a message belong
  // to that session (the PTR lookup at connect, the queueing before 250).
  bool server_side = is_dns || name == "queue.enqueue" || name == "lda.deliver" || name == "lda.reject";
  if (server_side) {
    for (auto it = open_.rbegin(); it != open_.rend(); ++it) {
      seq_block& s = blocks_[*it];
      if (s.server == host && s.accepting) {
        if (name == "queue.enqueue" && s.protocol != "LMTP") s.accepting = false;
        return &s;
      }
    }
  }
  seq_block* last = blocks_.empty() ? nullptr : &blocks_.back();
  if (is_dns) {
    if (last && last->kind == block_kind::dns && last->client == host && t - last->end <= dns_group_ms) return last;
    seq_block* b = new_block(block_kind::dns, t);
    if (b) {
      b->client = host;
      b->server = dns_lane;
    }
    return b;
  }
  if (last && last->kind == block_kind::rows && t - last->end < block_gap_ms) return last;
  return new_block(block_kind::rows, t);
}

void sequence_model::add_free_event(const json_event& e, const std::string& name) {
  seq_row row;
  if (!row_for_event(e, row)) return;
  seq_block* b = block_for_free(e, name, name == "dns.query" || name == "dns.answer");
  if (!b) {
    drop(row.t);
    return;
  }
  if (b->kind == block_kind::session && name == "lda.deliver") ++b->filed;
  push(*b, std::move(row));
}

void sequence_model::add(const json_event& e) {
  std::string name = field_text(e, "event");
  std::int64_t t = field_int(e, "t");
  last_t_ = std::max(last_t_, t);
  if (name.starts_with("expect.") || name == "sim.start" || name == "sim.end" || name == "mua.submit") return;
  std::string session = field_text(e, "session");
  if (session.empty()) {
    add_free_event(e, name);
    return;
  }
  seq_block* b = session_block(e, session, name);
  if (!b) {
    drop(t);
    return;
  }
  add_session_event(*b, e, name);
}

void sequence_model::finish() {
  for (std::size_t i : open_) {
    blocks_[i].open = false;
    blocks_[i].end = std::max(blocks_[i].end, blocks_[i].start);
  }
  open_.clear();
}

}  // namespace sim::report
