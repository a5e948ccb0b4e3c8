// sim/imap/fetch_items.hpp - what a FETCH asks for (RFC 9051 §6.4.5).
//
// Data items, the ALL/FAST/FULL macros, and body sections:
// BODY[1.2.HEADER.FIELDS (From To)]<0.100> and BODY.PEEK[...], with
// RFC822, RFC822.HEADER and RFC822.TEXT (RFC 3501) as their old names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/imap/parser.hpp"

namespace sim::imap {

struct section_spec {
  enum class text { whole, header, header_fields, header_fields_not, body_text, mime };
  std::vector<std::uint32_t> part;  // "1.2" -> {1, 2}; empty: the message itself
  text what = text::whole;
  std::vector<std::string> fields;  // HEADER.FIELDS names, as the client wrote them
};

struct fetch_item {
  enum class kind {
    flags, uid, internal_date, rfc822_size, envelope, body_structure, body,
    section,  // BODY[...] / BODY.PEEK[...]
    rfc822, rfc822_header, rfc822_text,
  };
  kind what = kind::flags;
  bool peek = false;
  section_spec section;
  std::optional<std::pair<std::uint64_t, std::uint64_t>> partial;  // <origin.count>
};

// A FETCH's items (one item, a macro, or a parenthesized list).
std::optional<std::vector<fetch_item>> parse_fetch_items(parser& p);

// How the response names the item: "FLAGS", "BODY[HEADER.FIELDS (From)]<0>" ...
std::string response_name(const fetch_item& item);

// RFC 9051 §6.4.5: BODY[...] (not PEEK), RFC822 and RFC822.TEXT set \Seen.
bool sets_seen(const fetch_item& item);

}  // namespace sim::imap
