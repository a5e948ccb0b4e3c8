// sim/imap/memory_mail_store.cpp - an in-memory mail store, for tests and small tools.
#include "sim/imap/memory_mail_store.hpp"

#include <algorithm>

#include "sim/imap/limits.hpp"
#include "sim/imap/mailbox_name.hpp"
#include "sim/message/text.hpp"

namespace sim::imap {

namespace {

bool under(std::string_view name, std::string_view parent) {
  return name.size() > parent.size() && name.starts_with(parent) && name[parent.size()] == hierarchy_delimiter;
}

bool too_many_keywords(const flag_list& flags) { return keywords_of(flags).size() > limits::keywords_per_message; }

std::vector<std::uint32_t> sorted(std::vector<std::uint32_t> uids) {
  std::sort(uids.begin(), uids.end());
  return uids;
}

bool contains(const std::vector<std::uint32_t>& sorted_uids, std::uint32_t uid) {
  return std::binary_search(sorted_uids.begin(), sorted_uids.end(), uid);
}

}  // namespace

memory_mail_store::account* memory_mail_store::find(std::string_view user) {
  auto it = accounts_.find(message::to_lower(user));
  return it == accounts_.end() ? nullptr : &it->second;
}

const memory_mail_store::account* memory_mail_store::find(std::string_view user) const {
  auto it = accounts_.find(message::to_lower(user));
  return it == accounts_.end() ? nullptr : &it->second;
}

memory_mail_store::folder* memory_mail_store::find(std::string_view user, std::string_view name) {
  account* a = find(user);
  if (!a) return nullptr;
  auto it = a->folders.find(name);
  return it == a->folders.end() ? nullptr : &it->second;
}

const memory_mail_store::folder* memory_mail_store::find(std::string_view user, std::string_view name) const {
  const account* a = find(user);
  if (!a) return nullptr;
  auto it = a->folders.find(name);
  return it == a->folders.end() ? nullptr : &it->second;
}

void memory_mail_store::add_user(const std::string& user, std::optional<std::string> password) {
  auto& a = accounts_[message::to_lower(user)];
  a.name = user;
  a.password = std::move(password);
  for (const auto& [name, use] : default_folders) {
    if (a.folders.contains(name)) continue;
    make_folder(a, name);
    a.folders[std::string(name)].use = use;
    a.subscriptions.insert(std::string(name));
  }
}

void memory_mail_store::set_quota(std::string_view user, std::optional<std::uint64_t> octets) {
  if (account* a = find(user)) a->quota = octets;
}

std::uint64_t memory_mail_store::used_bytes(std::string_view user) const {
  std::uint64_t total = 0;
  if (const account* a = find(user)) {
    for (const auto& [name, f] : a->folders) {
      for (const auto& m : f.messages) total += m.info.size;
    }
  }
  return total;
}

bool memory_mail_store::has_room(const account& a, std::uint64_t more) const {
  return !a.quota || used_bytes(a.name) + more <= *a.quota;
}

bool memory_mail_store::make_folder(account& a, std::string_view name) {
  std::vector<std::string> missing;
  for (std::optional<std::string> n = std::string(name); n; n = parent_name(*n)) {
    if (!a.folders.contains(*n)) missing.push_back(*n);
  }
  if (a.folders.size() + missing.size() > limits::folders_per_user) return false;
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) a.folders[*it].uidvalidity = a.next_uidvalidity++;
  return true;
}

std::uint32_t memory_mail_store::add_message(folder& f, message_info info, std::string content) {
  info.uid = f.uidnext++;
  info.size = content.size();
  f.messages.push_back({std::move(info), std::move(content)});
  return f.messages.back().info.uid;
}

std::uint32_t memory_mail_store::deliver(std::string_view user, std::string content, wall_time when) {
  auto out = append(user, inbox, std::move(content), {}, when);
  return out.status == store_status::ok ? out.uid : 0;
}

std::optional<std::string> memory_mail_store::authenticate(std::string_view user, std::string_view password) const {
  const account* a = find(user);
  if (!a || (a->password && *a->password != password)) return std::nullopt;
  return a->name;
}

std::vector<folder_info> memory_mail_store::folders(std::string_view user) const {
  std::vector<folder_info> out;
  if (const account* a = find(user)) {
    for (const auto& [name, f] : a->folders) out.push_back({name, f.use});
  }
  return out;
}

std::optional<folder_status> memory_mail_store::status(std::string_view user, std::string_view name) const {
  const folder* f = find(user, name);
  if (!f) return std::nullopt;
  return folder_status{f->uidvalidity, f->uidnext, f->first_recent_uid};
}

store_status memory_mail_store::create_folder(std::string_view user, std::string_view name) {
  account* a = find(user);
  if (!a) return store_status::nonexistent;
  if (a->folders.contains(name)) return store_status::already_exists;
  if (!make_folder(*a, name)) return store_status::limit;
  notify(a->name, name);
  return store_status::ok;
}

store_status memory_mail_store::delete_folder(std::string_view user, std::string_view name) {
  account* a = find(user);
  if (!a || !a->folders.contains(name)) return store_status::nonexistent;
  if (is_inbox(name)) return store_status::cannot;
  for (const auto& [other, f] : a->folders) {
    if (under(other, name)) return store_status::has_children;
  }
  a->folders.erase(a->folders.find(name));
  notify(a->name, name);
  return store_status::ok;
}

store_status memory_mail_store::rename_folder(std::string_view user, std::string_view from, std::string_view to) {
  account* a = find(user);
  if (!a || !a->folders.contains(from)) return store_status::nonexistent;
  if (a->folders.contains(to)) return store_status::already_exists;
  if (under(to, from)) return store_status::cannot;
  if (is_inbox(from)) {
    // RFC 9051 §6.3.6: INBOX's messages move; INBOX stays, empty; its
    // sub-folders stay where they are.
    if (!make_folder(*a, to)) return store_status::limit;
    folder& source = a->folders.at(std::string(inbox));
    folder& target = a->folders.at(std::string(to));
    target.messages = std::move(source.messages);
    source.messages.clear();
    target.uidnext = source.uidnext;
    target.first_recent_uid = source.first_recent_uid;
    notify(a->name, inbox);
    notify(a->name, to);
    return store_status::ok;
  }
  std::vector<std::string> moving;
  for (const auto& [name, f] : a->folders) {
    if (name == from || under(name, from)) moving.push_back(name);
  }
  for (const auto& name : moving) {
    if (a->folders.contains(std::string(to) + name.substr(from.size()))) return store_status::already_exists;
  }
  auto parent = parent_name(to);
  if (parent && !make_folder(*a, *parent)) return store_status::limit;
  for (const auto& name : moving) {
    auto node = a->folders.extract(name);
    node.key() = std::string(to) + name.substr(from.size());
    // A new name gets a new UIDVALIDITY (RFC 9051 §2.3.1.1).
    node.mapped().uidvalidity = a->next_uidvalidity++;
    auto renamed = node.key();
    a->folders.insert(std::move(node));
    notify(a->name, name);
    notify(a->name, renamed);
  }
  return store_status::ok;
}

std::vector<std::string> memory_mail_store::subscriptions(std::string_view user) const {
  const account* a = find(user);
  if (!a) return {};
  return {a->subscriptions.begin(), a->subscriptions.end()};
}

store_status memory_mail_store::subscribe(std::string_view user, std::string_view name) {
  account* a = find(user);
  if (!a || !a->folders.contains(name)) return store_status::nonexistent;
  a->subscriptions.insert(std::string(name));
  return store_status::ok;
}

store_status memory_mail_store::unsubscribe(std::string_view user, std::string_view name) {
  account* a = find(user);
  if (!a) return store_status::nonexistent;
  auto it = a->subscriptions.find(name);
  if (it == a->subscriptions.end()) return store_status::nonexistent;
  a->subscriptions.erase(it);
  return store_status::ok;
}

std::vector<message_info> memory_mail_store::messages(std::string_view user, std::string_view name) const {
  std::vector<message_info> out;
  if (const folder* f = find(user, name)) {
    out.reserve(f->messages.size());
    for (const auto& m : f->messages) out.push_back(m.info);
  }
  return out;
}

std::optional<std::string> memory_mail_store::content(std::string_view user, std::string_view name,
                                                      std::uint32_t uid) const {
  const folder* f = find(user, name);
  if (!f) return std::nullopt;
  auto it = std::lower_bound(f->messages.begin(), f->messages.end(), uid,
                             [](const stored_message& m, std::uint32_t u) { return m.info.uid < u; });
  if (it == f->messages.end() || it->info.uid != uid) return std::nullopt;
  return it->content;
}

append_outcome memory_mail_store::append(std::string_view user, std::string_view name, std::string content,
                                         flag_list flags, wall_time internal_date) {
  account* a = find(user);
  folder* f = find(user, name);
  if (!a || !f) return {store_status::nonexistent};
  if (too_many_keywords(flags)) return {store_status::limit};
  if (!has_room(*a, content.size())) return {store_status::over_quota};
  message_info info;
  info.flags = std::move(flags);
  info.internal_date = internal_date;
  std::uint32_t uid = add_message(*f, std::move(info), std::move(content));
  notify(a->name, name);
  return {store_status::ok, f->uidvalidity, uid};
}

store_status memory_mail_store::set_flags(std::string_view user, std::string_view name,
                                          const std::vector<flag_update>& updates) {
  folder* f = find(user, name);
  if (!f) return store_status::nonexistent;
  for (const auto& u : updates) {
    if (too_many_keywords(u.flags)) return store_status::limit;
  }
  bool changed = false;
  for (const auto& u : updates) {
    auto it = std::lower_bound(f->messages.begin(), f->messages.end(), u.uid,
                               [](const stored_message& m, std::uint32_t uid) { return m.info.uid < uid; });
    if (it != f->messages.end() && it->info.uid == u.uid) changed |= replace_flags(it->info.flags, u.flags);
  }
  if (changed) notify(find(user)->name, name);
  return store_status::ok;
}

store_status memory_mail_store::expunge(std::string_view user, std::string_view name,
                                        const std::vector<std::uint32_t>& uids) {
  folder* f = find(user, name);
  if (!f) return store_status::nonexistent;
  auto gone = sorted(uids);
  auto removed = std::erase_if(f->messages, [&](const stored_message& m) { return contains(gone, m.info.uid); });
  if (removed > 0) notify(find(user)->name, name);
  return store_status::ok;
}

copy_outcome memory_mail_store::copy_into(std::string_view user, std::string_view from,
                                          const std::vector<std::uint32_t>& uids, std::string_view to) {
  account* a = find(user);
  folder* source = find(user, from);
  folder* target = find(user, to);
  if (!a || !source || !target) return copy_outcome{store_status::nonexistent, 0, {}, {}};
  std::vector<const stored_message*> picked;
  std::uint64_t octets = 0;
  auto wanted = sorted(uids);
  for (const auto& m : source->messages) {
    if (!contains(wanted, m.info.uid)) continue;
    picked.push_back(&m);
    octets += m.info.size;
  }
  if (!has_room(*a, octets)) return copy_outcome{store_status::over_quota, 0, {}, {}};
  copy_outcome out{store_status::ok, target->uidvalidity, {}, {}};
  // Copy first: the target may be the source, and appending moves its vector.
  std::vector<stored_message> copies;
  for (const auto* m : picked) copies.push_back(*m);
  for (auto& m : copies) {
    out.source_uids.push_back(m.info.uid);
    out.target_uids.push_back(add_message(*target, std::move(m.info), std::move(m.content)));
  }
  return out;
}

copy_outcome memory_mail_store::copy(std::string_view user, std::string_view from,
                                     const std::vector<std::uint32_t>& uids, std::string_view to) {
  auto out = copy_into(user, from, uids, to);
  if (out.status == store_status::ok && !out.target_uids.empty()) notify(find(user)->name, to);
  return out;
}

copy_outcome memory_mail_store::move(std::string_view user, std::string_view from,
                                     const std::vector<std::uint32_t>& uids, std::string_view to) {
  auto out = copy_into(user, from, uids, to);
  if (out.status != store_status::ok || out.source_uids.empty()) return out;
  folder* source = find(user, from);
  std::erase_if(source->messages, [&](const stored_message& m) { return contains(out.source_uids, m.info.uid); });
  notify(find(user)->name, from);
  notify(find(user)->name, to);
  return out;
}

std::uint32_t memory_mail_store::claim_recent(std::string_view user, std::string_view name) {
  folder* f = find(user, name);
  if (!f) return 0;
  return std::exchange(f->first_recent_uid, f->uidnext);
}

}  // namespace sim::imap
