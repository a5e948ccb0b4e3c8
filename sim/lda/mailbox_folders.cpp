// sim/lda/mailbox_folders.cpp - the LDA's mailboxes as an imap::mail_store:
// folders, flags, UIDs, subscriptions, \Recent and quota (mail_store.hpp
// states the contract).  Every change is written in the background
// (mailbox_store.cpp) and announced with notify().
#include <algorithm>

#include <fmt/format.h>

#include "sim/imap/limits.hpp"
#include "sim/imap/mailbox_name.hpp"
#include "sim/lda/mailbox_store.hpp"

namespace sim::lda {

namespace {

using imap::store_status;

bool under(std::string_view name, std::string_view parent) {
  return name.size() > parent.size() && name.starts_with(parent) && name[parent.size()] == imap::hierarchy_delimiter;
}

bool too_many_keywords(const imap::flag_list& flags) {
  return imap::keywords_of(flags).size() > imap::limits::keywords_per_message;
}

std::vector<std::uint32_t> sorted(std::vector<std::uint32_t> uids) {
  std::sort(uids.begin(), uids.end());
  return uids;
}

bool contains(const std::vector<std::uint32_t>& sorted_uids, std::uint32_t uid) {
  return std::binary_search(sorted_uids.begin(), sorted_uids.end(), uid);
}

template <typename List>
auto find_uid(List& list, std::uint32_t uid) {
  auto it = std::lower_bound(list.begin(), list.end(), uid,
                             [](const stored_message& m, std::uint32_t u) { return m.number < u; });
  return it != list.end() && it->number == uid ? it : list.end();
}

}  // namespace

bool mailbox_store::make_folder(mailbox_data& box, std::string_view name) {
  std::vector<std::string> missing;
  for (std::optional<std::string> n = std::string(name); n; n = imap::parent_name(*n))
    if (!box.folders.contains(*n)) missing.push_back(*n);
  if (box.folders.size() + missing.size() > imap::limits::folders_per_user) return false;
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    auto& f = box.folders[*it];
    f.id = box.next_folder_id++;
    f.uidvalidity = box.next_uidvalidity++;
  }
  return true;
}

bool mailbox_store::has_room(const mailbox_data& box, std::uint64_t more) const {
  return !box.settings.quota || used_bytes(box.address) + more <= *box.settings.quota;
}

// The record first (it holds the folder's next UID), then the file: a
// crash between them loses the message, never reuses its UID.
std::uint32_t mailbox_store::add_message(mailbox_data& box, folder_data& f, stored_message m) {
  m.number = f.uidnext++;
  m.uid = fmt::format("{:08}", m.number);
  write_meta(box);
  if (!keep_bodies_) m.raw.clear();
  write(message_name(box, f, m.number), keep_bodies_ ? m.raw : std::to_string(m.size));
  box.used += m.size;
  f.messages.push_back(std::move(m));
  return f.messages.back().number;
}

// The oldest messages (retention's drop, a POP3 session that deleted from the
// top) come off the front in O(removed); others are searched for.
void mailbox_store::remove_messages(mailbox_data& box, folder_data& f, const std::vector<std::uint32_t>& sorted_uids) {
  std::vector<std::string> names;
  auto take = [&](const stored_message& m) {
    names.push_back(message_name(box, f, m.number));
    box.used -= m.size;
  };
  std::size_t front = 0;
  while (front < sorted_uids.size() && front < f.messages.size() && f.messages[front].number == sorted_uids[front])
    ++front;
  if (front == sorted_uids.size()) {
    for (std::size_t i = 0; i < front; ++i) take(f.messages[i]);
    f.messages.erase(f.messages.begin(), f.messages.begin() + static_cast<std::ptrdiff_t>(front));
  } else {
    f.messages.erase_if([&](const stored_message& m) {
      bool gone = contains(sorted_uids, m.number);
      if (gone) take(m);
      return gone;
    });
  }
  if (names.empty()) return;
  // RFC 1939 section 7: INBOX's next UID is kept for POP3's sake too.
  if (f.id == 0) write(next_uid_name(box), fmt::format("{:08}", f.uidnext));
  write_meta(box);
  for (auto& n : names) remove(std::move(n));
  for (const auto& [name, folder] : box.folders)
    if (&folder == &f) notify(box.address, name);
}

std::optional<std::string> mailbox_store::authenticate(std::string_view user, std::string_view password) const {
  if (!check_password(user, password)) return std::nullopt;
  return find(user)->address;
}

std::vector<imap::folder_info> mailbox_store::folders(std::string_view user) const {
  std::vector<imap::folder_info> out;
  if (const mailbox_data* box = find(user))
    for (const auto& [name, f] : box->folders) out.push_back({name, f.use});
  return out;
}

std::optional<imap::folder_status> mailbox_store::status(std::string_view user, std::string_view name) const {
  const folder_data* f = find(user, name);
  if (!f) return std::nullopt;
  return imap::folder_status{f->uidvalidity, f->uidnext, f->first_recent_uid};
}

store_status mailbox_store::create_folder(std::string_view user, std::string_view name) {
  mailbox_data* box = find(user);
  if (!box) return store_status::nonexistent;
  if (box->folders.contains(name)) return store_status::already_exists;
  if (!make_folder(*box, name)) return store_status::limit;
  write_meta(*box);
  notify(box->address, name);
  return store_status::ok;
}

store_status mailbox_store::delete_folder(std::string_view user, std::string_view name) {
  mailbox_data* box = find(user);
  if (!box || !box->folders.contains(name)) return store_status::nonexistent;
  if (imap::is_inbox(name)) return store_status::cannot;
  for (const auto& [other, f] : box->folders)
    if (under(other, name)) return store_status::has_children;
  auto node = box->folders.extract(box->folders.find(name));
  write_meta(*box);
  for (const auto& m : node.mapped().messages) {
    box->used -= m.size;
    remove(message_name(*box, node.mapped(), m.number));
  }
  notify(box->address, name);
  return store_status::ok;
}

store_status mailbox_store::rename_folder(std::string_view user, std::string_view from, std::string_view to) {
  mailbox_data* box = find(user);
  if (!box || !box->folders.contains(from)) return store_status::nonexistent;
  if (box->folders.contains(to)) return store_status::already_exists;
  if (under(to, from)) return store_status::cannot;
  if (imap::is_inbox(from)) {
    // RFC 9051 §6.3.6: INBOX's messages move to the new folder; INBOX
    // stays, empty.  Their files move too (INBOX's have fixed names).
    if (!make_folder(*box, to)) return store_status::limit;
    folder_data& source = box->folders.at(std::string(imap::inbox));
    folder_data& target = box->folders.at(std::string(to));
    std::vector<std::uint32_t> all;
    for (const auto& m : source.messages) all.push_back(m.number);
    if (auto copied = copy_into(*box, source, all, target); copied.status != store_status::ok) return copied.status;
    remove_messages(*box, source, all);
    notify(box->address, to);
    return store_status::ok;
  }
  std::vector<std::string> moving;
  for (const auto& [name, f] : box->folders)
    if (name == from || under(name, from)) moving.push_back(name);
  for (const auto& name : moving)
    if (box->folders.contains(std::string(to) + name.substr(from.size()))) return store_status::already_exists;
  auto parent = imap::parent_name(to);
  if (parent && !make_folder(*box, *parent)) return store_status::limit;
  for (const auto& name : moving) {
    auto node = box->folders.extract(name);
    node.key() = std::string(to) + name.substr(from.size());
    // A new name gets a new UIDVALIDITY (RFC 9051 §2.3.1.1); the id, and so
    // the files, stay.
    node.mapped().uidvalidity = box->next_uidvalidity++;
    auto renamed = node.key();
    box->folders.insert(std::move(node));
    notify(box->address, name);
    notify(box->address, renamed);
  }
  write_meta(*box);
  return store_status::ok;
}

std::vector<std::string> mailbox_store::subscriptions(std::string_view user) const {
  const mailbox_data* box = find(user);
  if (!box) return {};
  return {box->subscriptions.begin(), box->subscriptions.end()};
}

store_status mailbox_store::subscribe(std::string_view user, std::string_view name) {
  mailbox_data* box = find(user);
  if (!box || !box->folders.contains(name)) return store_status::nonexistent;
  if (box->subscriptions.insert(std::string(name)).second) write_meta(*box);
  return store_status::ok;
}

store_status mailbox_store::unsubscribe(std::string_view user, std::string_view name) {
  mailbox_data* box = find(user);
  if (!box) return store_status::nonexistent;
  auto it = box->subscriptions.find(name);
  if (it == box->subscriptions.end()) return store_status::nonexistent;
  box->subscriptions.erase(it);
  write_meta(*box);
  return store_status::ok;
}

std::vector<imap::message_info> mailbox_store::messages(std::string_view user, std::string_view name) const {
  std::vector<imap::message_info> out;
  if (const folder_data* f = find(user, name)) {
    out.reserve(f->messages.size());
    for (const auto& m : f->messages) out.push_back({m.number, m.flags, m.size, m.internal_date});
  }
  return out;
}

std::optional<std::string> mailbox_store::content(std::string_view user, std::string_view name,
                                                  std::uint32_t uid) const {
  const folder_data* f = find(user, name);
  if (!f) return std::nullopt;
  auto it = find_uid(f->messages, uid);
  if (it == f->messages.end()) return std::nullopt;
  return it->raw;
}

imap::append_outcome mailbox_store::append(std::string_view user, std::string_view name, std::string content,
                                           imap::flag_list flags, wall_time internal_date) {
  mailbox_data* box = find(user);
  folder_data* f = find(user, name);
  if (!box || !f) return {store_status::nonexistent};
  if (too_many_keywords(flags)) return {store_status::limit};
  if (!has_room(*box, content.size())) return {store_status::over_quota};
  std::uint64_t size = content.size();
  std::uint32_t uid =
      add_message(*box, *f, stored_message{{}, std::move(content), 0, std::move(flags), internal_date, size});
  notify(box->address, name);
  return {store_status::ok, f->uidvalidity, uid};
}

store_status mailbox_store::set_flags(std::string_view user, std::string_view name,
                                      const std::vector<imap::flag_update>& updates) {
  mailbox_data* box = find(user);
  folder_data* f = find(user, name);
  if (!box || !f) return store_status::nonexistent;
  for (const auto& u : updates)
    if (too_many_keywords(u.flags)) return store_status::limit;
  bool changed = false;
  for (const auto& u : updates) {
    auto it = find_uid(f->messages, u.uid);
    if (it != f->messages.end()) changed |= imap::replace_flags(it->flags, u.flags);
  }
  if (!changed) return store_status::ok;
  write_meta(*box);
  notify(box->address, name);
  return store_status::ok;
}

store_status mailbox_store::expunge(std::string_view user, std::string_view name,
                                    const std::vector<std::uint32_t>& uids) {
  mailbox_data* box = find(user);
  folder_data* f = find(user, name);
  if (!box || !f) return store_status::nonexistent;
  remove_messages(*box, *f, sorted(uids));
  return store_status::ok;
}

imap::copy_outcome mailbox_store::copy_into(mailbox_data& box, folder_data& source,
                                            const std::vector<std::uint32_t>& uids, folder_data& target) {
  auto wanted = sorted(uids);
  std::vector<stored_message> copies;
  std::uint64_t octets = 0;
  for (const auto& m : source.messages) {
    if (!contains(wanted, m.number)) continue;
    copies.push_back(m);
    octets += m.size;
  }
  if (!has_room(box, octets)) return imap::copy_outcome{store_status::over_quota, 0, {}, {}};
  imap::copy_outcome out{store_status::ok, target.uidvalidity, {}, {}};
  const bool reported = on_junk_report_ && target.use == imap::special_use::junk && source.use != imap::special_use::junk;
  for (auto& m : copies) {
    if (reported) on_junk_report_(box.address, m.raw);
    out.source_uids.push_back(m.number);
    out.target_uids.push_back(add_message(box, target, std::move(m)));
  }
  return out;
}

imap::copy_outcome mailbox_store::copy(std::string_view user, std::string_view from,
                                       const std::vector<std::uint32_t>& uids, std::string_view to) {
  mailbox_data* box = find(user);
  folder_data* source = find(user, from);
  folder_data* target = find(user, to);
  if (!box || !source || !target) return imap::copy_outcome{store_status::nonexistent, 0, {}, {}};
  auto out = copy_into(*box, *source, uids, *target);
  if (out.status == store_status::ok && !out.target_uids.empty()) notify(box->address, to);
  return out;
}

// RFC 6851 §3.3: the copy and the expunge as one change.  (The quota
// counts the copies before the originals go, as Dovecot does.)
imap::copy_outcome mailbox_store::move(std::string_view user, std::string_view from,
                                       const std::vector<std::uint32_t>& uids, std::string_view to) {
  mailbox_data* box = find(user);
  folder_data* source = find(user, from);
  folder_data* target = find(user, to);
  if (!box || !source || !target) return imap::copy_outcome{store_status::nonexistent, 0, {}, {}};
  auto out = copy_into(*box, *source, uids, *target);
  if (out.status != store_status::ok || out.source_uids.empty()) return out;
  remove_messages(*box, *source, out.source_uids);
  notify(box->address, to);
  return out;
}

std::uint32_t mailbox_store::claim_recent(std::string_view user, std::string_view name) {
  folder_data* f = find(user, name);
  if (!f) return 0;
  auto first = std::exchange(f->first_recent_uid, f->uidnext);
  if (first != f->uidnext) write_meta(*find(user));
  return first;
}

}  // namespace sim::lda
