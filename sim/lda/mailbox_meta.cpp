// sim/lda/mailbox_meta.cpp - the durable record of one mailbox's folders and flags.
#include "sim/lda/mailbox_meta.hpp"

#include <charconv>
#include <chrono>
#include <iterator>
#include <vector>

#include <fmt/format.h>

namespace sim::lda {

namespace {

std::string escape(std::string_view text) {
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 32 || c >= 127 || c == '%') out += fmt::format("%{:02X}", c);
    else out += ch;
  }
  return out;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    int hi = hex(text[i + 1]), lo = hex(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    std::size_t end = line.find(' ', i);
    if (end == std::string_view::npos) end = line.size();
    if (end > i) out.push_back(line.substr(i, end - i));
    i = end + 1;
  }
  return out;
}

template <typename T>
bool number(std::string_view text, T& out) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && p == text.data() + text.size();
}

std::int64_t millis(wall_time t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

bool parse_folder(const std::vector<std::string_view>& w, parsed_meta& out) {
  if (w.size() != 7) return false;
  mailbox_store::folder_data f;
  int use = 0;
  if (!number(w[1], f.id) || !number(w[2], f.uidvalidity) || !number(w[3], f.uidnext) ||
      !number(w[4], f.first_recent_uid) || !number(w[5], use) || use < 0 ||
      use > static_cast<int>(imap::special_use::archive))
    return false;
  f.use = static_cast<imap::special_use>(use);
  auto name = unescape(w[6]);
  if (!name || name->empty()) return false;
  out.folders[*name] = std::move(f);
  return true;
}

bool parse_message(const std::vector<std::string_view>& w, parsed_meta& out) {
  std::uint32_t id = 0, uid = 0;
  std::int64_t ms = 0;
  if (w.size() < 4 || !number(w[1], id) || !number(w[2], uid) || !number(w[3], ms)) return false;
  meta_message m;
  m.internal_date = wall_time{std::chrono::duration_cast<wall_time::duration>(std::chrono::milliseconds(ms))};
  for (std::size_t i = 4; i < w.size(); ++i) m.flags.emplace_back(w[i]);
  out.messages[{id, uid}] = std::move(m);
  return true;
}

bool parse_line(std::string_view line, parsed_meta& out) {
  auto w = words(line);
  if (w.empty()) return true;
  if (w[0] == "next")
    return w.size() == 3 && number(w[1], out.next_uidvalidity) && number(w[2], out.next_folder_id);
  if (w[0] == "folder") return parse_folder(w, out);
  if (w[0] == "message") return parse_message(w, out);
  if (w[0] == "log") return w.size() == 2 && number(w[1], out.log_generation);
  if (w[0] == "subscribe" && w.size() == 2) {
    auto name = unescape(w[1]);
    if (!name) return false;
    out.subscriptions.insert(*name);
    return true;
  }
  return false;
}

}  // namespace

void append_meta_message(std::string& out, std::uint32_t folder_id, const stored_message& m) {
  fmt::format_to(std::back_inserter(out), "message {} {} {}", folder_id, m.number, millis(m.internal_date));
  for (const auto& flag : m.flags) {
    out += ' ';
    out += flag;
  }
  out += '\n';
}

std::string format_meta(const mailbox_store::mailbox_data& box, std::uint64_t generation) {
  std::string out = "mailsim-mailbox 1\n";
  auto to = std::back_inserter(out);
  fmt::format_to(to, "next {} {}\n", box.next_uidvalidity, box.next_folder_id);
  for (const auto& [name, f] : box.folders)
    fmt::format_to(to, "folder {} {} {} {} {} {}\n", f.id, f.uidvalidity, f.uidnext, f.first_recent_uid,
                   static_cast<int>(f.use), escape(name));
  for (const auto& [name, f] : box.folders)
    for (const auto& m : f.messages) append_meta_message(out, f.id, m);
  for (const auto& s : box.subscriptions) out += "subscribe " + escape(s) + "\n";
  if (generation) fmt::format_to(to, "log {}\n", generation);
  return out;
}

std::string format_meta_log(std::uint64_t generation, std::string_view lines) {
  std::string out = fmt::format("log {}\n", generation);
  out += lines;
  return out;
}

std::optional<parsed_meta> parse_meta(std::string_view text) {
  constexpr std::string_view magic = "mailsim-mailbox 1\n";
  if (!text.starts_with(magic)) return std::nullopt;
  text.remove_prefix(magic.size());
  parsed_meta out;
  while (!text.empty()) {
    auto end = text.find('\n');
    if (end == std::string_view::npos) return std::nullopt;  // a torn record
    if (!parse_line(text.substr(0, end), out)) return std::nullopt;
    text.remove_prefix(end + 1);
  }
  if (!out.folders.contains("INBOX")) return std::nullopt;
  return out;
}

bool parse_meta_log(std::string_view text, std::uint64_t generation, parsed_meta& out) {
  parsed_meta entry;
  entry.log_generation = generation + 1;  // not yet read
  int lines = 0;
  while (!text.empty()) {
    auto end = text.find('\n');
    if (end == std::string_view::npos) return false;  // a torn entry
    auto w = words(text.substr(0, end));
    bool ok = ++lines == 1 ? w.size() == 2 && w[0] == "log" && number(w[1], entry.log_generation)
                           : !w.empty() && w[0] == "message" && parse_message(w, entry);
    if (!ok) return false;
    text.remove_prefix(end + 1);
  }
  if (entry.log_generation != generation) return false;
  for (auto& [k, m] : entry.messages) out.messages[k] = std::move(m);
  return true;
}

}  // namespace sim::lda
