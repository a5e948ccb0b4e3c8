// sim/http/listen_address.hpp - where the HTTP server may listen: loopback only.
//
// `mailsim serve --http 127.0.0.1:8025` (or "[::1]:8025"): the address must
// be in 127.0.0.0/8 or be ::1, as for serve's --listen; port 0 asks the
// system for a free port (tests).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/http/result.hpp"

namespace sim::http {

struct listen_address {
  std::string ip;  // canonical text: "127.0.0.1", "::1"
  std::uint16_t port = 0;
};

// "ADDRESS:PORT"; a problem saying what is wrong otherwise.
result<listen_address> parse_listen_address(std::string_view text);

}  // namespace sim::http
