// sim/message/eicar.hpp - finding the EICAR anti-virus test file in a message.
#pragma once

#include <string_view>

namespace sim::message {

// The 68-byte EICAR test file (eicar.org): harmless, and every virus scanner
// reports it, which makes it the standard way to test a scanner.
inline constexpr std::string_view eicar_test_string =
    "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

// True when the test string appears in the raw message as is, or in any MIME
// part after its Content-Transfer-Encoding (base64, quoted-printable) is
// decoded, at any depth down to max_mime_depth.
bool contains_eicar(std::string_view raw_message);

}  // namespace sim::message
