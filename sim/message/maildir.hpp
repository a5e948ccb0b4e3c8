// sim/message/maildir.hpp - mailboxes written out as real Maildirs (cli --maildir).
//
// Layout DIR/<host>/<address>/{tmp,new,cur}; each message is written to tmp/
// and renamed into new/, as a Maildir delivery agent does.  Files hold LF line
// ends, as Maildir on Unix stores them.  This is real file I/O (std::filesystem),
// used once at the end of a run, never by the simulated world.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace sim::message {

// "000001.M1.mailsim": sequence number first so that names sort in delivery
// order; no '/' or ':' (':' starts the info suffix of cur/ names).
std::string maildir_file_name(std::size_t sequence);

// A path component for a host or address: '/', '\\' and NUL become '_', and
// "." or ".." (or empty) get a leading '_'.
std::string maildir_safe_name(std::string_view name);

// Creates DIR/<host>/<address>/{tmp,new,cur} and writes `messages` (raw, any
// line ends) into new/ in order, numbered from 1.  Returns the mailbox
// directory.  Throws std::filesystem::filesystem_error or std::runtime_error.
std::filesystem::path write_maildir(const std::filesystem::path& root, std::string_view host,
                                    std::string_view address, const std::vector<std::string>& messages);

// Maildir++ (Courier's layout, which Dovecot, mutt and Python's
// mailbox.Maildir read): INBOX is the mailbox directory itself; another
// folder is its subdirectory ".<name>" ("Junk" -> ".Junk/") with its own
// tmp/new/cur and an empty "maildirfolder" file.
struct maildir_message {
  std::string folder;  // "INBOX", "Junk", ...
  std::string raw;
};
std::string maildir_folder_dir(std::string_view folder);  // "" for INBOX, ".Junk", ".Lists.mutt" for Lists/mutt

// As above, each message into its folder (numbered from 1 across the
// mailbox, in order).  Every folder named is created, even when empty.
std::filesystem::path write_maildir(const std::filesystem::path& root, std::string_view host,
                                    std::string_view address, const std::vector<maildir_message>& messages,
                                    const std::vector<std::string>& folders = {});

struct maildir_entry {
  std::string folder;     // "new" or "cur"
  std::string file_name;
  std::string raw;        // CRLF line ends, as the message travelled
};

// Reads a mailbox directory as a mail reader would: every regular file of
// new/ and cur/ (tmp/ is in-progress delivery, skipped), new/ first, each
// folder sorted by name.  Throws if the directory is not a Maildir.
std::vector<maildir_entry> read_maildir(const std::filesystem::path& mailbox);

}  // namespace sim::message
