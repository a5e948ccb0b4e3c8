// sim/imap/body_structure.hpp - BODY and BODYSTRUCTURE (RFC 9051 §7.5.2).
//
// Built from the MIME tree of sim/message: for each part its type and
// subtype (upper case), parameters, Content-ID, Content-Description,
// transfer encoding, size in octets, and lines for text parts; a
// message/rfc822 part adds the ENVELOPE and structure of the message it
// carries.  BODYSTRUCTURE also has the extension data (parameters of a
// multipart, MD5, disposition, language, location); BODY does not.
#pragma once

#include <string>

#include "sim/message/mime.hpp"

namespace sim::imap {

std::string format_body_structure(const message::mime_entity& entity, bool extensible);

}  // namespace sim::imap
