// sim/imap/search_eval.cpp - SEARCH keys (RFC 9051 §6.4.4): does a message match?
#include <algorithm>

#include "sim/imap/search.hpp"
#include "sim/message/encoded_words.hpp"
#include "sim/message/text.hpp"

namespace sim::imap {

namespace {

using key_kind = search_key::kind;

// RFC 9051 §6.4.4: substring matching, case-insensitive (ASCII).
bool contains_text(std::string_view haystack, const std::string& lower_needle) {
  if (lower_needle.empty()) return true;
  return message::to_lower(haystack).find(lower_needle) != std::string::npos;
}

bool header_contains(const message::message& m, std::string_view field, const std::string& value) {
  auto lower = message::to_lower(value);
  for (const auto& f : m.fields()) {
    if (!message::iequals(f.name, field)) continue;
    if (contains_text(message::decode_words(message::unfold(f.value)), lower)) return true;
  }
  return false;
}

// The body as stored and, for each text leaf of the MIME tree, as decoded.
bool body_contains(const message::mime_entity& e, const std::string& lower) {
  if (contains_text(e.entity.body(), lower)) return true;
  if (e.children.empty()) return contains_text(message::decode_body(e.entity), lower);
  return std::any_of(e.children.begin(), e.children.end(), [&](const auto& c) { return body_contains(c, lower); });
}

bool text_contains(const message::mime_entity& e, const std::string& value) {
  auto lower = message::to_lower(value);
  if (contains_text(message::decode_words(e.entity.header_text()), lower)) return true;
  return body_contains(e, lower);
}

std::optional<date> sent_date(const message::message& m) {
  auto value = m.get("Date");
  return value ? header_date(*value) : std::nullopt;
}

bool flag_key(const search_key& k, const search_candidate& m) {
  const flag_list& f = *m.flags;
  switch (k.what) {
    case key_kind::answered: return has_flag(f, flag::answered);
    case key_kind::deleted: return has_flag(f, flag::deleted);
    case key_kind::draft: return has_flag(f, flag::draft);
    case key_kind::flagged: return has_flag(f, flag::flagged);
    case key_kind::seen: return has_flag(f, flag::seen);
    case key_kind::recent: return m.recent;
    case key_kind::new_: return m.recent && !has_flag(f, flag::seen);
    case key_kind::old: return !m.recent;
    case key_kind::unanswered: return !has_flag(f, flag::answered);
    case key_kind::undeleted: return !has_flag(f, flag::deleted);
    case key_kind::undraft: return !has_flag(f, flag::draft);
    case key_kind::unflagged: return !has_flag(f, flag::flagged);
    case key_kind::unseen: return !has_flag(f, flag::seen);
    case key_kind::keyword: return has_flag(f, k.field);
    case key_kind::unkeyword: return !has_flag(f, k.field);
    default: return false;
  }
}

bool content_key(const search_key& k, const search_candidate& m) {
  const message::mime_entity* e = m.parsed();
  if (!e) return false;
  const message::message& msg = e->entity;
  switch (k.what) {
    case key_kind::bcc: return header_contains(msg, "Bcc", k.value);
    case key_kind::cc: return header_contains(msg, "Cc", k.value);
    case key_kind::from: return header_contains(msg, "From", k.value);
    case key_kind::to: return header_contains(msg, "To", k.value);
    case key_kind::subject: return header_contains(msg, "Subject", k.value);
    case key_kind::header:
      // A zero-length string matches every message that has the field.
      return k.value.empty() ? msg.count(k.field) > 0 : header_contains(msg, k.field, k.value);
    case key_kind::body: return body_contains(*e, message::to_lower(k.value));
    case key_kind::text: return text_contains(*e, k.value);
    case key_kind::sent_before: return sent_date(msg) && *sent_date(msg) < k.day;
    case key_kind::sent_on: return sent_date(msg) && *sent_date(msg) == k.day;
    case key_kind::sent_since: return sent_date(msg) && *sent_date(msg) >= k.day;
    default: return false;
  }
}

}  // namespace

const message::mime_entity* search_candidate::parsed() const {
  if (!loaded_) {
    loaded_ = true;
    if (load) {
      if (auto raw = load()) mime_ = message::parse_mime(*raw);
    }
  }
  return mime_ ? &*mime_ : nullptr;
}

bool matches(const search_key& k, const search_candidate& m) {
  switch (k.what) {
    case key_kind::all: return true;
    case key_kind::and_:
      return std::all_of(k.children.begin(), k.children.end(), [&](const auto& c) { return matches(c, m); });
    case key_kind::or_: return matches(k.children[0], m) || matches(k.children[1], m);
    case key_kind::not_: return !matches(k.children[0], m);
    case key_kind::before: return day_of(m.internal_date) < k.day;
    case key_kind::on: return day_of(m.internal_date) == k.day;
    case key_kind::since: return day_of(m.internal_date) >= k.day;
    case key_kind::larger: return m.size > k.size;
    case key_kind::smaller: return m.size < k.size;
    case key_kind::uid: return contains(k.resolved, m.uid);
    case key_kind::sequence: return contains(k.resolved, m.sequence);
    case key_kind::bcc: case key_kind::cc: case key_kind::from: case key_kind::to: case key_kind::subject:
    case key_kind::header: case key_kind::body: case key_kind::text:
    case key_kind::sent_before: case key_kind::sent_on: case key_kind::sent_since:
      return content_key(k, m);
    default: return flag_key(k, m);
  }
}

}  // namespace sim::imap
