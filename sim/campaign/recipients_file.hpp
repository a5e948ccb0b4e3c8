// sim/campaign/recipients_file.hpp - a campaign's `recipients_file`.
//
// One recipient a line: an address, optionally followed by spaces and the
// recipient's name ("anna@mail.example Anna Berg").  Blank lines and lines
// starting with '#' are skipped; CRLF line ends are accepted.  The file is
// at most max_file_bytes and campaign_spec::max_recipients addresses; an
// address may appear once.  The caller reads the file and says what a
// valid address is (the scenario loader's RFC 5321 check).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/campaign/spec.hpp"

namespace sim::campaign {

inline constexpr std::uint64_t max_file_bytes = std::uint64_t{64} << 20;  // 64 MiB

struct file_problem {
  std::size_t line = 0;  // 1-based; 0 = the file as a whole
  std::string what;
};

struct parsed_list {
  std::vector<recipient> recipients;
  std::optional<file_problem> problem;  // the first one; recipients are then incomplete
};

// `canonical`: the address in canonical form, or none when it is not one.
parsed_list parse_recipients(std::string_view text,
                             const std::function<std::optional<std::string>(std::string_view)>& canonical);

}  // namespace sim::campaign
