// sim/lda/mailbox_store.cpp - mailboxes over the durable store.
#include "sim/lda/mailbox_store.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "sim/message/text.hpp"
#include "sim/smtp/mailbox.hpp"

namespace sim::lda {

namespace {

// A store name component for an address: octets a file name should not
// hold ('/', '\\', '%', controls, space, non-ASCII) as %XX.  Ordinary
// addresses are unchanged.
std::string name_component(std::string_view text) {
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 32 || c >= 127 || c == '/' || c == '\\' || c == '%') out += fmt::format("%{:02X}", c);
    else out += ch;
  }
  return out;
}

// A kept next uid: 1 to 19 digits.
bool is_uid(std::string_view text) {
  return !text.empty() && text.size() < 20 && text.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

std::string mailbox_store::key(std::string_view address) {
  auto box = smtp::parse_mailbox(address);
  return message::to_lower(box ? box->text() : address);
}

std::string mailbox_store::store_name(const mailbox& box, const std::string& uid) {
  return "mbox/" + name_component(key(box.address)) + "/" + uid;
}

std::string mailbox_store::next_uid_name(const mailbox& box) { return "mbox-next/" + name_component(key(box.address)); }

mailbox_store::mailbox* mailbox_store::find(std::string_view address) {
  auto it = boxes_.find(key(address));
  return it == boxes_.end() ? nullptr : &it->second;
}

const mailbox_store::mailbox* mailbox_store::find(std::string_view address) const {
  auto it = boxes_.find(key(address));
  return it == boxes_.end() ? nullptr : &it->second;
}

void mailbox_store::add_mailbox(const std::string& address, mailbox_settings settings) {
  auto& box = boxes_[key(address)];
  box.address = address;
  box.settings = std::move(settings);
}

bool mailbox_store::exists(std::string_view address) const { return find(address) != nullptr; }

std::vector<std::string> mailbox_store::addresses() const {
  std::vector<std::string> out;
  for (const auto& [k, box] : boxes_) out.push_back(box.address);
  return out;
}

std::optional<std::uint64_t> mailbox_store::quota(std::string_view address) const {
  const mailbox* box = find(address);
  return box ? box->settings.quota : std::nullopt;
}

std::uint64_t mailbox_store::used_bytes(std::string_view address) const {
  const mailbox* box = find(address);
  return box ? box->used : 0;
}

const std::deque<stored_message>& mailbox_store::messages(std::string_view address) const {
  static const std::deque<stored_message> none;
  const mailbox* box = find(address);
  return box ? box->messages : none;
}

asio::awaitable<std::string> mailbox_store::deliver(std::string address, std::string raw) {
  if (!keep_bodies_) co_return co_await deliver_counted(std::move(address), raw.size());
  mailbox* box = find(address);
  if (!box) throw storage::store_error(storage::make_error_code(storage::store_errc::bad_name), address);
  std::string uid = fmt::format("{:08}", box->next_uid++);
  co_await store_.put(store_name(*box, uid), raw);
  // The index may have been rebuilt meanwhile (a crash and restart); look
  // the mailbox up again rather than trusting the pointer.
  if (mailbox* now = find(address)) {
    std::uint64_t size = raw.size();
    now->messages.push_back({uid, std::move(raw), size});
    now->used += size;
    apply_retention(*now);
  }
  co_return uid;
}

asio::awaitable<std::string> mailbox_store::deliver_counted(std::string address, std::uint64_t size) {
  mailbox* box = find(address);
  if (!box) throw storage::store_error(storage::make_error_code(storage::store_errc::bad_name), address);
  std::string uid = fmt::format("{:08}", box->next_uid++);
  co_await store_.put(store_name(*box, uid), std::to_string(size));
  if (mailbox* now = find(address)) {
    now->messages.push_back({uid, std::string(), size});
    now->used += size;
    apply_retention(*now);
  }
  co_return uid;
}

asio::awaitable<void> mailbox_store::recover() {
  for (auto& [k, box] : boxes_) {
    box.messages.clear();
    box.used = 0;
    box.locked = false;
    std::uint64_t next = 1;
    if (auto kept = co_await store_.get(next_uid_name(box)); kept && is_uid(*kept))
      next = std::strtoull(kept->c_str(), nullptr, 10);
    auto names = co_await store_.list("mbox/" + name_component(k) + "/");
    for (const auto& name : names) {
      auto data = co_await store_.get(name);
      if (!data) continue;
      std::string uid = name.substr(name.rfind('/') + 1);
      next = std::max<std::uint64_t>(next, std::strtoull(uid.c_str(), nullptr, 10) + 1);
      std::uint64_t size = keep_bodies_ ? data->size() : std::strtoull(data->c_str(), nullptr, 10);
      box.messages.push_back({uid, keep_bodies_ ? std::move(*data) : std::string(), size});
      box.used += size;
    }
    box.next_uid = next;
    apply_retention(box);
  }
}

void mailbox_store::crash() {
  for (auto& [k, box] : boxes_) {
    box.messages.clear();
    box.used = 0;
    box.locked = false;
  }
}

bool mailbox_store::check_password(std::string_view user, std::string_view password) const {
  const mailbox* box = find(user);
  if (!box || !box->settings.login) return false;
  return !box->settings.password || *box->settings.password == password;
}

bool mailbox_store::try_lock(std::string_view user) {
  mailbox* box = find(user);
  if (!box || box->locked) return false;
  box->locked = true;
  return true;
}

void mailbox_store::unlock(std::string_view user) {
  mailbox* box = find(user);
  if (!box) return;
  box->locked = false;
  apply_retention(*box);  // what arrived during the session
}

std::vector<pop3::maildrop_message> mailbox_store::open(std::string_view user) {
  std::vector<pop3::maildrop_message> out;
  if (const mailbox* box = find(user))
    for (const auto& m : box->messages) out.push_back({m.uid, m.raw});
  return out;
}

// RFC 1939 section 6: the UPDATE state removes the messages marked deleted.
void mailbox_store::commit(std::string_view user, const std::vector<std::string>& deleted_uids) {
  mailbox* box = find(user);
  if (!box) return;
  std::set<std::string> doomed(deleted_uids.begin(), deleted_uids.end());
  std::vector<std::string> names;
  std::erase_if(box->messages, [&](const stored_message& m) {
    bool gone = doomed.count(m.uid) > 0;
    if (gone) {
      names.push_back(store_name(*box, m.uid));
      box->used -= m.size;
    }
    return gone;
  });
  remove_keeping_next_uid(*box, std::move(names));
}

// The next uid is made durable before any message goes, so that the
// newest uid is never handed out again after a restart (RFC 1939 section 7).
void mailbox_store::remove_keeping_next_uid(const mailbox& box, std::vector<std::string> names) {
  if (!tasks_ || names.empty()) return;
  std::string next = fmt::format("{:08}", box.next_uid);
  tasks_->spawn([](storage::store& s, std::string counter, std::string value,
                   std::vector<std::string> victims) -> asio::awaitable<void> {
    co_await s.put(std::move(counter), std::move(value));
    for (auto& n : victims) co_await s.remove(n);
  }(store_, next_uid_name(box), std::move(next), std::move(names)));
}

void mailbox_store::set_retention(std::size_t per_mailbox, std::function<void(const dropped_message&)> on_drop) {
  retain_ = per_mailbox;
  on_drop_ = std::move(on_drop);
  for (auto& [k, box] : boxes_) apply_retention(box);
}

// Oldest first (in the order they were filed).  A removal that a power
// loss undoes brings the message back at the next start, where recovery
// drops it again.  When a dropped message has the highest uid left (filings
// may finish out of order), the next uid is kept first, as for a POP3
// deletion, so that a restart never hands that uid out again.
void mailbox_store::apply_retention(mailbox& box) {
  if (!retain_ || box.locked || box.messages.size() <= *retain_) return;
  std::vector<std::string> names;
  bool keep_next_uid = false;
  while (box.messages.size() > *retain_) {
    const stored_message& m = box.messages.front();
    auto higher = [&](const stored_message& other) { return other.uid > m.uid; };
    if (!higher(box.messages.back()) && std::none_of(box.messages.begin() + 1, box.messages.end(), higher))
      keep_next_uid = true;
    box.used -= m.size;
    ++box.dropped;
    if (on_drop_) on_drop_({box.address, m.uid, m.size, box.dropped});
    names.push_back(store_name(box, m.uid));
    box.messages.pop_front();
  }
  if (keep_next_uid) remove_keeping_next_uid(box, std::move(names));
  else remove_in_background(std::move(names));
}

void mailbox_store::remove_in_background(std::vector<std::string> names) {
  if (!tasks_ || names.empty()) return;
  tasks_->spawn([](storage::store& s, std::vector<std::string> victims) -> asio::awaitable<void> {
    for (auto& n : victims) co_await s.remove(n);
  }(store_, std::move(names)));
}

}  // namespace sim::lda
