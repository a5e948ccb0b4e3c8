// sim/pop3/memory_maildrop.cpp - an in-memory maildrop, for tests and small tools.
#include "sim/pop3/memory_maildrop.hpp"

#include <algorithm>

namespace sim::pop3 {

void memory_maildrop::add_user(const std::string& user, std::optional<std::string> password) {
  boxes_[user].password = std::move(password);
}

std::string memory_maildrop::deliver(const std::string& user, std::string content) {
  auto& box = boxes_[user];
  std::string uid = user + "-" + std::to_string(++box.delivered);
  box.messages.push_back({uid, std::move(content)});
  return uid;
}

std::vector<maildrop_message> memory_maildrop::messages(std::string_view user) const {
  auto it = boxes_.find(user);
  if (it == boxes_.end()) return {};
  return it->second.messages;
}

bool memory_maildrop::is_locked(std::string_view user) const {
  auto it = boxes_.find(user);
  return it != boxes_.end() && it->second.locked;
}

bool memory_maildrop::check_password(std::string_view user, std::string_view password) const {
  auto it = boxes_.find(user);
  if (it == boxes_.end()) return false;
  return !it->second.password || *it->second.password == password;
}

bool memory_maildrop::try_lock(std::string_view user) {
  auto it = boxes_.find(user);
  if (it == boxes_.end() || it->second.locked) return false;
  it->second.locked = true;
  return true;
}

void memory_maildrop::unlock(std::string_view user) {
  auto it = boxes_.find(user);
  if (it != boxes_.end()) it->second.locked = false;
}

std::vector<maildrop_message> memory_maildrop::open(std::string_view user) { return messages(user); }

void memory_maildrop::commit(std::string_view user, const std::vector<std::string>& deleted_uids) {
  auto it = boxes_.find(user);
  if (it == boxes_.end()) return;
  auto& list = it->second.messages;
  std::erase_if(list, [&](const maildrop_message& m) {
    return std::find(deleted_uids.begin(), deleted_uids.end(), m.uid) != deleted_uids.end();
  });
}

}  // namespace sim::pop3
