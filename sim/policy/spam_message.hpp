// sim/policy/spam_message.hpp - a message as the content rules read it,
// decoded once with bounded cost.  Sans-I/O.
//
// MIME parts are taken apart with sim/message (nested multiparts and
// message/rfc822 down to max_mime_depth), transfer encodings decoded,
// header values unfolded and RFC 2047 words decoded.  Charsets are not
// converted: text is matched as the bytes it decodes to.  Nothing here
// throws on malformed input; what is broken is listed in mime_problems.
//
// Size caps (like SpamAssassin's body_part_scan_size): scoring reads at
// most the first spam_text_scan_bytes of each text part's text, the first
// spam_html_scan_bytes of each HTML part's source, spam_max_text_parts
// text parts and spam_max_parts parts in all, so a 10 MB body costs its
// decoding and no more than these bounds of rule matching.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sim/message/message.hpp"

namespace sim::policy {

inline constexpr std::size_t spam_header_scan_bytes = 8 * 1024;   // of each decoded header value
inline constexpr std::size_t spam_text_scan_bytes = 64 * 1024;    // of each text part's text
inline constexpr std::size_t spam_html_scan_bytes = 256 * 1024;   // of each HTML part's source
inline constexpr std::size_t spam_max_text_parts = 16;            // text parts whose text is read
inline constexpr std::size_t spam_max_parts = 256;                // leaf parts looked at
inline constexpr std::size_t spam_max_links = 256;                // links kept from the whole message

struct scanned_part {
  std::string mime_type;         // "text/html", lower case
  std::string filename;          // from Content-Disposition or Content-Type (RFC 2183, 2231, 2047)
  bool attachment = false;       // Content-Disposition: attachment, or a named non-text part
  bool text = false;             // text/plain or text/html shown to the reader: its text is scored
  std::string body_text;         // text parts: what body rules see (HTML as html_to_text), "\n" line ends
  std::size_t links = 0;         // HTML parts: links with an http(s) or ftp target
  std::size_t visible_chars = 0; // HTML parts: non-space characters of the visible text
};

struct scanned_link {
  std::string host;   // lower case
  std::string shown;  // the visible text of an HTML link; "" for a URL written in plain text
};

struct scanned_message {
  message::message top;  // the top-level header (and body, unread by rules)
  std::vector<scanned_part> parts;  // leaf parts in message order
  std::vector<scanned_link> links;
  std::vector<std::string> mime_problems;  // "multipart/mixed without a boundary parameter", ...

  // Unfolded, RFC 2047-decoded values of every top-level field `name`, each
  // cut at spam_header_scan_bytes.
  std::vector<std::string> header_values(std::string_view name) const;
};

scanned_message scan_message(std::string_view raw);

}  // namespace sim::policy
