// Tests for sim/message/maildir: write a Maildir, read it back (and with Python's mailbox).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include <unistd.h>

#include "sim/message/maildir.hpp"
#include "sim/message/message.hpp"

using namespace sim::message;
namespace fs = std::filesystem;

namespace {

struct temp_dir {
  fs::path path = fs::temp_directory_path() / ("mailsim-test-maildir-" + std::to_string(::getpid()));
  temp_dir() { fs::remove_all(path); }
  ~temp_dir() { fs::remove_all(path); }
};

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

const std::vector<std::string> messages = {
    "Return-Path: <alice@sender.test>\r\nSubject: First\r\n\r\nOne.\r\n",
    "Subject: Second\r\n\r\nTwo.\r\nLine two.\r\n",
    "Subject: Third\n\nLF input.\n",
};

}  // namespace

TEST_CASE("maildir: names") {
  CHECK(maildir_file_name(1) == "000001.M1.mailsim");
  CHECK(maildir_file_name(1234567) == "1234567.M1234567.mailsim");
  CHECK(maildir_safe_name("bob@example.org") == "bob@example.org");
  CHECK(maildir_safe_name("a/b\\c") == "a_b_c");
  CHECK(maildir_safe_name("..") == "_..");
  CHECK(maildir_safe_name(".") == "_.");
  CHECK(maildir_safe_name("") == "_");
}

TEST_CASE("maildir: written with LF line ends, read back with CRLF") {
  temp_dir dir;
  const fs::path box = write_maildir(dir.path, "mx1.example.org", "bob@example.org", messages);
  CHECK(box == dir.path / "mx1.example.org" / "bob@example.org");
  for (const char* folder : {"tmp", "new", "cur"}) CHECK(fs::is_directory(box / folder));
  CHECK(fs::is_empty(box / "tmp"));
  CHECK(slurp(box / "new" / "000002.M2.mailsim") == "Subject: Second\n\nTwo.\nLine two.\n");

  const auto got = read_maildir(box);
  REQUIRE(got.size() == 3);
  CHECK(got[0].folder == "new");
  CHECK(got[0].file_name == "000001.M1.mailsim");
  CHECK(got[0].raw == messages[0]);
  CHECK(got[1].raw == messages[1]);
  CHECK(got[2].raw == "Subject: Third\r\n\r\nLF input.\r\n");
  CHECK(message::parse(got[2].raw).get("Subject") == std::optional<std::string>("Third"));
}

TEST_CASE("maildir: cur/ is read after new/, tmp/ is skipped, not a Maildir throws") {
  temp_dir dir;
  const fs::path box = write_maildir(dir.path, "h", "a@h", {messages[0]});
  std::ofstream(box / "cur" / "000000.M0.mailsim:2,S") << "Subject: Seen\n\n";
  std::ofstream(box / "tmp" / "partial") << "Subject: Partial\n\n";
  const auto got = read_maildir(box);
  REQUIRE(got.size() == 2);
  CHECK(got[1].folder == "cur");
  CHECK(got[1].file_name == "000000.M0.mailsim:2,S");
  CHECK_THROWS(read_maildir(dir.path / "h"));
}

TEST_CASE("maildir: Python's mailbox.Maildir sees the messages") {
  if (std::system("command -v python3 >/dev/null 2>&1") != 0) {
    WARN("python3 not found: the Python reader check is skipped");
    return;
  }
  temp_dir dir;
  const fs::path box = write_maildir(dir.path, "mx1.example.org", "bob@example.org", messages);
  const fs::path out = dir.path / "subjects.txt";
  const std::string command =
      "python3 -c \"import mailbox,sys; md=mailbox.Maildir(sys.argv[1], create=False); "
      "print('\\n'.join(md[k]['subject'] for k in sorted(md.keys())))\" '" +
      box.string() + "' > '" + out.string() + "'";
  REQUIRE(std::system(command.c_str()) == 0);
  CHECK(slurp(out) == "First\nSecond\nThird\n");
}

TEST_CASE("maildir: Maildir++ folders beside INBOX, each with maildirfolder; names made safe") {
  CHECK(maildir_folder_dir("INBOX").empty());
  CHECK(maildir_folder_dir("inbox").empty());
  CHECK(maildir_folder_dir("Junk") == ".Junk");
  CHECK(maildir_folder_dir("Lists/mutt") == ".Lists.mutt");
  CHECK(maildir_folder_dir("a\\b") == ".a_b");
  temp_dir dir;
  const fs::path box = write_maildir(dir.path, "mx.example.org", "bob@example.org",
                                     {{"INBOX", messages[0]}, {"Junk", messages[1]}, {"INBOX", messages[2]}},
                                     {"INBOX", "Junk", "Trash"});
  CHECK(fs::exists(box / "new" / maildir_file_name(1)));
  CHECK(fs::exists(box / ".Junk" / "new" / maildir_file_name(2)));
  CHECK(fs::exists(box / "new" / maildir_file_name(3)));
  CHECK(fs::exists(box / ".Junk" / "maildirfolder"));
  CHECK(fs::is_directory(box / ".Trash" / "cur"));  // an empty folder is written too
  CHECK_FALSE(fs::exists(box / "maildirfolder"));   // INBOX is the mailbox itself
  CHECK(read_maildir(box).size() == 2);
  CHECK(read_maildir(box / ".Junk").size() == 1);
  if (std::system("command -v python3 >/dev/null 2>&1") != 0) return;
  const fs::path out = dir.path / "folders.txt";
  const std::string command =
      "python3 -c \"import mailbox,sys; md=mailbox.Maildir(sys.argv[1], create=False); "
      "print(sorted(md.list_folders()), len(md), [m['subject'] for m in md.get_folder('Junk')])\" '" +
      box.string() + "' > '" + out.string() + "'";
  REQUIRE(std::system(command.c_str()) == 0);
  CHECK(slurp(out) == "['Junk', 'Trash'] 2 ['Second']\n");
}
