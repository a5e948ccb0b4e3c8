// sim/imap/server_fetch.cpp - FETCH and UID FETCH (RFC 9051 §6.4.5, §7.5.2).
#include <algorithm>

#include <fmt/format.h>

#include "sim/imap/body_section.hpp"
#include "sim/imap/body_structure.hpp"
#include "sim/imap/date.hpp"
#include "sim/imap/envelope.hpp"
#include "sim/imap/server_fsm.hpp"
#include "sim/imap/syntax.hpp"

namespace sim::imap {

namespace {

using item_kind = fetch_item::kind;

bool needs_content(const fetch_item& it) {
  return it.what != item_kind::flags && it.what != item_kind::uid && it.what != item_kind::internal_date &&
         it.what != item_kind::rfc822_size;
}

bool asks_for(const std::vector<fetch_item>& items, item_kind what) {
  return std::any_of(items.begin(), items.end(), [&](const fetch_item& it) { return it.what == what; });
}

// Message text always goes as a literal: it may hold anything.
void append_literal(std::string& out, std::string_view octets) {
  out += fmt::format("{{{}}}\r\n", octets.size());
  out += octets;
}

}  // namespace

void server_fsm::on_fetch(const command_head& h, command_args& a) {
  auto& args = std::get<fetch_args>(a);
  auto indexes = resolve_set(h, args.set);
  if (!indexes) return;
  auto& messages = selected_->messages();
  // RFC 9051 §6.4.5: reading a body part sets \Seen, in one store call.
  std::vector<flag_update> seen;
  std::vector<bool> newly_seen(indexes->size(), false);
  bool sets = std::any_of(args.items.begin(), args.items.end(), sets_seen);
  if (sets && !selected_->read_only()) {
    for (std::size_t k = 0; k < indexes->size(); ++k) {
      const auto& m = messages[(*indexes)[k]];
      if (m.expunged || has_flag(m.flags, flag::seen)) continue;
      flag_list now = m.flags;
      now.emplace_back(flag::seen);
      seen.push_back({m.uid, std::move(now)});
      newly_seen[k] = true;
    }
    if (!seen.empty() && store_.set_flags(user_, selected_->folder(), seen) == store_status::ok) durable();
    else newly_seen.assign(indexes->size(), false);
  }
  bool expunge_issued = false;
  for (std::size_t k = 0; k < indexes->size(); ++k) {
    auto i = (*indexes)[k];
    if (newly_seen[k]) messages[i].flags.emplace_back(flag::seen);
    send(fetch_response(i, args.items, h.uid, newly_seen[k], expunge_issued));
  }
  if (expunge_issued) return no(h.tag, "EXPUNGEISSUED", "some messages were expunged by another session");
  ok(h.tag, "", "FETCH completed");
}

std::string server_fsm::fetch_response(std::size_t index, const std::vector<fetch_item>& items, bool uid,
                                       bool flags_changed, bool& expunge_issued) {
  const view_message& m = selected_->messages()[index];
  if (m.expunged) {
    expunge_issued = true;
    return {};
  }
  std::optional<std::string> raw;
  std::optional<message::mime_entity> mime;
  if (std::any_of(items.begin(), items.end(), needs_content)) {
    raw = store_.content(user_, selected_->folder(), m.uid);
    if (!raw) {
      expunge_issued = true;
      return {};
    }
    mime = message::parse_mime(*raw);
  }
  std::string out = fmt::format("* {} FETCH (", index + 1);
  auto next = [&out, first = true]() mutable {
    if (!first) out += ' ';
    first = false;
  };
  // RFC 9051 §6.4.9: UID FETCH always returns the UID.
  if (uid && !asks_for(items, item_kind::uid)) next(), out += fmt::format("UID {}", m.uid);
  for (const auto& it : items) {
    next();
    out += response_name(it);
    out += ' ';
    switch (it.what) {
      case item_kind::flags: out += format_flags(selected_->flags_shown(index)); break;
      case item_kind::uid: out += std::to_string(m.uid); break;
      case item_kind::internal_date: out += quote(format_date_time(m.internal_date)); break;
      case item_kind::rfc822_size: out += std::to_string(m.size); break;
      case item_kind::envelope: out += format_envelope(mime->entity); break;
      case item_kind::body_structure: out += format_body_structure(*mime, true); break;
      case item_kind::body: out += format_body_structure(*mime, false); break;
      case item_kind::rfc822: append_literal(out, *raw); break;
      case item_kind::rfc822_header: append_literal(out, header_block(mime->entity)); break;
      case item_kind::rfc822_text: append_literal(out, mime->entity.body()); break;
      case item_kind::section: {
        auto octets = section_octets(*raw, *mime, it.section);
        if (!octets) out += "NIL";
        else if (it.partial) append_literal(out, partial_of(*octets, it.partial->first, it.partial->second));
        else append_literal(out, *octets);
        break;
      }
    }
  }
  // A \Seen set by this FETCH is reported with it (RFC 9051 §6.4.5).
  if (flags_changed && !asks_for(items, item_kind::flags)) {
    next();
    out += fmt::format("FLAGS {}", format_flags(selected_->flags_shown(index)));
  }
  out += ")\r\n";
  return out;
}

}  // namespace sim::imap
