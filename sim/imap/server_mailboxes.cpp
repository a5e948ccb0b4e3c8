// sim/imap/server_mailboxes.cpp - commands on mailboxes (RFC 9051 §6.3): SELECT,
// EXAMINE, CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST, LSUB,
// STATUS, APPEND.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "sim/imap/limits.hpp"
#include "sim/imap/mailbox_name.hpp"
#include "sim/imap/server_fsm.hpp"
#include "sim/imap/syntax.hpp"
#include "sim/message/text.hpp"

namespace sim::imap {

namespace {

bool under(std::string_view name, std::string_view parent) {
  return name.size() > parent.size() && name.starts_with(parent) && name[parent.size()] == hierarchy_delimiter;
}

std::uint64_t total_size(const std::vector<message_info>& messages) {
  std::uint64_t total = 0;
  for (const auto& m : messages) total += m.size;
  return total;
}

std::string wire_name(std::string_view utf8) { return format_astring(encode_mailbox(utf8)); }

struct list_options {
  bool only_subscribed = false;   // selection SUBSCRIBED (RFC 5258 §3.1)
  bool only_special = false;      // selection SPECIAL-USE (RFC 6154 §3)
  bool show_subscribed = false;   // return SUBSCRIBED, or implied by the selection
};

}  // namespace

std::optional<std::string> server_fsm::mailbox_name(const std::string& tag, const std::string& wire, bool create) {
  auto decoded = decode_mailbox(wire);
  if (!decoded.name) no(tag, create ? "CANNOT" : "NONEXISTENT", decoded.error);
  return decoded.name;
}

void server_fsm::close_selected(bool silently_expunge) {
  if (silently_expunge && selected_ && !selected_->read_only()) {
    std::vector<std::uint32_t> deleted;
    for (const auto& m : selected_->messages()) {
      if (!m.expunged && has_flag(m.flags, flag::deleted)) deleted.push_back(m.uid);
    }
    if (!deleted.empty()) {
      store_.expunge(user_, selected_->folder(), deleted);
      durable();
    }
  }
  enter_state(server_state::authenticated);
}

// Our own DELETE or RENAME took the selected mailbox away.
void server_fsm::unselect_if_gone(std::string_view folder) {
  if (!selected_ || (selected_->folder() != folder && !under(selected_->folder(), folder))) return;
  enter_state(server_state::authenticated);
  untagged("OK [CLOSED] the selected mailbox is gone");
}

// RFC 9051 §6.3.2: selecting closes the mailbox selected before (without
// expunging); a failed SELECT leaves the session authenticated.
void server_fsm::on_select(const command_head& h, command_args& a) {
  bool examine = h.name == "EXAMINE";
  if (selected_) {
    close_selected(false);
    untagged("OK [CLOSED] previous mailbox closed");
  }
  auto name = mailbox_name(h.tag, std::get<mailbox_args>(a).mailbox, false);
  if (!name) return;
  auto view = selected_view::open(store_, user_, *name, examine);
  if (!view) {
    no(h.tag, "NONEXISTENT", "no such mailbox");
    return;
  }
  selected_ = std::move(view);
  enter_state(server_state::selected);
  send(selected_->select_responses());
  ok(h.tag, examine ? "READ-ONLY" : "READ-WRITE", fmt::format("{} completed", h.name));
}

void server_fsm::on_create(const command_head& h, command_args& a) {
  std::string wire = std::get<mailbox_args>(a).mailbox;
  // RFC 9051 §6.3.4: a trailing delimiter only says sub-mailboxes will follow.
  if (wire.size() > 1 && wire.back() == hierarchy_delimiter) wire.pop_back();
  auto name = mailbox_name(h.tag, wire, true);
  if (!name) return;
  if (is_inbox(*name)) {
    no(h.tag, "ALREADYEXISTS", "INBOX always exists");
    return;
  }
  auto status = store_.create_folder(user_, *name);
  if (status == store_status::ok) durable();
  store_refused(h.tag, status, "CREATE");
}

void server_fsm::on_delete(const command_head& h, command_args& a) {
  auto name = mailbox_name(h.tag, std::get<mailbox_args>(a).mailbox, false);
  if (!name) return;
  auto status = store_.delete_folder(user_, *name);
  if (status == store_status::ok) {
    durable();
    unselect_if_gone(*name);
  }
  store_refused(h.tag, status, "DELETE");
}

void server_fsm::on_rename(const command_head& h, command_args& a) {
  auto& args = std::get<rename_args>(a);
  auto from = mailbox_name(h.tag, args.from, false);
  auto to = from ? mailbox_name(h.tag, args.to, true) : std::nullopt;
  if (!to) return;
  auto status = store_.rename_folder(user_, *from, *to);
  if (status == store_status::ok) {
    durable();
    // Renaming INBOX moves its messages; INBOX itself stays.
    if (!is_inbox(*from)) unselect_if_gone(*from);
  }
  store_refused(h.tag, status, "RENAME");
}

void server_fsm::on_subscribe(const command_head& h, command_args& a) {
  bool on = h.name == "SUBSCRIBE";
  auto name = mailbox_name(h.tag, std::get<mailbox_args>(a).mailbox, false);
  if (!name) return;
  auto status = on ? store_.subscribe(user_, *name) : store_.unsubscribe(user_, *name);
  if (status == store_status::ok) durable();
  if (!on && status == store_status::nonexistent) no(h.tag, "NONEXISTENT", "not subscribed to that mailbox");
  else store_refused(h.tag, status, h.name);
}

// RFC 9051 §6.3.9 (LIST), RFC 3501 §6.3.9 (LSUB), with the RFC 5258
// options RFC 6154 uses.  Attributes: \HasChildren/\HasNoChildren (RFC
// 3348), the special use (RFC 6154), \Subscribed when asked for,
// \NonExistent (LIST) or \Noselect (LSUB) for a subscription without a mailbox.
void server_fsm::on_list(const command_head& h, command_args& a) {
  auto& args = std::get<list_args>(a);
  bool lsub = h.name == "LSUB";
  list_options opt;
  for (const auto& o : args.select_options) {
    if (o == "SUBSCRIBED") opt.only_subscribed = opt.show_subscribed = true;
    else if (o == "SPECIAL-USE") opt.only_special = true;
    else if (o != "REMOTE") return bad(h.tag, fmt::format("unsupported LIST selection option {}", o));
  }
  for (const auto& o : args.return_options) {
    if (o == "SUBSCRIBED") opt.show_subscribed = true;
    else if (o != "CHILDREN" && o != "SPECIAL-USE") return bad(h.tag, fmt::format("unsupported LIST return option {}", o));
  }
  if (!lsub && args.select_options.empty() && args.patterns.size() == 1 && args.patterns[0].empty()) {
    // An empty pattern asks for the delimiter and the root.
    untagged(fmt::format("LIST (\\Noselect) {} \"\"", quote(std::string(1, hierarchy_delimiter))));
    return ok(h.tag, "", "LIST completed");
  }
  std::vector<std::string> patterns;
  for (const auto& p : args.patterns) {
    if (args.reference.size() + p.size() > 2 * limits::mailbox_name) return bad(h.tag, "mailbox pattern too long");
    if (auto pattern = list_pattern(args.reference, p)) patterns.push_back(std::move(*pattern));
  }
  std::map<std::string, special_use> folders;
  for (auto& f : store_.folders(user_)) folders.emplace(std::move(f.name), f.use);
  auto subscriptions = store_.subscriptions(user_);
  std::vector<std::string> names;
  if (lsub || opt.only_subscribed) names = subscriptions;
  else
    for (const auto& [name, use] : folders) names.push_back(name);
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    if (std::none_of(patterns.begin(), patterns.end(), [&](const auto& p) { return pattern_matches(p, name); })) continue;
    auto it = folders.find(name);
    bool exists = it != folders.end();
    if (opt.only_special && (!exists || it->second == special_use::none)) continue;
    std::vector<std::string_view> attributes;
    if (!exists) {
      attributes.push_back(lsub ? "\\Noselect" : "\\NonExistent");
    } else if (!lsub) {
      auto child = folders.lower_bound(name + hierarchy_delimiter);
      bool children = child != folders.end() && under(child->first, name);
      attributes.push_back(children ? "\\HasChildren" : "\\HasNoChildren");
      if (it->second != special_use::none) attributes.push_back(attribute_of(it->second));
    }
    if (!lsub && opt.show_subscribed && std::find(subscriptions.begin(), subscriptions.end(), name) != subscriptions.end())
      attributes.push_back("\\Subscribed");
    std::string joined;
    for (auto attr : attributes) joined.append(joined.empty() ? "" : " ").append(attr);
    untagged(fmt::format("{} ({}) {} {}", h.name, joined, quote(std::string(1, hierarchy_delimiter)), wire_name(name)));
  }
  ok(h.tag, "", fmt::format("{} completed", h.name));
}

// RFC 9051 §6.3.11, with DELETED and SIZE (RFC 9051, RFC 8438).
void server_fsm::on_status(const command_head& h, command_args& a) {
  auto& args = std::get<status_args>(a);
  auto name = mailbox_name(h.tag, args.mailbox, false);
  if (!name) return;
  auto status = store_.status(user_, *name);
  if (!status) return no(h.tag, "NONEXISTENT", "no such mailbox");
  auto messages = store_.messages(user_, *name);
  auto count = [&](auto pred) { return std::count_if(messages.begin(), messages.end(), pred); };
  std::string items;
  for (const auto& item : args.items) {
    std::uint64_t value = 0;
    if (item == "MESSAGES") value = messages.size();
    else if (item == "RECENT") value = count([&](const message_info& m) { return m.uid >= status->first_recent_uid; });
    else if (item == "UIDNEXT") value = status->uidnext;
    else if (item == "UIDVALIDITY") value = status->uidvalidity;
    else if (item == "UNSEEN") value = count([](const message_info& m) { return !has_flag(m.flags, flag::seen); });
    else if (item == "DELETED") value = count([](const message_info& m) { return has_flag(m.flags, flag::deleted); });
    else if (item == "SIZE") value = total_size(messages);
    else return bad(h.tag, fmt::format("unknown STATUS item {}", item));
    items += fmt::format("{}{} {}", items.empty() ? "" : " ", item, value);
  }
  untagged(fmt::format("STATUS {} ({})", wire_name(*name), items));
  ok(h.tag, "", "STATUS completed");
}

// RFC 9051 §6.3.12, with APPENDUID (RFC 4315 §3).
void server_fsm::on_append(const command_head& h, command_args& a) {
  auto& args = std::get<append_args>(a);
  auto name = mailbox_name(h.tag, args.mailbox, true);
  if (!name) return;
  if (args.message.empty()) return no(h.tag, "", "an empty message cannot be appended");
  wall_time date = args.date ? *args.date : config_.now ? config_.now() : wall_time{};
  auto outcome = store_.append(user_, *name, message::to_crlf(args.message), args.flags, date);
  if (outcome.status == store_status::nonexistent) return no(h.tag, "TRYCREATE", "no such mailbox");
  if (outcome.status != store_status::ok) return store_refused(h.tag, outcome.status, "APPEND");
  durable();
  ok(h.tag, fmt::format("APPENDUID {} {}", outcome.uidvalidity, outcome.uid), "APPEND completed");
}

}  // namespace sim::imap
