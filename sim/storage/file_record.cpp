// sim/storage/file_record.cpp - the trailer of a stored value.
#include "sim/storage/file_record.hpp"

#include <cstdint>

#include "sim/core/hash.hpp"

namespace sim::storage {

namespace {

constexpr std::string_view magic = "MSR1";

void put_le64(char* out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

std::uint64_t get_le64(const char* in) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

}  // namespace

std::array<char, record_trailer_size> record_trailer(std::string_view value) {
  std::array<char, record_trailer_size> t{};
  magic.copy(t.data(), magic.size());
  put_le64(t.data() + 4, value.size());
  put_le64(t.data() + 12, fnv1a64(value));
  return t;
}

std::optional<std::string_view> record_value(std::string_view file) {
  if (file.size() < record_trailer_size) return std::nullopt;
  std::string_view value = file.substr(0, file.size() - record_trailer_size);
  const char* t = file.data() + value.size();
  if (std::string_view(t, 4) != magic || get_le64(t + 4) != value.size() || get_le64(t + 12) != fnv1a64(value))
    return std::nullopt;
  return value;
}

}  // namespace sim::storage
