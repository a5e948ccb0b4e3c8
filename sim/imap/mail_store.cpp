// sim/imap/mail_store.cpp - change notification shared by every mail store.
#include "sim/imap/mail_store.hpp"

#include <algorithm>

namespace sim::imap {

std::string_view attribute_of(special_use use) {
  switch (use) {
    case special_use::none: return "";
    case special_use::sent: return "\\Sent";
    case special_use::junk: return "\\Junk";
    case special_use::trash: return "\\Trash";
    case special_use::drafts: return "\\Drafts";
    case special_use::archive: return "\\Archive";
  }
  return "";
}

void mail_store::watch(std::string_view user, std::weak_ptr<change_listener> listener) {
  auto it = listeners_.find(user);
  if (it == listeners_.end()) it = listeners_.emplace(std::string(user), std::vector<std::weak_ptr<change_listener>>{}).first;
  auto& list = it->second;
  std::erase_if(list, [](const std::weak_ptr<change_listener>& w) { return w.expired(); });
  list.push_back(std::move(listener));
}

void mail_store::notify(std::string_view user, std::string_view folder) {
  auto it = listeners_.find(user);
  if (it == listeners_.end()) return;
  // Copy first: a listener may register another while being told.
  std::vector<std::shared_ptr<change_listener>> live;
  for (const auto& w : it->second) {
    if (auto l = w.lock()) live.push_back(std::move(l));
  }
  if (live.size() != it->second.size()) it->second.assign(live.begin(), live.end());
  for (const auto& l : live) l->folder_changed(folder);
}

}  // namespace sim::imap
