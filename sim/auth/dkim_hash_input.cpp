// sim/auth/dkim_hash_input.cpp - header selection, b= blanking, body length (RFC 6376 §3.7, §5.4).
#include "sim/auth/dkim_hash_input.hpp"

#include <algorithm>

#include "sim/auth/canonicalization.hpp"
#include "sim/auth/tag_list.hpp"
#include "sim/message/text.hpp"

namespace sim::auth {

message::message dkim_view(std::string_view raw) { return message::message::parse(message::to_crlf(raw)); }

std::vector<const message::field*> select_headers(const std::vector<message::field>& fields,
                                                  const std::vector<std::string>& names,
                                                  const message::field* skip) {
  std::vector<const message::field*> selected;
  std::vector<bool> used(fields.size(), false);
  for (const auto& name : names) {
    for (std::size_t i = fields.size(); i-- > 0;) {
      if (used[i] || &fields[i] == skip || !message::iequals(message::trim(fields[i].name), name)) continue;
      used[i] = true;
      selected.push_back(&fields[i]);
      break;
    }
  }
  return selected;
}

std::string blank_b_value(std::string_view raw_value) {
  auto parsed = parse_tag_list(raw_value);
  if (!parsed.list) return std::string(raw_value);
  const tag* b = parsed.list->find("b");
  if (!b) return std::string(raw_value);
  std::string out(raw_value.substr(0, b->value_begin));
  out += raw_value.substr(b->value_end);
  return out;
}

std::string header_hash_input(const std::vector<const message::field*>& selected, canonicalization c,
                              std::string_view signature_name, std::string_view signature_raw_value) {
  std::string out;
  for (const message::field* f : selected) out += canonicalize_header(c, f->name, f->value);
  auto own = canonicalize_header(c, signature_name, signature_raw_value);
  own.resize(own.size() - 2);  // §3.7: without the trailing CRLF
  out += own;
  return out;
}

body_input body_hash_input(std::string_view body, canonicalization c, std::optional<std::uint64_t> length) {
  body_input in;
  in.data = canonicalize_body(c, body);
  in.canonical_length = in.data.size();
  if (length && *length < in.data.size()) in.data.resize(static_cast<std::size_t>(*length));
  return in;
}

}  // namespace sim::auth
