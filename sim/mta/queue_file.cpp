// sim/mta/queue_file.cpp - queue file serialization (format in the header).
#include "sim/mta/queue_file.hpp"

#include "sim/core/hash.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/core/trace_jsonl.hpp"
#include "sim/mta/queue_id.hpp"

namespace sim::mta {

namespace {

using json = nlohmann::ordered_json;

constexpr std::string_view magic = "mailsim-queue 1 ";

// Any structural problem while reading; turned into nullopt at the top.
struct corrupt : std::runtime_error {
  using std::runtime_error::runtime_error;
};


// Enum <-> text tables; index = enum value.
constexpr std::array<std::string_view, 4> status_names{"pending", "delivered", "bounced", "deferred"};
constexpr std::array<std::string_view, 3> ret_names{"", "FULL", "HDRS"};
constexpr std::array<std::string_view, 3> body_names{"", "7BIT", "8BITMIME"};

template <typename Enum, std::size_t N>
Enum from_name(const std::array<std::string_view, N>& names, const std::string& text) {
  auto it = std::find(names.begin(), names.end(), text);
  if (it == names.end()) throw corrupt("unknown value " + text);
  return static_cast<Enum>(it - names.begin());
}

const json& field(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) throw corrupt(std::string("missing ") + key);
  return *it;
}

std::string text(const json& j, const char* key) {
  const auto& v = field(j, key);
  if (!v.is_string()) throw corrupt(std::string("not a string: ") + key);
  return v.get<std::string>();
}

std::int64_t integer(const json& j, const char* key) {
  const auto& v = field(j, key);
  if (!v.is_number_integer()) throw corrupt(std::string("not an integer: ") + key);
  return v.get<std::int64_t>();
}

bool flag(const json& j, const char* key) {
  const auto& v = field(j, key);
  if (!v.is_boolean()) throw corrupt(std::string("not a boolean: ") + key);
  return v.get<bool>();
}

// The header is written as JSON text directly (no JSON object is built):
// the same bytes nlohmann::ordered_json would dump, keys in this order.
class header_writer {
 public:
  explicit header_writer(std::string& out) : out_(out) {}
  // Keys are this file's own plain words: no escaping to look for.
  header_writer& key(std::string_view k) {
    out_ += first_ ? '{' : ',';
    first_ = false;
    out_ += '"';
    out_ += k;
    out_ += "\":";
    return *this;
  }
  void text(std::string_view v) { append_json_string(out_, v); }
  template <typename N>
  void number(N n) {
    char digits[24];
    out_.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
  }
  void null() { out_ += "null"; }
  void boolean(bool b) { out_ += b ? "true" : "false"; }
  void end() { out_ += first_ ? "{}" : "}"; }

 private:
  std::string& out_;
  bool first_ = true;
};

void write_notify(std::string& out, const notify_flags& n) {
  bool any = false;
  out += '[';
  for (auto [set, word] : {std::pair{n.never, "\"NEVER\""}, std::pair{n.success, "\"SUCCESS\""},
                           std::pair{n.failure, "\"FAILURE\""}, std::pair{n.delay, "\"DELAY\""}}) {
    if (!set) continue;
    if (any) out += ',';
    out += word;
    any = true;
  }
  out += ']';
}

notify_flags notify_from_json(const json& list) {
  if (!list.is_array()) throw corrupt("notify is not an array");
  notify_flags n;
  for (const auto& item : list) {
    if (!item.is_string()) throw corrupt("notify item is not a string");
    auto word = item.get<std::string>();
    bool* target = word == "NEVER" ? &n.never : word == "SUCCESS" ? &n.success
                 : word == "FAILURE" ? &n.failure : word == "DELAY" ? &n.delay : nullptr;
    if (!target || *target) throw corrupt("bad notify " + word);
    *target = true;
  }
  if (n.never && (n.success || n.failure || n.delay)) throw corrupt("NEVER with other NOTIFY values");
  return n;
}

void write_recipient(std::string& out, const recipient_state& r) {
  header_writer w(out);
  w.key("address").text(r.address);
  w.key("orcpt").text(r.orcpt);
  w.key("notify");
  write_notify(out, r.notify);
  w.key("status").text(status_names[static_cast<std::size_t>(r.status)]);
  w.key("attempts").number(r.attempts);
  w.key("last_reply").text(r.last_reply);
  w.key("enhanced_status").text(r.enhanced_status);
  w.key("remote_host").text(r.remote_host);
  w.key("diagnostic").text(r.diagnostic);
  w.key("phase").text(r.phase);
  if (r.next_attempt) w.key("next_attempt").number(millis(*r.next_attempt));
  else w.key("next_attempt").null();
  w.end();
}

recipient_state recipient_from_json(const json& j) {
  if (!j.is_object()) throw corrupt("recipient is not an object");
  recipient_state r;
  r.address = text(j, "address");
  r.orcpt = text(j, "orcpt");
  r.notify = notify_from_json(field(j, "notify"));
  r.status = from_name<rcpt_status>(status_names, text(j, "status"));
  auto attempts = integer(j, "attempts");
  if (attempts < 0 || attempts > max_recorded_attempts) throw corrupt("bad attempts");
  r.attempts = static_cast<int>(attempts);
  r.last_reply = text(j, "last_reply");
  r.enhanced_status = text(j, "enhanced_status");
  r.remote_host = text(j, "remote_host");
  // Added later: a file written before has neither.
  if (j.contains("diagnostic")) r.diagnostic = text(j, "diagnostic");
  if (j.contains("phase")) r.phase = text(j, "phase");
  if (!field(j, "next_attempt").is_null()) r.next_attempt = at_millis(integer(j, "next_attempt"));
  return r;
}

// `recipient(out, i)` writes the i-th recipient's JSON object.
template <typename RecipientWriter>
void write_header(std::string& out, const queue_file& f, RecipientWriter&& recipient) {
  header_writer w(out);
  w.key("queue_id").text(f.queue_id);
  w.key("arrival").number(millis(f.arrival));
  w.key("arrival_wall").number(f.arrival_wall.time_since_epoch().count());
  w.key("reverse_path").text(f.reverse_path);
  w.key("ret").text(ret_names[static_cast<std::size_t>(f.params.ret)]);
  w.key("envid").text(f.params.envid);
  if (f.params.size) w.key("size").number(*f.params.size);
  else w.key("size").null();
  w.key("body").text(body_names[static_cast<std::size_t>(f.params.body)]);
  w.key("warned").boolean(f.warned);
  w.key("recipients");
  out += '[';
  for (std::size_t i = 0; i < f.recipients.size(); ++i) {
    if (i) out += ',';
    recipient(out, i);
  }
  out += ']';
  w.key("message_size").number(f.message.size());
  w.end();
}

template <typename RecipientWriter>
std::string serialize_with(const queue_file& file, std::size_t recipients_size, RecipientWriter&& recipient) {
  constexpr std::size_t checksum_at = magic.size(), header_at = magic.size() + 16 + 1;
  std::string out;
  out.reserve(header_at + 512 + recipients_size + file.message.size());
  out.append(magic).append(16, '0').append(1, '\n');
  write_header(out, file, recipient);
  out += '\n';
  out += file.message;
  auto sum = fmt::format("{:016x}", fnv1a64(std::string_view(out).substr(header_at)));
  out.replace(checksum_at, 16, sum);
  return out;
}

// Reads the header; returns the declared message size.
std::size_t header_from_json(const json& j, queue_file& f) {
  if (!j.is_object()) throw corrupt("header is not an object");
  f.queue_id = text(j, "queue_id");
  if (!valid_queue_id(f.queue_id)) throw corrupt("bad queue id");
  f.arrival = at_millis(integer(j, "arrival"));
  f.arrival_wall = wall_time{duration{integer(j, "arrival_wall")}};
  f.reverse_path = text(j, "reverse_path");
  f.params.ret = from_name<dsn_ret>(ret_names, text(j, "ret"));
  f.params.envid = text(j, "envid");
  const auto& size = field(j, "size");
  if (!size.is_null() && !size.is_number_unsigned()) throw corrupt("bad size");
  if (size.is_number_unsigned()) f.params.size = size.get<std::uint64_t>();
  f.params.body = from_name<body_type>(body_names, text(j, "body"));
  f.warned = flag(j, "warned");
  const auto& recipients = field(j, "recipients");
  if (!recipients.is_array() || recipients.empty()) throw corrupt("no recipients");
  for (const auto& r : recipients) f.recipients.push_back(recipient_from_json(r));
  f.merge_duplicates();
  auto message_size = integer(j, "message_size");
  if (message_size < 0) throw corrupt("bad message size");
  return static_cast<std::size_t>(message_size);
}

}  // namespace

std::size_t queue_file::merge_duplicates() {
  std::set<std::string> seen;
  auto before = recipients.size();
  std::erase_if(recipients, [&](const recipient_state& r) { return !seen.insert(r.address).second; });
  return before - recipients.size();
}

recipient_state* queue_file::find_recipient(std::string_view address) {
  for (auto& r : recipients)
    if (r.address == address) return &r;
  return nullptr;
}

const recipient_state* queue_file::find_recipient(std::string_view address) const {
  for (const auto& r : recipients)
    if (r.address == address) return &r;
  return nullptr;
}

bool queue_file::finished() const {
  return std::none_of(recipients.begin(), recipients.end(), [](const recipient_state& r) {
    return r.status == rcpt_status::pending || r.status == rcpt_status::deferred;
  });
}

std::string queue_file_name(std::string_view queue_id) { return std::string(queue_prefix) + std::string(queue_id); }

std::string_view status_name(rcpt_status s) { return status_names[static_cast<std::size_t>(s)]; }

std::string serialize(const queue_file& file) {
  return serialize_with(file, 256 * file.recipients.size(),
                        [&](std::string& out, std::size_t i) { write_recipient(out, file.recipients[i]); });
}

std::string queue_file_writer::serialize(const queue_file& file) {
  if (written_.size() != file.recipients.size()) {
    written_.assign(file.recipients.size(), std::nullopt);
    json_.assign(file.recipients.size(), std::string());
    json_size_ = 0;
  }
  return serialize_with(file, json_size_ + 256, [&](std::string& out, std::size_t i) {
    const recipient_state& r = file.recipients[i];
    if (!written_[i] || !(*written_[i] == r)) {
      json_size_ -= json_[i].size();
      json_[i].clear();
      write_recipient(json_[i], r);
      json_size_ += json_[i].size();
      written_[i] = r;
    }
    out += json_[i];
  });
}

std::optional<queue_file> parse_queue_file(std::string_view bytes, std::string* why) {
  auto reject = [why](const char* reason) -> std::optional<queue_file> {
    if (why) *why = reason;
    return std::nullopt;
  };
  constexpr std::size_t first_line = magic.size() + 16 + 1;
  if (bytes.size() < first_line || !bytes.starts_with(magic) || bytes[first_line - 1] != '\n')
    return reject("not a mailsim queue file (bad first line)");
  auto rest = bytes.substr(first_line);
  if (fmt::format("{:016x}", fnv1a64(rest)) != bytes.substr(magic.size(), 16))
    return reject("checksum mismatch (damaged or cut short)");
  auto newline = rest.find('\n');
  if (newline == std::string_view::npos) return reject("no header line");
  auto header = json::parse(rest.substr(0, newline), nullptr, false);
  if (header.is_discarded()) return reject("the header is not JSON");
  queue_file file;
  try {
    auto message_size = header_from_json(header, file);
    if (rest.size() - newline - 1 != message_size) return reject("the message size does not match the header");
  } catch (const corrupt& e) {
    if (why) *why = std::string("bad header: ") + e.what();
    return std::nullopt;
  } catch (const nlohmann::json::exception&) {
    return reject("bad header");
  }
  file.message = std::string(rest.substr(newline + 1));
  return file;
}

recipient_lookup::recipient_lookup(const std::vector<recipient_state>& rcpts) : rcpts_(rcpts) {}

std::size_t recipient_lookup::find(std::string_view address) const {
  if (rcpts_.size() <= 8) {  // a short list is searched
    for (std::size_t i = 0; i < rcpts_.size(); ++i)
      if (rcpts_[i].address == address) return i;
    return npos;
  }
  if (!indexed_) {
    // Forward from the guess: a list in the file's order costs one pass.
    for (std::size_t i = next_; i < rcpts_.size(); ++i)
      if (rcpts_[i].address == address) return next_ = i + 1, i;
    for (std::size_t i = 0; i < rcpts_.size(); ++i) by_address_.try_emplace(rcpts_[i].address, i);
    indexed_ = true;
  }
  auto it = by_address_.find(address);
  if (it == by_address_.end()) return npos;
  next_ = it->second + 1;
  return it->second;
}

}  // namespace sim::mta
