// sim/message/maildir.cpp - write and read Maildir folders.
#include "sim/message/maildir.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/message/text.hpp"

namespace sim::message {

namespace fs = std::filesystem;

std::string maildir_file_name(std::size_t sequence) { return fmt::format("{:06}.M{}.mailsim", sequence, sequence); }

std::string maildir_safe_name(std::string_view name) {
  std::string out(name);
  std::replace_if(out.begin(), out.end(), [](char c) { return c == '/' || c == '\\' || c == '\0'; }, '_');
  if (out.empty() || out == "." || out == "..") out.insert(out.begin(), '_');
  return out;
}

namespace {

void write_file(const fs::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

std::string maildir_folder_dir(std::string_view folder) {
  if (iequals(folder, "INBOX")) return "";
  std::string name(folder);
  // Maildir++ writes levels with '.' ("Lists/mutt" -> ".Lists.mutt"); a backslash
  // or NUL must not reach a file name.
  std::replace(name.begin(), name.end(), '/', '.');
  std::replace_if(name.begin(), name.end(), [](char c) { return c == '\\' || c == '\0'; }, '_');
  return "." + name;
}

namespace {

fs::path make_folder(const fs::path& mailbox, std::string_view folder) {
  const std::string sub_dir = maildir_folder_dir(folder);
  const fs::path dir = sub_dir.empty() ? mailbox : mailbox / sub_dir;
  for (const char* sub : {"tmp", "new", "cur"}) fs::create_directories(dir / sub);
  if (!sub_dir.empty()) write_file(dir / "maildirfolder", "");
  return dir;
}

}  // namespace

fs::path write_maildir(const fs::path& root, std::string_view host, std::string_view address,
                       const std::vector<maildir_message>& messages, const std::vector<std::string>& folders) {
  const fs::path mailbox = root / maildir_safe_name(host) / maildir_safe_name(address);
  make_folder(mailbox, "INBOX");
  for (const auto& folder : folders) make_folder(mailbox, folder);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const fs::path dir = make_folder(mailbox, messages[i].folder);
    const std::string name = maildir_file_name(i + 1);
    write_file(dir / "tmp" / name, to_lf(to_crlf(messages[i].raw)));
    fs::rename(dir / "tmp" / name, dir / "new" / name);
  }
  return mailbox;
}

fs::path write_maildir(const fs::path& root, std::string_view host, std::string_view address,
                       const std::vector<std::string>& messages) {
  std::vector<maildir_message> inbox;
  for (const auto& raw : messages) inbox.push_back({"INBOX", raw});
  return write_maildir(root, host, address, inbox);
}

std::vector<maildir_entry> read_maildir(const fs::path& mailbox) {
  for (const char* folder : {"tmp", "new", "cur"}) {
    if (!fs::is_directory(mailbox / folder)) throw std::runtime_error("not a Maildir: " + mailbox.string());
  }
  std::vector<maildir_entry> entries;
  for (const char* folder : {"new", "cur"}) {
    std::vector<fs::path> files;
    for (const auto& item : fs::directory_iterator(mailbox / folder)) {
      if (item.is_regular_file()) files.push_back(item.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      entries.push_back({folder, file.filename().string(), to_crlf(read_file(file))});
    }
  }
  return entries;
}

}  // namespace sim::message
