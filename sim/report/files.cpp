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
  file_writer out(path);
  out.write(bytes);
  out.commit();
}

void write_file_with(const std::filesystem::path& path, const std::function<void(std::ostream&)>& fill) {
  file_writer out(path);
  fill(out.stream());
  out.commit();
}

file_writer::file_writer(std::filesystem::path path) : path_(std::move(path)) {
  std::error_code ec;
  if (path_.has_parent_path()) {
    std::filesystem::create_directories(path_.parent_path(), ec);
    if (ec) fail("cannot create the folder for", path_, ec.message());
  }
  temporary_ = path_;
  temporary_ += ".tmp";
  out_ = std::make_unique<std::ofstream>(temporary_, std::ios::binary | std::ios::trunc);
  if (!*out_) fail("cannot write", temporary_, std::strerror(errno));
}

file_writer::~file_writer() {
  if (committed_) return;
  out_.reset();
  std::error_code ignored;
  std::filesystem::remove(temporary_, ignored);
}

void file_writer::write(std::string_view bytes) {
  out_->write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!*out_) fail("cannot write", temporary_, std::strerror(errno));
}

void file_writer::commit() {
  out_->flush();
  if (!*out_) fail("cannot write", temporary_, std::strerror(errno));
  out_.reset();
  std::error_code ec;
  std::filesystem::rename(temporary_, path_, ec);
  if (ec) {
    std::string why = ec.message();
    std::filesystem::remove(temporary_, ec);
    fail("cannot write", path_, why);
  }
  committed_ = true;
}

}  // namespace sim::report
