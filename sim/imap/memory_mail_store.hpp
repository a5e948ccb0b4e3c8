// sim/imap/memory_mail_store.hpp - an in-memory mail store, for tests and small tools.
//
// Users are looked up without regard to case (as the LDA does).  UIDVALIDITY
// values come from one counter per user, so they are deterministic and
// never repeat.  The quota, when set, counts the octets of every folder.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/imap/mail_store.hpp"

namespace sim::imap {

class memory_mail_store final : public mail_store {
 public:
  // A user with the default folders.  No password: any password is accepted.
  void add_user(const std::string& user, std::optional<std::string> password = std::nullopt);
  void set_quota(std::string_view user, std::optional<std::uint64_t> octets);
  // Files a message into INBOX as the LDA would (no flags); returns its UID,
  // or 0 when the user is unknown or over quota.
  std::uint32_t deliver(std::string_view user, std::string content, wall_time when);
  // Octets in all of the user's folders.
  std::uint64_t used_bytes(std::string_view user) const;

  std::optional<std::string> authenticate(std::string_view user, std::string_view password) const override;
  std::vector<folder_info> folders(std::string_view user) const override;
  std::optional<folder_status> status(std::string_view user, std::string_view folder) const override;
  store_status create_folder(std::string_view user, std::string_view folder) override;
  store_status delete_folder(std::string_view user, std::string_view folder) override;
  store_status rename_folder(std::string_view user, std::string_view from, std::string_view to) override;
  std::vector<std::string> subscriptions(std::string_view user) const override;
  store_status subscribe(std::string_view user, std::string_view folder) override;
  store_status unsubscribe(std::string_view user, std::string_view folder) override;
  std::vector<message_info> messages(std::string_view user, std::string_view folder) const override;
  std::optional<std::string> content(std::string_view user, std::string_view folder,
                                     std::uint32_t uid) const override;
  append_outcome append(std::string_view user, std::string_view folder, std::string content, flag_list flags,
                        wall_time internal_date) override;
  store_status set_flags(std::string_view user, std::string_view folder,
                         const std::vector<flag_update>& updates) override;
  store_status expunge(std::string_view user, std::string_view folder,
                       const std::vector<std::uint32_t>& uids) override;
  copy_outcome copy(std::string_view user, std::string_view from, const std::vector<std::uint32_t>& uids,
                    std::string_view to) override;
  copy_outcome move(std::string_view user, std::string_view from, const std::vector<std::uint32_t>& uids,
                    std::string_view to) override;
  std::uint32_t claim_recent(std::string_view user, std::string_view folder) override;

 private:
  struct stored_message {
    message_info info;
    std::string content;
  };
  struct folder {
    special_use use = special_use::none;
    std::uint32_t uidvalidity = 0;
    std::uint32_t uidnext = 1;
    std::uint32_t first_recent_uid = 1;
    std::vector<stored_message> messages;
  };
  struct account {
    std::string name;  // as added
    std::optional<std::string> password;
    std::optional<std::uint64_t> quota;
    std::map<std::string, folder, std::less<>> folders;
    std::set<std::string, std::less<>> subscriptions;
    std::uint32_t next_uidvalidity = 1;
  };

  account* find(std::string_view user);
  const account* find(std::string_view user) const;
  folder* find(std::string_view user, std::string_view name);
  const folder* find(std::string_view user, std::string_view name) const;
  // Adds `name` and its missing parents; false past the folder limit.
  bool make_folder(account& a, std::string_view name);
  bool has_room(const account& a, std::uint64_t more) const;
  std::uint32_t add_message(folder& f, message_info info, std::string content);
  copy_outcome copy_into(std::string_view user, std::string_view from, const std::vector<std::uint32_t>& uids,
                         std::string_view to);

  std::map<std::string, account, std::less<>> accounts_;  // key: lower-case user
};

}  // namespace sim::imap
