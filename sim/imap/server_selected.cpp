// sim/imap/server_selected.cpp - commands of the selected state (RFC 9051 §6.4):
// CHECK, CLOSE, UNSELECT, EXPUNGE, SEARCH, STORE, COPY, MOVE (FETCH has its
// own file), with their UID forms.
#include <algorithm>

#include <fmt/format.h>

#include "sim/imap/mailbox_name.hpp"
#include "sim/imap/server_fsm.hpp"

namespace sim::imap {

std::optional<std::vector<std::size_t>> server_fsm::resolve_set(const command_head& h, const sequence_set& set) {
  if (h.uid) return selected_->by_uid(set);
  auto out = selected_->by_sequence(set);
  if (!out) bad(h.tag, "no such message (the sequence set names a number past the last message)");
  return out;
}

// Updates, if any, come before the OK (finish_command).
void server_fsm::on_check(const command_head& h, command_args&) { ok(h.tag, "", "CHECK completed"); }

// RFC 9051 §6.4.1: CLOSE expunges silently (read-write only); UNSELECT
// (RFC 3691) does not.
void server_fsm::on_close(const command_head& h, command_args&) {
  close_selected(true);
  ok(h.tag, "", "CLOSE completed");
}

void server_fsm::on_unselect(const command_head& h, command_args&) {
  close_selected(false);
  ok(h.tag, "", "UNSELECT completed");
}

// RFC 9051 §6.4.3; UID EXPUNGE (RFC 4315 §2.1) only within the UID set.
void server_fsm::on_expunge(const command_head& h, command_args& a) {
  if (selected_->read_only()) return no(h.tag, "", "the mailbox is read-only (EXAMINE)");
  std::vector<std::pair<std::uint32_t, std::uint32_t>> within;
  if (h.uid) within = resolve(std::get<set_args>(a).set, selected_->largest_uid());
  std::vector<std::uint32_t> uids;
  for (const auto& m : selected_->messages()) {
    if (m.expunged || !has_flag(m.flags, flag::deleted) || (h.uid && !contains(within, m.uid))) continue;
    uids.push_back(m.uid);
  }
  if (!uids.empty()) {
    store_.expunge(user_, selected_->folder(), uids);
    durable();
    send(selected_->remove(uids));
  }
  ok(h.tag, "", "EXPUNGE completed");
}

// RFC 9051 §6.4.4.  Messages expunged by another session and not yet
// reported are left out.
void server_fsm::on_search(const command_head& h, command_args& a) {
  auto& args = std::get<search_args>(a);
  if (args.charset && *args.charset != "US-ASCII" && *args.charset != "UTF-8") {
    return no(h.tag, "BADCHARSET (US-ASCII UTF-8)", "unsupported charset");
  }
  auto& messages = selected_->messages();
  bind(args.key, static_cast<std::uint32_t>(messages.size()), selected_->largest_uid());
  std::string found;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const auto& m = messages[i];
    if (m.expunged) continue;
    search_candidate c;
    c.sequence = static_cast<std::uint32_t>(i + 1);
    c.uid = m.uid;
    c.flags = &m.flags;
    c.recent = m.recent;
    c.size = m.size;
    c.internal_date = m.internal_date;
    c.load = [this, uid = m.uid] { return store_.content(user_, selected_->folder(), uid); };
    if (matches(args.key, c)) found += fmt::format(" {}", h.uid ? m.uid : c.sequence);
  }
  untagged(fmt::format("SEARCH{}", found));
  ok(h.tag, "", "SEARCH completed");
}

// RFC 9051 §6.4.6: the new flags come back in FETCH responses unless
// .SILENT; a UID STORE's carry the UID (§6.4.9).
void server_fsm::on_store(const command_head& h, command_args& a) {
  auto& args = std::get<store_args>(a);
  if (selected_->read_only()) return no(h.tag, "", "the mailbox is read-only (EXAMINE)");
  auto indexes = resolve_set(h, args.set);
  if (!indexes) return;
  auto& messages = selected_->messages();
  std::vector<flag_update> updates;
  std::vector<std::size_t> updated;  // the view index of each update
  for (auto i : *indexes) {
    if (messages[i].expunged) continue;
    flag_list now = messages[i].flags;
    if (args.how == store_args::mode::add) add_flags(now, args.flags);
    else if (args.how == store_args::mode::remove) remove_flags(now, args.flags);
    else replace_flags(now, args.flags);
    if (same_flags(now, messages[i].flags)) continue;
    updates.push_back({messages[i].uid, std::move(now)});
    updated.push_back(i);
  }
  if (!updates.empty()) {
    auto status = store_.set_flags(user_, selected_->folder(), updates);
    if (status != store_status::ok) return store_refused(h.tag, status, "STORE");
    durable();
    for (std::size_t k = 0; k < updates.size(); ++k) messages[updated[k]].flags = std::move(updates[k].flags);
  }
  bool expunge_issued = false;
  for (auto i : *indexes) {
    if (messages[i].expunged) {
      expunge_issued = true;
      continue;
    }
    if (args.silent) continue;
    std::string uid = h.uid ? fmt::format(" UID {}", messages[i].uid) : "";
    untagged(fmt::format("{} FETCH (FLAGS {}{})", i + 1, format_flags(selected_->flags_shown(i)), uid));
  }
  if (expunge_issued) return no(h.tag, "EXPUNGEISSUED", "some messages were expunged by another session");
  ok(h.tag, "", "STORE completed");
}

// RFC 9051 §6.4.7 COPY and RFC 6851 MOVE, with COPYUID (RFC 4315 §3).
void server_fsm::on_copy(const command_head& h, command_args& a) {
  auto& args = std::get<copy_args>(a);
  bool move = h.name == "MOVE";
  if (move && selected_->read_only()) return no(h.tag, "", "the mailbox is read-only (EXAMINE)");
  auto indexes = resolve_set(h, args.set);
  if (!indexes) return;
  auto target = mailbox_name(h.tag, args.mailbox, true);
  if (!target) return;
  std::vector<std::uint32_t> uids;
  for (auto i : *indexes) {
    if (!selected_->messages()[i].expunged) uids.push_back(selected_->messages()[i].uid);
  }
  auto outcome = move ? store_.move(user_, selected_->folder(), uids, *target)
                      : store_.copy(user_, selected_->folder(), uids, *target);
  if (outcome.status == store_status::nonexistent) return no(h.tag, "TRYCREATE", "no such mailbox");
  if (outcome.status != store_status::ok) return store_refused(h.tag, outcome.status, h.name);
  std::string code;
  if (!outcome.source_uids.empty()) {
    durable();
    code = fmt::format("COPYUID {} {} {}", outcome.uidvalidity, format_set(outcome.source_uids),
                       format_set(outcome.target_uids));
  }
  if (!move) return ok(h.tag, code, "COPY completed");
  // RFC 6851 §4.3: COPYUID in an untagged OK, then the EXPUNGEs.
  if (!code.empty()) untagged(fmt::format("OK [{}] moved", code));
  send(selected_->remove(outcome.source_uids));
  ok(h.tag, "", "MOVE completed");
}

}  // namespace sim::imap
