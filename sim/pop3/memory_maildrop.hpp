// sim/pop3/memory_maildrop.hpp - an in-memory maildrop, for tests and small tools.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/pop3/maildrop.hpp"

namespace sim::pop3 {

class memory_maildrop final : public maildrop {
 public:
  // A mailbox with no password accepts any password.
  void add_user(const std::string& user, std::optional<std::string> password = std::nullopt);
  // Appends a message; its uid is "<user>-<n>" with n counting from 1.
  // Returns the uid.
  std::string deliver(const std::string& user, std::string content);
  // The messages in the mailbox now (empty for an unknown user).
  std::vector<maildrop_message> messages(std::string_view user) const;
  bool is_locked(std::string_view user) const;

  bool check_password(std::string_view user, std::string_view password) const override;
  bool try_lock(std::string_view user) override;
  void unlock(std::string_view user) override;
  std::vector<maildrop_message> open(std::string_view user) override;
  void commit(std::string_view user, const std::vector<std::string>& deleted_uids) override;

 private:
  struct mailbox {
    std::optional<std::string> password;
    std::vector<maildrop_message> messages;
    std::size_t delivered = 0;  // for the next uid
    bool locked = false;
  };
  std::map<std::string, mailbox, std::less<>> boxes_;
};

}  // namespace sim::pop3
