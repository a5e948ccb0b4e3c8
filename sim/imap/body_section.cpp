// sim/imap/body_section.cpp - the octets BODY[section] names (RFC 9051 §6.4.5).
#include "sim/imap/body_section.hpp"

#include <algorithm>

#include "sim/message/text.hpp"

namespace sim::imap {

namespace {

bool is_message_rfc822(const message::mime_entity& e) {
  return message::content_type_of(e.entity).mime_type() == "message/rfc822" && !e.children.empty();
}

// The numbered parts of an entity (see the header).
std::vector<const message::mime_entity*> parts_of(const message::mime_entity& e) {
  if (is_message_rfc822(e)) return parts_of(e.children.front());
  if (message::content_type_of(e.entity).is_multipart()) {
    std::vector<const message::mime_entity*> out;
    for (const auto& c : e.children) out.push_back(&c);
    return out;
  }
  return {&e};
}

std::string fields_block(const message::message& m, const std::vector<std::string>& names, bool wanted) {
  std::string out;
  for (const auto& f : m.fields()) {
    bool listed = std::any_of(names.begin(), names.end(), [&](const std::string& n) { return message::iequals(n, f.name); });
    if (listed != wanted) continue;
    out += f.name + ":" + f.value + (f.line_end.empty() ? "\r\n" : f.line_end);
  }
  return out + "\r\n";
}

}  // namespace

const message::mime_entity* find_part(const message::mime_entity& root, const std::vector<std::uint32_t>& path) {
  const message::mime_entity* node = &root;
  for (auto n : path) {
    auto parts = parts_of(*node);
    if (n == 0 || n > parts.size()) return nullptr;
    node = parts[n - 1];
  }
  return node;
}

std::string header_block(const message::message& m) {
  std::string all = m.serialize();
  return all.substr(0, all.size() - m.body().size());
}

std::optional<std::string> section_octets(std::string_view raw, const message::mime_entity& root,
                                          const section_spec& s) {
  using text = section_spec::text;
  const message::mime_entity* node = find_part(root, s.part);
  if (!node) return std::nullopt;
  if (s.what == text::whole) return s.part.empty() ? std::string(raw) : node->entity.body();
  if (s.what == text::mime) return header_block(node->entity);
  // HEADER/TEXT after a part number name the encapsulated message.
  const message::message* m = &node->entity;
  if (!s.part.empty()) {
    if (!is_message_rfc822(*node)) return std::nullopt;
    m = &node->children.front().entity;
  }
  switch (s.what) {
    case text::header: return header_block(*m);
    case text::header_fields: return fields_block(*m, s.fields, true);
    case text::header_fields_not: return fields_block(*m, s.fields, false);
    case text::body_text: return m->body();
    default: return std::nullopt;
  }
}

std::string partial_of(const std::string& octets, std::uint64_t origin, std::uint64_t count) {
  if (origin >= octets.size()) return {};
  return octets.substr(static_cast<std::size_t>(origin),
                       static_cast<std::size_t>(std::min<std::uint64_t>(count, octets.size() - origin)));
}

}  // namespace sim::imap
