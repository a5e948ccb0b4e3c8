// sim/storage/group_commit_spares.cpp - a checkpoint reuses the inodes of the files it removes.
//
// On ext4 without a journal (as on many VM images), every new inode is
// searched for past the inodes freed in the last minute or more
// (find_inode_bit, recently_deleted()): a spool that files thousands of
// messages a second and drops as many (--retain) spent most of its CPU
// there.  So a checkpoint does not unlink a removed name's file: it renames
// it to a spare (".spare-N" beside the journals: no store lists a name that
// starts with "."), and a put of a name that has no file yet renames a
// spare into place and rewrites it.  Names, data and durability are as
// before: a removal or a put reaches the disk with the checkpoint's syncfs,
// and until then the journal holds it (the replay redoes either).  Spares
// left over by a stop or a crash are removed when the spool is opened.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "sim/storage/group_commit.hpp"

namespace sim::storage {

namespace fs = std::filesystem;

// A removal: kept as a spare while there are few, else unlinked.  The
// spool's own folder always exists, so ENOENT says the name has no file
// (a name put and removed within one journal never had one).
void group_commit::retire(const fs::path& path) {
  if (spares_.size() < max_spares) {
    std::string spare = (dir_ / (".spare-" + std::to_string(next_spare_))).native();
    if (::rename(path.c_str(), spare.c_str()) == 0) {
      ++next_spare_;
      spares_.push_back(std::move(spare));
      ++files_removed_;
      step(commit_step::kind::unlinked, path);
      return;
    }
    if (errno == ENOENT) {
      step(commit_step::kind::unlinked, path);
      return;
    }
  }
  apply({journal_record::kind::remove, {}, {}}, path);
}

// A put's file, open for writing from its start: the existing file of the
// name, else a spare renamed to it, else a new file (apply_put() makes the
// name's folder again if it has gone).  Called with files_mutex_ held.
int group_commit::open_for_put(const fs::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd >= 0 || errno != ENOENT) return fd;
  if (!spares_.empty()) {
    std::string spare = std::move(spares_.back());
    spares_.pop_back();
    if (::rename(spare.c_str(), path.c_str()) == 0) {
      ++files_reused_;
      return ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    }
    ::unlink(spare.c_str());  // not usable here (the name's folder has gone, say): dropped
  }
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
}

// Opening the spool, and a clean stop: no spare outlives a run.
void group_commit::clear_spares() {
  for (const auto& s : spares_) ::unlink(s.c_str());
  spares_.clear();
  std::error_code ec;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().native().starts_with(".spare-")) ::unlink(it->path().c_str());
}

}  // namespace sim::storage
