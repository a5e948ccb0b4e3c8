// sim/report/files.cpp - reading and writing report files.
#include "sim/report/files.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

namespace sim::report {
namespace {

[[noreturn]] void fail(const char* what, const std::filesystem::path& path, const std::string& why) {
  throw file_error(std::string(what) + " " + path.string() + ": " + why);
}

}  // namespace

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (ec) fail("cannot read", path, ec.message());
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot read", path, std::strerror(errno));
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) fail("cannot read", path, "read error");
  return bytes;
}

void write_file(const std::filesystem::path& path, std::string_view bytes) {
  write_file_with(path, [&](std::ostream& out) { out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())); });
}

void write_file_with(const std::filesystem::path& path, const std::function<void(std::ostream&)>& fill) {
  std::error_code ec;
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) fail("cannot create the folder for", path, ec.message());
  }
  std::filesystem::path temporary = path;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) fail("cannot write", temporary, std::strerror(errno));
    fill(out);
    out.flush();
    if (!out) fail("cannot write", temporary, std::strerror(errno));
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::string why = ec.message();
    std::filesystem::remove(temporary, ec);
    fail("cannot write", path, why);
  }
}

}  // namespace sim::report
