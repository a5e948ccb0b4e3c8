// sim/imap/mail_store.hpp - what the IMAP server needs from a mailbox store.
//
// One user's mail is a set of folders.  INBOX, Junk, Sent and Trash exist
// from the start (default_folders); clients create, delete and rename
// others.  Each message in a folder has a UID, flags, a size and an
// INTERNALDATE; each folder has a UIDVALIDITY and the UID its next message
// will get (RFC 9051 §2.3.1.1).  The LDA's mailbox store implements this
// over the durable store (POP3 reads INBOX through pop3::maildrop);
// memory_mail_store is the in-memory twin for tests.
//
// Contract for implementations:
// - Calls are synchronous and made from the simulation's one thread; a
//   change is visible to the next call at once.  Making it durable is the
//   store's business (the session can wait for it: server_session.hpp).
// - User names: authenticate() returns the canonical name; every other call
//   receives that name.  Folder names are UTF-8, "/" between levels, INBOX
//   in capitals, and have passed unsafe_name() (mailbox_name.hpp), so they
//   hold no "..", empty level, NUL or control character.  A store that
//   builds file names from them may still check them again.
// - UIDs in a folder strictly ascend in the order messages were added and
//   are never reused while the UIDVALIDITY stays.  A folder created, or
//   given a new name, gets a UIDVALIDITY greater than any this user had
//   before, so a name never comes back with old UIDs meaning new mail.
// - After every change, call notify(user, folder) for each folder touched
//   (a delivery into INBOX too): open sessions learn of new, expunged and
//   re-flagged messages that way (EXISTS/EXPUNGE/FETCH, IDLE, RFC 2177).
// - \Recent (RFC 3501 §2.3.2): the store remembers, per folder, the lowest
//   UID no session has yet been told about; claim_recent() hands the
//   messages from there on to one session.
// - Quota: append(), copy() and move() refuse with over_quota when the
//   user's quota would be exceeded (the same quota LMTP delivery checks).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/imap/flags.hpp"

namespace sim::imap {

// RFC 6154 §2 special-use attributes.
enum class special_use { none, sent, junk, trash, drafts, archive };
// "\Sent", "\Junk" ... ("" for none).
std::string_view attribute_of(special_use use);

struct folder_info {
  std::string name;
  special_use use = special_use::none;
};

// The folders a new user has.
inline constexpr std::pair<std::string_view, special_use> default_folders[] = {
    {"INBOX", special_use::none},
    {"Junk", special_use::junk},
    {"Sent", special_use::sent},
    {"Trash", special_use::trash},
};

struct folder_status {
  std::uint32_t uidvalidity = 0;
  std::uint32_t uidnext = 1;           // the UID the next message added will get
  std::uint32_t first_recent_uid = 1;  // messages from this UID on are \Recent for whoever claims them
};

struct message_info {
  std::uint32_t uid = 0;
  flag_list flags;              // as flags.hpp keeps them; never \Recent
  std::uint64_t size = 0;       // octets of the stored message (RFC822.SIZE)
  wall_time internal_date{};    // RFC 9051 §2.3.3
};

enum class store_status {
  ok,
  nonexistent,     // no such folder (or user)
  already_exists,  // CREATE or RENAME onto a name in use
  has_children,    // DELETE of a folder with folders under it
  cannot,          // the operation makes no sense here (DELETE INBOX, RENAME a folder under itself)
  over_quota,      // the user's quota would be exceeded
  limit,           // too many folders or keywords (limits.hpp)
};

struct append_outcome {
  store_status status = store_status::ok;
  std::uint32_t uidvalidity = 0;  // RFC 4315 APPENDUID
  std::uint32_t uid = 0;
};

struct copy_outcome {
  store_status status = store_status::ok;
  std::uint32_t uidvalidity = 0;            // the target folder's (RFC 4315 COPYUID)
  std::vector<std::uint32_t> source_uids;   // the messages found, ascending
  std::vector<std::uint32_t> target_uids;   // their UIDs in the target, in the same order
};

struct flag_update {
  std::uint32_t uid = 0;
  flag_list flags;  // the message's complete new flags
};

// Told about changes to one user's folders.  Held weakly by the store: a
// listener that is gone is simply skipped.
class change_listener {
 public:
  virtual ~change_listener() = default;
  // Called synchronously, from inside the call that made the change.
  virtual void folder_changed(std::string_view folder) = 0;
};

class mail_store {
 public:
  virtual ~mail_store() = default;

  // The canonical user name when `password` is right (a mailbox with no
  // password accepts any password), nullopt otherwise.
  virtual std::optional<std::string> authenticate(std::string_view user, std::string_view password) const = 0;

  // Folders, sorted by name.
  virtual std::vector<folder_info> folders(std::string_view user) const = 0;
  virtual std::optional<folder_status> status(std::string_view user, std::string_view folder) const = 0;
  // Creates missing parent folders too (RFC 9051 §6.3.4).
  virtual store_status create_folder(std::string_view user, std::string_view folder) = 0;
  // Removes the folder and its messages; INBOX cannot go (RFC 9051 §6.3.5).
  virtual store_status delete_folder(std::string_view user, std::string_view folder) = 0;
  // Renames the folder and those under it; renaming INBOX moves its messages
  // to a new folder and leaves INBOX empty (RFC 9051 §6.3.6).
  virtual store_status rename_folder(std::string_view user, std::string_view from, std::string_view to) = 0;

  // RFC 9051 §6.3.7-8.  Subscriptions are names: deleting a folder keeps its
  // subscription.  Subscribing needs the folder to exist.
  virtual std::vector<std::string> subscriptions(std::string_view user) const = 0;
  virtual store_status subscribe(std::string_view user, std::string_view folder) = 0;
  virtual store_status unsubscribe(std::string_view user, std::string_view folder) = 0;

  // The folder's messages in UID order (empty when it does not exist).
  virtual std::vector<message_info> messages(std::string_view user, std::string_view folder) const = 0;
  // The message as stored (CRLF lines), nullopt when it is gone.
  virtual std::optional<std::string> content(std::string_view user, std::string_view folder,
                                             std::uint32_t uid) const = 0;
  virtual append_outcome append(std::string_view user, std::string_view folder, std::string content,
                                flag_list flags, wall_time internal_date) = 0;
  // Messages no longer there are skipped.
  virtual store_status set_flags(std::string_view user, std::string_view folder,
                                 const std::vector<flag_update>& updates) = 0;
  virtual store_status expunge(std::string_view user, std::string_view folder,
                               const std::vector<std::uint32_t>& uids) = 0;
  // Copies keep flags and INTERNALDATE.  move() is copy then expunge, as one
  // change (RFC 6851 §3.3).  Both need the target to exist.
  virtual copy_outcome copy(std::string_view user, std::string_view from, const std::vector<std::uint32_t>& uids,
                            std::string_view to) = 0;
  virtual copy_outcome move(std::string_view user, std::string_view from, const std::vector<std::uint32_t>& uids,
                            std::string_view to) = 0;
  // Marks every message now in the folder as told about; returns the first
  // UID that was not yet (messages from it on are \Recent for the caller).
  virtual std::uint32_t claim_recent(std::string_view user, std::string_view folder) = 0;

  // Change notification, shared by every implementation.
  void watch(std::string_view user, std::weak_ptr<change_listener> listener);

 protected:
  // Implementations call this after each change to a folder of `user`.
  void notify(std::string_view user, std::string_view folder);

 private:
  std::map<std::string, std::vector<std::weak_ptr<change_listener>>, std::less<>> listeners_;
};

}  // namespace sim::imap
