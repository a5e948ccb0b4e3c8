// sim/imap/body_section.hpp - the octets BODY[section] names (RFC 9051 §6.4.5).
//
// Part numbers walk the MIME tree: the parts of a multipart are its
// children; the parts of a message/rfc822 part are those of the message it
// encapsulates; anything else is its own part 1.  HEADER, HEADER.FIELDS,
// HEADER.FIELDS.NOT and TEXT name the top-level message or, after a part
// number, a message/rfc822 part's encapsulated message; MIME names a
// part's own header.  Headers include the empty line that ends them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/imap/fetch_items.hpp"
#include "sim/message/mime.hpp"

namespace sim::imap {

// The part at `path` below `root` (root itself for an empty path); nullptr
// when there is no such part.
const message::mime_entity* find_part(const message::mime_entity& root, const std::vector<std::uint32_t>& path);

// The header block of an entity, with its empty separator line.
std::string header_block(const message::message& m);

// The section's octets (before any partial range), or nullopt when the
// section does not exist (the response says NIL).
std::optional<std::string> section_octets(std::string_view raw, const message::mime_entity& root,
                                          const section_spec& section);

// <origin.count> applied: what lies in range (empty past the end).
std::string partial_of(const std::string& octets, std::uint64_t origin, std::uint64_t count);

}  // namespace sim::imap
