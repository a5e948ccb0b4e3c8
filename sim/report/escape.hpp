// sim/report/escape.hpp - making untrusted text safe for one-line, XML and HTML output.
//
// Trace fields carry whatever a client sent on the wire (live mode talks to
// real programs), so every renderer passes text through one of these.
#pragma once

#include <string>
#include <string_view>

namespace sim::report {

// Control characters shown as visible escapes ("\r", "\n", "\t", "\x1B"), so
// that one event stays one line and no terminal escape sequence gets through.
std::string one_line(std::string_view text);

// XML 1.0 character data / attribute value (also valid HTML).  Escapes & < >
// " ' ; replaces characters XML 1.0 section 2.2 forbids (C0 controls other than
// tab/LF/CR, U+FFFE, U+FFFF) and invalid UTF-8 with U+FFFD.  In attributes
// tab, LF and CR become character references so that attribute-value
// normalisation (XML 1.0 section 3.3.3) keeps them.
std::string xml_escape(std::string_view text, bool attribute = false);

// At most `width` bytes of `text` around byte `focus`, "..." marking cuts;
// never splits a UTF-8 sequence.
std::string excerpt(std::string_view text, std::size_t focus, std::size_t width);

}  // namespace sim::report
