// sim/imap/envelope.hpp - the ENVELOPE of a message (RFC 9051 §7.5.2).
//
// (date subject from sender reply-to to cc bcc in-reply-to message-id):
// field values as they are in the header (unfolded, RFC 2047 words left
// encoded), address lists as ((name adl mailbox host) ...), NIL where a
// field is absent.  Sender and Reply-To default to From.  Group syntax
// gives (NIL NIL "group" NIL) ... (NIL NIL NIL NIL).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/message/message.hpp"

namespace sim::imap {

// One RFC 5322 address as ENVELOPE lists it; nullopt members are NIL.
struct envelope_address {
  std::optional<std::string> name;     // display name (quotes removed)
  std::optional<std::string> route;    // obsolete source route "@a,@b"
  std::optional<std::string> mailbox;  // local part; the group name at a group's start
  std::optional<std::string> host;     // domain; NIL marks group syntax
};

// RFC 5322 §3.4 address-list, leniently: what cannot be understood is kept
// as a mailbox with an empty host.
std::vector<envelope_address> parse_address_list(std::string_view value);

// The ENVELOPE structure, ready to follow "ENVELOPE ".
std::string format_envelope(const message::message& m);

}  // namespace sim::imap
