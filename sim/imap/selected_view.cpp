// sim/imap/selected_view.cpp - one session's view of its selected mailbox.
#include "sim/imap/selected_view.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace sim::imap {

namespace {

// Looks up ascending UIDs in a list that ascends by UID, in one pass.
class uid_cursor {
 public:
  explicit uid_cursor(const std::vector<message_info>& list) : list_(list) {}
  const message_info* find(std::uint32_t uid) {
    while (at_ < list_.size() && list_[at_].uid < uid) ++at_;
    return at_ < list_.size() && list_[at_].uid == uid ? &list_[at_] : nullptr;
  }

 private:
  const std::vector<message_info>& list_;
  std::size_t at_ = 0;
};

flag_list all_flags(const flag_list& keywords) {
  flag_list out(std::begin(system_flags), std::end(system_flags));
  out.insert(out.end(), keywords.begin(), keywords.end());
  return out;
}

}  // namespace

std::optional<selected_view> selected_view::open(mail_store& store, const std::string& user,
                                                 const std::string& folder, bool read_only) {
  auto status = store.status(user, folder);
  if (!status) return std::nullopt;
  selected_view v;
  v.folder_ = folder;
  v.read_only_ = read_only;
  v.uidvalidity_ = status->uidvalidity;
  v.uidnext_ = status->uidnext;
  auto current = store.messages(user, folder);
  v.add_new(store, user, current, *status);
  for (const auto& m : v.messages_) add_flags(v.keywords_, keywords_of(m.flags));
  return v;
}

// Messages past the view's last UID join it; for a read-write session the
// \Recent ones are claimed (only one session sees a message as recent).
void selected_view::add_new(mail_store& store, const std::string& user, const std::vector<message_info>& current,
                            const folder_status& status) {
  std::uint32_t last = largest_uid();
  bool any = std::any_of(current.begin(), current.end(), [&](const message_info& m) { return m.uid > last; });
  if (!any) return;
  std::uint32_t first_recent = read_only_ ? status.first_recent_uid : store.claim_recent(user, folder_);
  for (const auto& m : current) {
    if (m.uid <= last) continue;
    messages_.push_back({m.uid, m.flags, m.size, m.internal_date, m.uid >= first_recent, false});
  }
}

std::string selected_view::flags_lines() const {
  auto flags = all_flags(keywords_);
  auto permanent = all_flags(keywords_);
  permanent.push_back("\\*");
  return fmt::format("* FLAGS {}\r\n", format_flags(flags)) +
         (read_only_ ? fmt::format("* OK [PERMANENTFLAGS ()] read-only mailbox\r\n")
                     : fmt::format("* OK [PERMANENTFLAGS {}] flags and keywords are kept\r\n", format_flags(permanent)));
}

std::string selected_view::select_responses() const {
  std::string out = flags_lines();
  auto recent = std::count_if(messages_.begin(), messages_.end(), [](const view_message& m) { return m.recent; });
  out += fmt::format("* {} EXISTS\r\n* {} RECENT\r\n", messages_.size(), recent);
  auto unseen = std::find_if(messages_.begin(), messages_.end(),
                             [](const view_message& m) { return !has_flag(m.flags, flag::seen); });
  if (unseen != messages_.end()) {
    out += fmt::format("* OK [UNSEEN {}] first unseen message\r\n", unseen - messages_.begin() + 1);
  }
  out += fmt::format("* OK [UIDVALIDITY {}] UIDs valid\r\n", uidvalidity_);
  out += fmt::format("* OK [UIDNEXT {}] predicted next UID\r\n", uidnext_);
  return out;
}

std::string selected_view::announce_keywords() {
  bool changed = false;
  for (const auto& m : messages_) changed |= add_flags(keywords_, keywords_of(m.flags));
  return changed ? flags_lines() : std::string{};
}

std::string selected_view::sync(mail_store& store, const std::string& user, bool allow_expunge, bool& alive) {
  auto status = store.status(user, folder_);
  alive = status && status->uidvalidity == uidvalidity_;
  if (!alive) return {};
  auto current = store.messages(user, folder_);
  // Both lists ascend by UID: walk them side by side.
  uid_cursor present(current);
  std::vector<std::uint32_t> gone;
  for (auto& m : messages_) {
    if (!m.expunged && !present.find(m.uid)) m.expunged = true;
    if (m.expunged) gone.push_back(m.uid);
  }
  std::string out = allow_expunge ? remove(gone) : std::string{};
  uid_cursor changed(current);
  for (std::size_t i = 0; i < messages_.size(); ++i) {
    auto& m = messages_[i];
    const message_info* now = m.expunged ? nullptr : changed.find(m.uid);
    if (!now || same_flags(m.flags, now->flags)) continue;
    m.flags = now->flags;
    out += fmt::format("* {} FETCH (FLAGS {})\r\n", i + 1, format_flags(flags_shown(i)));
  }
  std::size_t before = messages_.size();
  add_new(store, user, current, *status);
  uidnext_ = status->uidnext;
  out += announce_keywords();
  if (messages_.size() != before) {
    auto recent = std::count_if(messages_.begin(), messages_.end(), [](const view_message& m) { return m.recent; });
    out += fmt::format("* {} EXISTS\r\n* {} RECENT\r\n", messages_.size(), recent);
  }
  return out;
}

std::optional<std::vector<std::size_t>> selected_view::by_sequence(const sequence_set& set) const {
  auto count = static_cast<std::uint32_t>(messages_.size());
  // RFC 3501 §9: a number past the last message, or "*" in an empty
  // mailbox, is an error.
  if (highest_named(set) > count || (count == 0 && names_star(set))) return std::nullopt;
  std::vector<std::size_t> out;
  for (auto [first, last] : resolve(set, count)) {
    for (std::uint64_t n = first; n <= last; ++n) out.push_back(static_cast<std::size_t>(n - 1));
  }
  return out;
}

std::vector<std::size_t> selected_view::by_uid(const sequence_set& set) const {
  std::vector<std::size_t> out;
  if (messages_.empty()) return out;
  for (auto [first, last] : resolve(set, largest_uid())) {
    auto it = std::lower_bound(messages_.begin(), messages_.end(), first,
                               [](const view_message& m, std::uint32_t uid) { return m.uid < uid; });
    for (; it != messages_.end() && it->uid <= last; ++it) out.push_back(static_cast<std::size_t>(it - messages_.begin()));
  }
  return out;
}

std::string selected_view::remove(const std::vector<std::uint32_t>& uids) {
  std::vector<std::uint32_t> sorted = uids;
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  std::size_t seq = 1;
  std::erase_if(messages_, [&](const view_message& m) {
    bool gone = std::binary_search(sorted.begin(), sorted.end(), m.uid);
    // RFC 9051 §7.5.1: each EXPUNGE renumbers the messages after it, so
    // the number is the message's position at the time it is sent.
    if (gone) out += fmt::format("* {} EXPUNGE\r\n", seq);
    else ++seq;
    return gone;
  });
  return out;
}

bool selected_view::pending_expunges() const {
  return std::any_of(messages_.begin(), messages_.end(), [](const view_message& m) { return m.expunged; });
}

flag_list selected_view::flags_shown(std::size_t index) const {
  flag_list out = messages_[index].flags;
  if (messages_[index].recent) out.emplace_back(flag::recent);
  return out;
}

}  // namespace sim::imap
