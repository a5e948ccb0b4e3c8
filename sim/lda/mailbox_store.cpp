// sim/lda/mailbox_store.cpp - mailboxes over the durable store: delivery,
// POP3, recovery and the background writer.
#include "sim/lda/mailbox_store.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "sim/imap/date.hpp"
#include "sim/imap/mailbox_name.hpp"
#include "sim/lda/mailbox_meta.hpp"
#include "sim/message/message.hpp"
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

// A UID in a store name: 1 to 10 digits that fit 32 bits, not 0.
std::optional<std::uint32_t> uid_of(std::string_view text) {
  if (text.empty() || text.size() > 10 || text.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  auto n = std::strtoull(std::string(text).c_str(), nullptr, 10);
  if (n == 0 || n > 0xFFFFFFFFull) return std::nullopt;
  return static_cast<std::uint32_t>(n);
}


// A flush() waiter goes on from its own executor, never inside the caller.
void resume_later(mailbox_store::flush_waiter w) {
  asio::post(w.executor, [h = std::move(w.handler)] { std::move(*h)(); });
}

// A message found in the store without a record of its INTERNALDATE (the
// host died within the record's write): the day of its Date: field.
wall_time fallback_date(const std::string& raw) {
  auto msg = message::message::parse(raw);
  if (auto value = msg.get("Date"))
    if (auto day = imap::header_date(*value)) return wall_time{std::chrono::duration_cast<wall_time::duration>(day->time_since_epoch())};
  return wall_time{};
}

}  // namespace

std::string mailbox_store::key(std::string_view address) {
  auto box = smtp::parse_mailbox(address);
  return message::to_lower(box ? box->text() : address);
}

std::string mailbox_store::message_name(const mailbox_data& box, const folder_data& f, std::uint32_t uid) {
  if (f.id == 0) return fmt::format("mbox/{}/{:08}", box.stored_name, uid);
  return fmt::format("mbox-folder/{}/{}/{:08}", box.stored_name, f.id, uid);
}

std::string mailbox_store::next_uid_name(const mailbox_data& box) {
  return "mbox-next/" + box.stored_name;
}

std::string mailbox_store::meta_name(const mailbox_data& box) {
  return "mbox-meta/" + box.stored_name;
}

std::string mailbox_store::log_prefix(const mailbox_data& box) {
  return "mbox-meta-log/" + box.stored_name + "/";
}

mailbox_store::mailbox_data* mailbox_store::find(std::string_view address) {
  return const_cast<mailbox_data*>(std::as_const(*this).find(address));
}

const mailbox_store::mailbox_data* mailbox_store::find(std::string_view address) const {
  if (auto hit = found_.find(address); hit != found_.end()) return hit->second;
  auto it = boxes_.find(key(address));
  if (it == boxes_.end()) return nullptr;
  auto* box = const_cast<mailbox_data*>(&it->second);
  found_.emplace(std::string(address), box);
  return box;
}

mailbox_store::folder_data* mailbox_store::find(std::string_view address, std::string_view name) {
  mailbox_data* box = find(address);
  if (!box) return nullptr;
  auto it = box->folders.find(name);
  return it == box->folders.end() ? nullptr : &it->second;
}

const mailbox_store::folder_data* mailbox_store::find(std::string_view address, std::string_view name) const {
  const mailbox_data* box = find(address);
  if (!box) return nullptr;
  auto it = box->folders.find(name);
  return it == box->folders.end() ? nullptr : &it->second;
}

// INBOX (folder id 0) and the defaults, numbered in order: the same ids and
// UIDVALIDITYs every time, so a mailbox that never changed its folders
// needs no record to be recovered.
void mailbox_store::reset_folders(mailbox_data& box) {
  box.folders.clear();
  box.subscriptions.clear();
  std::uint32_t n = 0;
  for (const auto& [name, use] : imap::default_folders) {
    auto& f = box.folders[std::string(name)];
    f.id = n;
    f.use = use;
    f.uidvalidity = n + 1;
    box.subscriptions.insert(std::string(name));
    ++n;
  }
  box.next_folder_id = n;
  box.next_uidvalidity = n + 1;
}

void mailbox_store::add_mailbox(const std::string& address, mailbox_settings settings) {
  std::string k = key(address);
  auto& box = boxes_[k];
  box.address = address;
  box.key = k;
  // A campaign asks for most mailboxes once: found at the first asking.
  found_.emplace(address, &box);
  found_.emplace(k, &box);
  box.stored_name = name_component(k);
  box.settings = std::move(settings);
  if (box.folders.empty()) reset_folders(box);
}

bool mailbox_store::exists(std::string_view address) const { return find(address) != nullptr; }

std::vector<std::string> mailbox_store::addresses() const {
  std::vector<std::string> out;
  for (const auto& [k, box] : boxes_) out.push_back(box.address);
  return out;
}

std::optional<std::uint64_t> mailbox_store::quota(std::string_view address) const {
  const mailbox_data* box = find(address);
  return box ? box->settings.quota : std::nullopt;
}

std::uint64_t mailbox_store::used_bytes(std::string_view address) const {
  const mailbox_data* box = find(address);
  return box ? box->used : 0;
}

const message_list& mailbox_store::messages(std::string_view address) const {
  return folder_messages(address, imap::inbox);
}

const message_list& mailbox_store::folder_messages(std::string_view address, std::string_view folder) const {
  static const message_list none;
  const folder_data* f = find(address, folder);
  return f ? f->messages : none;
}

bool mailbox_store::has_folder(std::string_view address, std::string_view folder) const {
  return find(address, folder) != nullptr;
}

asio::awaitable<std::string> mailbox_store::deliver(std::string address, std::string raw, std::string folder,
                                                    wall_time when) {
  std::uint64_t size = raw.size();
  if (!keep_bodies_) raw.clear();
  co_return co_await file(std::move(address), std::move(raw), size, std::move(folder), when);
}

asio::awaitable<std::string> mailbox_store::deliver_counted(std::string address, std::uint64_t size, std::string folder,
                                                            wall_time when) {
  co_return co_await file(std::move(address), std::string(), size, std::move(folder), when);
}

// Without bodies the store holds the size as decimal text.
asio::awaitable<std::string> mailbox_store::file(std::string address, std::string raw, std::uint64_t size,
                                                 std::string folder, wall_time when) {
  mailbox_data* box = find(address);
  folder_data* f = box ? find(address, folder) : nullptr;
  if (!f) throw storage::store_error(storage::make_error_code(storage::store_errc::bad_name), address + " " + folder);
  std::uint32_t number = f->uidnext++;
  std::uint32_t id = f->id;
  std::string name = message_name(*box, *f, number);
  // A named value: GCC destroys a ?: temporary inside co_await twice.
  std::string stored = keep_bodies_ ? raw : std::to_string(size);
  co_await store_.put(name, std::move(stored));
  // The index may have changed meanwhile (a restart, a rename): look the
  // folder up again, by its id.
  std::string uid = fmt::format("{:08}", number);
  mailbox_data* now = find(address);
  auto it = now ? std::find_if(now->folders.begin(), now->folders.end(), [&](const auto& e) { return e.second.id == id; })
                : decltype(now->folders.end()){};
  if (!now || it == now->folders.end()) {
    remove(std::move(name));  // its folder was deleted while it was written
    co_return uid;
  }
  auto& list = it->second.messages;
  auto pos = std::lower_bound(list.begin(), list.end(), number,
                              [](const stored_message& m, std::uint32_t n) { return m.number < n; });
  pos = list.insert(pos, stored_message{uid, std::move(raw), number, {}, when, size});
  now->used += size;
  log_message(*now, it->second, *pos);
  notify(now->address, it->first);
  apply_retention(*now);
  co_return uid;
}

asio::awaitable<void> mailbox_store::recover() {
  for (auto& [k, box] : boxes_) co_await recover(box);
}

asio::awaitable<void> mailbox_store::recover(mailbox_data& box) {
  box.locked = false;
  box.used = 0;
  reset_folders(box);
  std::map<std::pair<std::uint32_t, std::uint32_t>, meta_message> details;
  std::uint64_t generation = 0;
  if (auto text = co_await store_.get(meta_name(box)))
    if (auto meta = parse_meta(*text)) {
      box.folders = std::move(meta->folders);
      box.subscriptions = std::move(meta->subscriptions);
      box.next_uidvalidity = meta->next_uidvalidity;
      box.next_folder_id = meta->next_folder_id;
      details = std::move(meta->messages);
      generation = meta->log_generation;
    }
  parsed_meta journal;
  co_await recover_log(box, generation, journal);
  for (auto& [k, m] : journal.messages) details[k] = std::move(m);
  std::map<std::uint32_t, folder_data*> by_id;
  for (auto& [name, f] : box.folders) by_id[f.id] = &f;
  if (auto kept = co_await store_.get(next_uid_name(box)); kept && uid_of(*kept))
    by_id[0]->uidnext = std::max(by_id[0]->uidnext, *uid_of(*kept));
  std::string k = box.stored_name;
  auto inbox_names = co_await store_.list("mbox/" + k + "/");
  auto other_names = co_await store_.list("mbox-folder/" + k + "/");
  inbox_names.insert(inbox_names.end(), other_names.begin(), other_names.end());
  for (const auto& name : inbox_names) {
    std::string_view rest = std::string_view(name).substr(name.find('/', name.find('/') + 1) + 1);
    std::uint32_t id = 0;
    if (name.starts_with("mbox-folder/")) {
      auto slash = rest.find('/');
      auto parsed = uid_of(rest.substr(0, slash));
      if (slash == std::string_view::npos || !parsed) continue;
      id = *parsed;
      rest = rest.substr(slash + 1);
    }
    auto number = uid_of(rest);
    auto f = by_id.find(id);
    if (!number || f == by_id.end()) continue;  // a folder deleted before its messages went
    auto data = co_await store_.get(name);
    if (!data) continue;
    std::uint64_t size = keep_bodies_ ? data->size() : std::strtoull(data->c_str(), nullptr, 10);
    stored_message m{fmt::format("{:08}", *number), keep_bodies_ ? std::move(*data) : std::string(), *number, {}, {},
                     size};
    if (auto d = details.find({id, *number}); d != details.end()) {
      m.flags = std::move(d->second.flags);
      m.internal_date = d->second.internal_date;
    } else if (keep_bodies_) {
      m.internal_date = fallback_date(m.raw);
    }
    box.used += size;
    f->second->uidnext = std::max(f->second->uidnext, *number + 1);
    f->second->messages.push_back(std::move(m));
  }
  for (auto& [id, f] : by_id)
    std::sort(f->messages.begin(), f->messages.end(),
              [](const stored_message& a, const stored_message& b) { return a.number < b.number; });
  apply_retention(box);
}

// The record's journal (mailbox_meta.hpp): the entries of the record's
// generation add to it.  The next delivery rewrites the record, so that
// entries are never written for a generation this run did not start.
asio::awaitable<void> mailbox_store::recover_log(mailbox_data& box, std::uint64_t generation, parsed_meta& out) {
  auto names = co_await store_.list(log_prefix(box));
  box.log_generation = generation;
  box.log_entries = names.empty() && generation == 0 ? 0 : std::numeric_limits<std::size_t>::max();
  for (const auto& name : names)
    if (auto text = co_await store_.get(name)) parse_meta_log(*text, generation, out);  // others add nothing
}

void mailbox_store::crash() {
  for (auto& [k, box] : boxes_) {
    for (auto& [name, f] : box.folders) f.messages.clear();
    box.used = 0;
    box.locked = false;
    box.record_due = false;
    box.log_lines.clear();
  }
  ++generation_;
  queue_.clear();
  meta_queued_.clear();
  writing_ = false;
  writes_done_ = writes_started_;
  auto waiters = std::move(flush_waiters_);
  flush_waiters_.clear();
  for (auto& w : waiters) resume_later(std::move(w));
}

bool mailbox_store::check_password(std::string_view user, std::string_view password) const {
  const mailbox_data* box = find(user);
  if (!box || !box->settings.login) return false;
  return !box->settings.password || *box->settings.password == password;
}

bool mailbox_store::try_lock(std::string_view user) {
  mailbox_data* box = find(user);
  if (!box || box->locked) return false;
  box->locked = true;
  return true;
}

void mailbox_store::unlock(std::string_view user) {
  mailbox_data* box = find(user);
  if (!box) return;
  box->locked = false;
  apply_retention(*box);  // what arrived during the session
}

std::vector<pop3::maildrop_message> mailbox_store::open(std::string_view user) {
  std::vector<pop3::maildrop_message> out;
  for (const auto& m : messages(user)) out.push_back({m.uid, m.raw});
  return out;
}

// RFC 1939 section 6: the UPDATE state removes the messages marked deleted.
void mailbox_store::commit(std::string_view user, const std::vector<std::string>& deleted_uids) {
  mailbox_data* box = find(user);
  if (!box) return;
  std::vector<std::uint32_t> doomed;
  for (const auto& u : deleted_uids)
    if (auto n = uid_of(u)) doomed.push_back(*n);
  std::sort(doomed.begin(), doomed.end());
  remove_messages(*box, box->folders.at(std::string(imap::inbox)), doomed);
}

// The background writer: one coroutine at a time runs the queued
// operations in order, so a record is never overwritten by an older one and
// a message's file goes only after the record that no longer lists it.
void mailbox_store::write_meta(mailbox_data& box) {
  box.record_due = true;
  box.log_lines.clear();
  queue_meta(box);
}

// A delivery's line alone, in the record's journal, once the mailbox holds
// enough messages that rewriting them all would cost more than the entry;
// the record is rewritten when the journal has a quarter as many entries
// as the mailbox has messages, so each delivery costs about five lines and
// the journal's slots stay a quarter of the mailbox.
void mailbox_store::log_message(mailbox_data& box, const folder_data& f, const stored_message& m) {
  constexpr std::size_t journal_from = 16;  // messages in the mailbox
  std::size_t count = 0;
  for (const auto& [name, folder] : box.folders) count += folder.messages.size();
  if (count < journal_from || box.log_entries >= count / 4 || box.record_due) {
    write_meta(box);  // a record already queued lists this message too
    return;
  }
  append_meta_message(box.log_lines, f.id, m);
  queue_meta(box);
}

// One write at a time queued per mailbox, decided when it starts: the
// record if anything but deliveries changed, else one journal entry of
// every delivery since.  So the journal costs no more writes (nor other
// timings) than rewriting the record each time did.
void mailbox_store::queue_meta(mailbox_data& box) {
  // Mailboxes are never removed from boxes_: the pointer stays valid.
  mailbox_data* b = &box;
  if (!meta_queued_.insert(b).second) return;  // the queued write will see this change too
  background([this, b]() {
    meta_queued_.erase(b);
    mailbox_data& box = *b;
    if (!box.record_due && !box.log_lines.empty()) {
      std::string text = format_meta_log(box.log_generation, box.log_lines);
      box.log_lines.clear();
      return store_.put(fmt::format("{}{:08}", log_prefix(box), box.log_entries++), std::move(text));
    }
    // The journal so far is in this record: a new generation starts, whose
    // entries overwrite the old ones' slots (those left over do not count).
    box.record_due = false;
    box.log_lines.clear();
    if (box.log_entries > 0 || box.log_generation > 0) ++box.log_generation;
    box.log_entries = 0;
    return store_.put(meta_name(box), format_meta(box, box.log_generation));
  });
}

void mailbox_store::write(std::string name, std::string bytes) {
  background([this, n = std::move(name), b = std::move(bytes)]() { return store_.put(n, b); });
}

void mailbox_store::remove(std::string name) {
  background([this, n = std::move(name)]() { return store_.remove(n); });
}

void mailbox_store::background(std::function<asio::awaitable<void>()> op) {
  if (!tasks_) return;  // no host to write for (unit tests of the index alone)
  queue_.push_back(std::move(op));
  ++writes_started_;
  if (writing_) return;
  writing_ = true;
  tasks_->spawn(run_writes());
}

asio::awaitable<void> mailbox_store::run_writes() {
  const std::uint64_t generation = generation_;
  while (generation == generation_ && !queue_.empty()) {
    auto op = std::move(queue_.front());
    queue_.pop_front();
    try {
      co_await op();
    } catch (const storage::store_error&) {
      // The host died (crash() has reset the writer) or the disk refused:
      // the change stays in memory only, as a failed fsync leaves it.
    }
    if (generation != generation_) co_return;
    ++writes_done_;
    std::erase_if(flush_waiters_, [&](auto& w) {
      if (w.target > writes_done_) return false;
      resume_later(std::move(w));
      return true;
    });
  }
  if (generation == generation_) writing_ = false;
}

asio::awaitable<void> mailbox_store::flush() {
  if (writes_done_ >= writes_started_) co_return;
  flush_waiter w{writes_started_, co_await asio::this_coro::executor, {}};
  co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
      [this, &w](auto handler) {
        w.handler = std::make_shared<asio::any_completion_handler<void()>>(std::move(handler));
        flush_waiters_.push_back(std::move(w));
      },
      asio::use_awaitable);
}

void mailbox_store::set_retention(std::size_t per_mailbox, std::function<void(const dropped_message&)> on_drop) {
  retain_ = per_mailbox;
  on_drop_ = std::move(on_drop);
  for (auto& [k, box] : boxes_) apply_retention(box);
}

// Each folder keeps its newest `retain_` messages (the lowest UIDs go
// first).  remove_messages() keeps INBOX's next UID durable before any file
// goes, as for a POP3 deletion, so that a restart never hands a dropped UID
// out again; a removal that a power loss undoes brings the message back at
// the next start, where recovery drops it again.
void mailbox_store::apply_retention(mailbox_data& box) {
  if (!retain_ || box.locked) return;
  for (auto& [name, f] : box.folders) {
    if (f.messages.size() <= *retain_) continue;
    std::vector<std::uint32_t> doomed;
    for (std::size_t i = 0; i + *retain_ < f.messages.size(); ++i) {
      const stored_message& m = f.messages[i];
      ++box.dropped;
      if (on_drop_) on_drop_({box.address, m.uid, m.size, box.dropped, name});
      doomed.push_back(m.number);
    }
    remove_messages(box, f, doomed);
  }
}

}  // namespace sim::lda
