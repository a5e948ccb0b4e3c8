// sim/lda/mailbox_store.hpp - a host's mailboxes, durable through sim::storage.
//
// Every mailbox holds folders: INBOX plus the defaults of
// imap::default_folders (Junk, Sent, Trash) and whatever a client creates.
// Each message in a folder has a UID, flags and an INTERNALDATE; each
// folder has a UIDVALIDITY (RFC 9051 §2.3.1.1).  POP3 reads INBOX only
// (the pop3::maildrop interface); IMAP reads everything (imap::mail_store,
// mailbox_folders.cpp).
//
// Durability.  A delivered message is written to the store and is durable
// before deliver() returns, so the LDA can say 250: INBOX messages as
// "mbox/<address>/<uid>" (as before folders existed), those of other
// folders as "mbox-folder/<address>/<folder id>/<uid>" (a folder id is a
// number that stays through renames, so no client-chosen name ever becomes
// a file name).  Everything else (folders, their UIDVALIDITY and next UID,
// flags, INTERNALDATEs, subscriptions) is one record per mailbox,
// "mbox-meta/<address>" (mailbox_meta.hpp), rewritten in the background
// after each change (a delivery into a mailbox of many messages adds an entry
// to the record's journal instead, "mbox-meta-log/<address>/<slot>"); changes made through IMAP and POP3 are written in the
// background in the order made, and flush() waits for them.  After a crash
// the index is rebuilt from the store by recover().
//
// Addresses are compared in their canonical RFC 5321 form ("john doe"@x
// and "john doe"@x alike, quotes only where needed) and without regard to
// case (as Postfix's local delivery does).
//
// RFC 1939 section 7 / RFC 9051 §2.3.1.1: a UID is never reused.  UIDs grow
// from 1 in each folder; INBOX's next one is also kept in
// "mbox-next/<address>" whenever a message is removed.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sim/core/task_group.hpp"
#include "sim/core/time.hpp"
#include "sim/imap/mail_store.hpp"
#include "sim/lda/message_list.hpp"
#include "sim/pop3/maildrop.hpp"
#include "sim/storage/store.hpp"

namespace sim::lda {

struct mailbox_settings {
  std::optional<std::string> password;  // none: any password is accepted
  std::optional<std::uint64_t> quota;   // octets, every folder counted; none: unlimited
  bool login = true;                    // false: no password is ever right (a postmaster nobody logs in to)
};

struct stored_message {
  std::string uid;  // "00000001": the store name's last part and (INBOX) the POP3 UIDL
  std::string raw;  // as filed, CRLF line ends, Return-Path on top ("" when bodies are not kept)
  std::uint32_t number = 0;  // the IMAP UID (the same number as `uid`)
  imap::flag_list flags;     // never \Recent
  wall_time internal_date{};
  std::uint64_t size = 0;  // octets of the message as filed
};

// A folder's messages in UID order.  Retention drops the oldest from the
// front in O(1) each, however full the folder is.
using message_list = front_dropping_vector<stored_message>;

// One message dropped to keep a mailbox within its retention limit.
struct dropped_message {
  std::string address;  // the mailbox, as configured
  std::string uid;
  std::uint64_t size = 0;
  std::uint64_t dropped = 0;  // messages this mailbox has dropped so far, this one included
  std::string folder = "INBOX";
};

struct parsed_meta;  // mailbox_meta.hpp

class mailbox_store final : public pop3::maildrop, public imap::mail_store {
 public:
  explicit mailbox_store(storage::store& store) : store_(store) {}

  // Live mode's bound on memory (`serve --retain`): each folder of a mailbox
  // keeps at most `per_mailbox` messages; a delivery beyond that drops the oldest,
  // from the index and from the store, each reported to `on_drop`.  Never
  // while a POP3 session holds the mailbox (its view must not change under
  // it): the drops then happen when the session ends.
  void set_retention(std::size_t per_mailbox, std::function<void(const dropped_message&)> on_drop);

  // A reader copying or moving a message from another folder into a Junk
  // folder (special-use \Junk, RFC 6154) reports it as spam: `on_report`
  // gets the mailbox and the message as filed (the host's MTA counts it as
  // a complaint against its sender, sim/mta/reputation.cpp).
  using junk_report = std::function<void(const std::string& address, std::string_view raw)>;
  void set_junk_report(junk_report on_report) { on_junk_report_ = std::move(on_report); }

  // Whether message bodies are kept (the default).  A run that never reads
  // them back (no POP3 or IMAP fetch, no --maildir) keeps each message's uid
  // and size only, in memory and in the store (which then holds the size as
  // decimal text), in every folder, so that mail nobody reads costs no
  // memory; quotas and recovery after a crash count it all the same.  Set
  // before any delivery.
  void keep_bodies(bool keep) { keep_bodies_ = keep; }

  void add_mailbox(const std::string& address, mailbox_settings settings);
  bool exists(std::string_view address) const;
  std::vector<std::string> addresses() const;  // as configured, sorted
  std::optional<std::uint64_t> quota(std::string_view address) const;
  std::uint64_t used_bytes(std::string_view address) const;  // all folders
  // INBOX's messages, in UID order.
  const message_list& messages(std::string_view address) const;
  // A folder's messages (empty when the mailbox or folder does not exist).
  const message_list& folder_messages(std::string_view address, std::string_view folder) const;
  bool has_folder(std::string_view address, std::string_view folder) const;

  // Files `raw` into `folder` (INBOX unless told otherwise; the folder must
  // exist, see has_folder/create_folder) with INTERNALDATE `when` and no
  // flags; returns its UID as 8 digits once durable.  Throws
  // storage::store_error: bad_name for an unknown mailbox or folder,
  // crashed when the host dies first.  Watchers (IMAP IDLE) are notified.
  asio::awaitable<std::string> deliver(std::string address, std::string raw, std::string folder = "INBOX",
                                       wall_time when = {});
  // Without bodies (keep_bodies(false)): files a message of `size` octets
  // that nobody built, since nobody will read it.
  asio::awaitable<std::string> deliver_counted(std::string address, std::uint64_t size, std::string folder = "INBOX",
                                               wall_time when = {});
  bool keeps_bodies() const { return keep_bodies_; }
  // After a restart: the index is rebuilt from what was durable.
  asio::awaitable<void> recover();
  // The host died: the in-memory index is gone with it.
  void crash();
  // Returns once every background write started so far is durable (or
  // has failed with the host).
  asio::awaitable<void> flush();

  // Background writes (POP3 deletions, IMAP changes) run in `tasks`.
  void set_background(task_group* tasks) { tasks_ = tasks; }

  // pop3::maildrop: INBOX only.
  bool check_password(std::string_view user, std::string_view password) const override;
  bool try_lock(std::string_view user) override;
  void unlock(std::string_view user) override;
  std::vector<pop3::maildrop_message> open(std::string_view user) override;
  void commit(std::string_view user, const std::vector<std::string>& deleted_uids) override;

  // imap::mail_store (mailbox_folders.cpp).  The user is the address.
  std::optional<std::string> authenticate(std::string_view user, std::string_view password) const override;
  std::vector<imap::folder_info> folders(std::string_view user) const override;
  std::optional<imap::folder_status> status(std::string_view user, std::string_view folder) const override;
  imap::store_status create_folder(std::string_view user, std::string_view folder) override;
  imap::store_status delete_folder(std::string_view user, std::string_view folder) override;
  imap::store_status rename_folder(std::string_view user, std::string_view from, std::string_view to) override;
  std::vector<std::string> subscriptions(std::string_view user) const override;
  imap::store_status subscribe(std::string_view user, std::string_view folder) override;
  imap::store_status unsubscribe(std::string_view user, std::string_view folder) override;
  std::vector<imap::message_info> messages(std::string_view user, std::string_view folder) const override;
  std::optional<std::string> content(std::string_view user, std::string_view folder,
                                     std::uint32_t uid) const override;
  imap::append_outcome append(std::string_view user, std::string_view folder, std::string content,
                              imap::flag_list flags, wall_time internal_date) override;
  imap::store_status set_flags(std::string_view user, std::string_view folder,
                               const std::vector<imap::flag_update>& updates) override;
  imap::store_status expunge(std::string_view user, std::string_view folder,
                             const std::vector<std::uint32_t>& uids) override;
  imap::copy_outcome copy(std::string_view user, std::string_view from, const std::vector<std::uint32_t>& uids,
                          std::string_view to) override;
  imap::copy_outcome move(std::string_view user, std::string_view from, const std::vector<std::uint32_t>& uids,
                          std::string_view to) override;
  std::uint32_t claim_recent(std::string_view user, std::string_view folder) override;

  struct flush_waiter {
    std::uint64_t target = 0;  // done when this many writes are
    asio::any_io_executor executor;
    // Shared: a lambda holding an any_completion_handler by value looks
    // copyable to Asio (its converting constructor), and a copy wraps it.
    std::shared_ptr<asio::any_completion_handler<void()>> handler;
  };
  struct folder_data {
    std::uint32_t id = 0;  // INBOX 0; names the folder's messages in the store
    imap::special_use use = imap::special_use::none;
    std::uint32_t uidvalidity = 1;
    std::uint32_t uidnext = 1;
    std::uint32_t first_recent_uid = 1;
    message_list messages;
  };
  struct mailbox_data {
    std::string address;  // as configured
    std::string key;      // its key in the index (key(address))
    std::string stored_name;  // its part of the store's names (name_component of the key)
    mailbox_settings settings;
    std::map<std::string, folder_data, std::less<>> folders;
    std::set<std::string, std::less<>> subscriptions;
    std::uint32_t next_uidvalidity = 1;
    std::uint32_t next_folder_id = 1;
    std::uint64_t used = 0;  // octets of every message in every folder
    std::uint64_t dropped = 0;  // by retention, since the start
    bool locked = false;
    // The record's journal (mailbox_meta.hpp): its generation, and how many
    // entries it has since the record was last written.
    std::uint64_t log_generation = 0;
    std::size_t log_entries = 0;
    // What the write queued for this mailbox (at most one, not yet started)
    // will be: the record, or a journal entry of these lines.
    bool record_due = false;
    std::string log_lines;
  };

 private:
  mailbox_data* find(std::string_view address);
  const mailbox_data* find(std::string_view address) const;
  folder_data* find(std::string_view address, std::string_view name);
  const folder_data* find(std::string_view address, std::string_view name) const;
  static std::string key(std::string_view address);
  static std::string message_name(const mailbox_data& box, const folder_data& f, std::uint32_t uid);
  static std::string next_uid_name(const mailbox_data& box);
  static std::string meta_name(const mailbox_data& box);
  static std::string log_prefix(const mailbox_data& box);
  static void reset_folders(mailbox_data& box);
  asio::awaitable<void> recover(mailbox_data& box);
  asio::awaitable<std::string> file(std::string address, std::string raw, std::uint64_t size, std::string folder,
                                    wall_time when);

  // Folder operations (mailbox_folders.cpp).
  bool make_folder(mailbox_data& box, std::string_view name);
  bool has_room(const mailbox_data& box, std::uint64_t more) const;
  std::uint32_t add_message(mailbox_data& box, folder_data& f, stored_message m);
  void remove_messages(mailbox_data& box, folder_data& f, const std::vector<std::uint32_t>& sorted_uids);
  void apply_retention(mailbox_data& box);
  imap::copy_outcome copy_into(mailbox_data& box, folder_data& source, const std::vector<std::uint32_t>& uids,
                               folder_data& target);

  // Background writes, in the order asked for (mailbox_store.cpp).
  void write_meta(mailbox_data& box);
  void log_message(mailbox_data& box, const folder_data& f, const stored_message& m);
  void queue_meta(mailbox_data& box);
  asio::awaitable<void> recover_log(mailbox_data& box, std::uint64_t generation, parsed_meta& out);
  void write(std::string name, std::string bytes);
  void remove(std::string name);
  void background(std::function<asio::awaitable<void>()> op);
  asio::awaitable<void> run_writes();

  storage::store& store_;
  task_group* tasks_ = nullptr;
  std::optional<std::size_t> retain_;
  std::function<void(const dropped_message&)> on_drop_;
  junk_report on_junk_report_;
  bool keep_bodies_ = true;
  std::map<std::string, mailbox_data> boxes_;  // key: lower-case address
  // Addresses as asked for, to their mailbox: a key costs a parse and a
  // copy, a search of boxes_ a string comparison per level.  Mailboxes are
  // never removed, so the pointers stay valid; only hits are kept.
  struct address_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  mutable std::unordered_map<std::string, mailbox_data*, address_hash, std::equal_to<>> found_;
  std::deque<std::function<asio::awaitable<void>()>> queue_;
  std::unordered_set<mailbox_data*> meta_queued_;  // mailboxes whose record or entry is queued, not yet started
  bool writing_ = false;
  std::uint64_t generation_ = 0;  // bumped by crash(): a writer of an older one stops
  std::uint64_t writes_started_ = 0;
  std::uint64_t writes_done_ = 0;
  std::list<flush_waiter> flush_waiters_;  // a list: any_completion_handler must never be copied
};

}  // namespace sim::lda
