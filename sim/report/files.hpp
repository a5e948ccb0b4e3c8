// sim/report/files.hpp - whole-file reads and replace-in-one-step writes for report files.
#pragma once

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sim::report {

// Any file a report could not read or write; what() names the path and the reason.
struct file_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The bytes of the file, nullopt when it does not exist; file_error when it
// exists but cannot be read.
std::optional<std::string> read_file(const std::filesystem::path& path);
// Creates the parent folders, writes `bytes` exactly (binary: no line-end
// translation) to a temporary file beside it and renames it into place, so a
// reader never sees half a file.  file_error on failure.
void write_file(const std::filesystem::path& path, std::string_view bytes);
// The same, with the bytes written by `fill` as they come (a trace too large
// to hold in memory).
void write_file_with(const std::filesystem::path& path, const std::function<void(std::ostream&)>& fill);

// The same, piece by piece (a trace written as a run goes): the temporary
// file is renamed into place by commit(), and removed if the writer goes
// without one.  file_error on failure.
class file_writer {
 public:
  explicit file_writer(std::filesystem::path path);
  ~file_writer();
  file_writer(const file_writer&) = delete;
  file_writer& operator=(const file_writer&) = delete;

  void write(std::string_view bytes);
  std::ostream& stream() { return *out_; }
  void commit();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::filesystem::path temporary_;
  std::unique_ptr<std::ofstream> out_;
  bool committed_ = false;
};

}  // namespace sim::report
