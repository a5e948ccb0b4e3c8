// sim/storage/file_record.hpp - how file_store lays out one stored value in its file.
//
// A file holds the value's bytes, then a 20-octet trailer: "MSR1", the
// value's length (8 octets, little-endian) and its FNV-1a 64 hash (8
// octets, little-endian).  A file whose trailer does not match its content
// was cut short by a crash before its write was synced: readers treat it as
// absent, and opening the store deletes it.  That is what lets a new name
// be written in place, without a temp file and a rename, so that its data
// and its directory entry can be synced at the same time.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace sim::storage {

inline constexpr std::size_t record_trailer_size = 20;

std::array<char, record_trailer_size> record_trailer(std::string_view value);
// The value a file holds, or nullopt when the file is incomplete or not a record.
std::optional<std::string_view> record_value(std::string_view file);

// The mark file_store leaves in its root: the files follow this layout.
inline constexpr std::string_view format_mark_name = ".mailsim-store";
inline constexpr std::string_view format_mark_text = "mailsim-store 2: values with a length and FNV-1a 64 trailer\n";

}  // namespace sim::storage
