// sim/lda/mailbox_store.hpp - a host's mailboxes, durable through sim::storage.
//
// Every message is written to the store ("mbox/<address>/<uid>") and is
// durable before deliver() returns, so the LDA can say 250.  The in-memory
// index is what POP3 reads (the pop3::maildrop interface); after a crash it
// is rebuilt from the store by recover().  Addresses are compared in
// their canonical RFC 5321 form ("john doe"@x and "john doe"@x alike,
// quotes only where needed) and without regard to case (as Postfix's
// local delivery does).
//
// RFC 1939 section 7: a UID is never reused.  Uids grow from 1; the next
// one is kept in the store ("mbox-next/<address>") whenever the newest
// message is removed, so a restart does not hand it out again.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/task_group.hpp"
#include "sim/core/time.hpp"
#include "sim/pop3/maildrop.hpp"
#include "sim/storage/store.hpp"

namespace sim::lda {

struct mailbox_settings {
  std::optional<std::string> password;  // none: any password is accepted
  std::optional<std::uint64_t> quota;   // octets; none: unlimited
  bool login = true;                    // false: no password is ever right (a postmaster nobody logs in to)
};

struct stored_message {
  std::string uid;       // "00000001": the store name's last part and the POP3 UIDL
  std::string raw;       // as filed, CRLF line ends, Return-Path on top ("" when bodies are not kept)
  std::uint64_t size = 0;  // octets of the message as filed
};

// One message dropped to keep a mailbox within its retention limit.
struct dropped_message {
  std::string address;  // the mailbox, as configured
  std::string uid;
  std::uint64_t size = 0;
  std::uint64_t dropped = 0;  // messages this mailbox has dropped so far, this one included
};

class mailbox_store final : public pop3::maildrop {
 public:
  explicit mailbox_store(storage::store& store) : store_(store) {}

  // Live mode's bound on memory (`serve --retain`): each mailbox keeps at
  // most `per_mailbox` messages; a delivery beyond that drops the oldest,
  // from the index and from the store, each reported to `on_drop`.  Never
  // while a POP3 session holds the mailbox (its view must not change under
  // it): the drops then happen when the session ends.
  void set_retention(std::size_t per_mailbox, std::function<void(const dropped_message&)> on_drop);

  // Whether message bodies are kept (the default).  A run that never reads
  // them back (no POP3 fetch, no --maildir) keeps each message's uid and
  // size only, in memory and in the store (which then holds the size as
  // decimal text), so that mail nobody reads costs no memory; quotas and
  // recovery after a crash count it all the same.  Set before any delivery.
  void keep_bodies(bool keep) { keep_bodies_ = keep; }
  void add_mailbox(const std::string& address, mailbox_settings settings);
  bool exists(std::string_view address) const;
  std::vector<std::string> addresses() const;  // as configured, sorted
  std::optional<std::uint64_t> quota(std::string_view address) const;
  std::uint64_t used_bytes(std::string_view address) const;
  const std::deque<stored_message>& messages(std::string_view address) const;

  // Files `raw` into the mailbox; returns once durable.  Throws
  // storage::store_error (crashed) when the host dies first.
  asio::awaitable<std::string> deliver(std::string address, std::string raw);
  // Without bodies (keep_bodies(false)): files a message of `size` octets
  // that nobody built, since nobody will read it.
  asio::awaitable<std::string> deliver_counted(std::string address, std::uint64_t size);
  bool keeps_bodies() const { return keep_bodies_; }
  // After a restart: the index is rebuilt from what was durable.
  asio::awaitable<void> recover();
  // The host died: the in-memory index is gone with it.
  void crash();

  // pop3::maildrop.  Deletions are written through in the background.
  void set_background(task_group* tasks) { tasks_ = tasks; }
  bool check_password(std::string_view user, std::string_view password) const override;
  bool try_lock(std::string_view user) override;
  void unlock(std::string_view user) override;
  std::vector<pop3::maildrop_message> open(std::string_view user) override;
  void commit(std::string_view user, const std::vector<std::string>& deleted_uids) override;

 private:
  struct mailbox {
    std::string address;  // as configured
    mailbox_settings settings;
    std::deque<stored_message> messages;  // oldest first
    std::uint64_t used = 0;               // octets of every message in it
    std::uint64_t dropped = 0;            // by retention, since the start
    std::uint64_t next_uid = 1;
    bool locked = false;
  };
  mailbox* find(std::string_view address);
  const mailbox* find(std::string_view address) const;
  static std::string key(std::string_view address);
  static std::string store_name(const mailbox& box, const std::string& uid);
  static std::string next_uid_name(const mailbox& box);
  void apply_retention(mailbox& box);
  void remove_in_background(std::vector<std::string> names);
  void remove_keeping_next_uid(const mailbox& box, std::vector<std::string> names);

  storage::store& store_;
  task_group* tasks_ = nullptr;
  std::optional<std::size_t> retain_;
  std::function<void(const dropped_message&)> on_drop_;
  bool keep_bodies_ = true;
  std::map<std::string, mailbox> boxes_;  // key: lower-case address
};

}  // namespace sim::lda
