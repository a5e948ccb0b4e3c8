// sim/storage/store.cpp - the store's error category and name rules.
#include "sim/storage/store.hpp"

namespace sim::storage {

namespace {

class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "mailsim.storage"; }
  std::string message(int value) const override {
    switch (static_cast<store_errc>(value)) {
      case store_errc::crashed: return "host crashed before the operation became durable";
      case store_errc::bad_name: return "invalid storage name";
    }
    return "unknown storage error";
  }
};

}  // namespace

const std::error_category& store_category() {
  static const category instance;
  return instance;
}

std::error_code make_error_code(store_errc e) { return {static_cast<int>(e), store_category()}; }

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  std::size_t start = 0;
  for (;;) {
    auto end = name.find('/', start);
    auto part = name.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (part.empty() || part.front() == '.') return false;
    if (part.find('\0') != std::string_view::npos || part.find('\\') != std::string_view::npos) return false;
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

std::filesystem::path absolute_directory(const std::filesystem::path& dir) {
  auto out = std::filesystem::absolute(dir).lexically_normal();
  if (out.filename().empty() && out.has_parent_path() && out != out.root_path()) out = out.parent_path();
  return out;
}

}  // namespace sim::storage
