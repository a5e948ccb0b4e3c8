// memory_mail_store: folders, UIDs and UIDVALIDITY, flags, copy/move,
// \Recent claims, the quota hook, change notification.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "sim/imap/memory_mail_store.hpp"
#include "tests/sim/imap/server_driver.hpp"

using namespace sim::imap;
using sim::imap::test::start_time;

namespace {

struct recorder final : change_listener {
  std::vector<std::string> changes;
  void folder_changed(std::string_view folder) override { changes.emplace_back(folder); }
};

std::vector<std::string> folder_names(const memory_mail_store& s, std::string_view user) {
  std::vector<std::string> out;
  for (const auto& f : s.folders(user)) out.push_back(f.name);
  return out;
}

}  // namespace

TEST_CASE("memory store: a new user has INBOX, Junk, Sent, Trash with their special uses") {
  memory_mail_store s;
  s.add_user("Bob@Example.org", "pw");
  CHECK(s.authenticate("bob@example.org", "pw") == "Bob@Example.org");
  CHECK_FALSE(s.authenticate("bob@example.org", "PW"));
  CHECK_FALSE(s.authenticate("nobody@example.org", "pw"));
  auto folders = s.folders("bob@example.org");
  REQUIRE(folders.size() == 4);
  CHECK(folders[0].name == "INBOX");
  CHECK(folders[1].use == special_use::junk);
  CHECK(folders[2].use == special_use::sent);
  CHECK(folders[3].use == special_use::trash);
  CHECK(attribute_of(folders[3].use) == "\\Trash");
  CHECK(s.subscriptions("bob@example.org") == std::vector<std::string>{"INBOX", "Junk", "Sent", "Trash"});
  s.add_user("carol@example.org");
  CHECK(s.authenticate("carol@example.org", "anything"));
}

TEST_CASE("memory store: UIDs ascend and are never reused, UIDVALIDITY never repeats") {
  memory_mail_store s;
  s.add_user("bob", "pw");
  auto v = s.status("bob", "INBOX")->uidvalidity;
  CHECK(s.deliver("bob", "a\r\n", start_time()) == 1);
  CHECK(s.deliver("bob", "b\r\n", start_time()) == 2);
  CHECK(s.expunge("bob", "INBOX", {2}) == store_status::ok);
  CHECK(s.deliver("bob", "c\r\n", start_time()) == 3);
  CHECK(s.status("bob", "INBOX")->uidnext == 4);
  CHECK(s.status("bob", "INBOX")->uidvalidity == v);
  REQUIRE(s.create_folder("bob", "Work") == store_status::ok);
  auto work = s.status("bob", "Work")->uidvalidity;
  CHECK(s.delete_folder("bob", "Work") == store_status::ok);
  REQUIRE(s.create_folder("bob", "Work") == store_status::ok);
  CHECK(s.status("bob", "Work")->uidvalidity > work);
  CHECK(s.content("bob", "INBOX", 3) == "c\r\n");
  CHECK_FALSE(s.content("bob", "INBOX", 2));
  auto m = s.messages("bob", "INBOX");
  REQUIRE(m.size() == 2);
  CHECK(m[1].size == 3);
  CHECK(m[1].internal_date == start_time());
}

TEST_CASE("memory store: create, delete and rename follow RFC 9051 §6.3") {
  memory_mail_store s;
  s.add_user("bob", "pw");
  CHECK(s.create_folder("bob", "a/b/c") == store_status::ok);  // parents too
  CHECK(folder_names(s, "bob") == std::vector<std::string>{"INBOX", "Junk", "Sent", "Trash", "a", "a/b", "a/b/c"});
  CHECK(s.create_folder("bob", "a") == store_status::already_exists);
  CHECK(s.delete_folder("bob", "a") == store_status::has_children);
  CHECK(s.delete_folder("bob", "INBOX") == store_status::cannot);
  CHECK(s.delete_folder("bob", "nope") == store_status::nonexistent);
  CHECK(s.rename_folder("bob", "a", "a/b/x") == store_status::cannot);
  CHECK(s.rename_folder("bob", "a", "Sent") == store_status::already_exists);
  auto old = s.status("bob", "a/b")->uidvalidity;
  CHECK(s.rename_folder("bob", "a", "z/y") == store_status::ok);
  CHECK(folder_names(s, "bob") ==
        std::vector<std::string>{"INBOX", "Junk", "Sent", "Trash", "z", "z/y", "z/y/b", "z/y/b/c"});
  CHECK(s.status("bob", "z/y/b")->uidvalidity > old);
  // RENAME INBOX: the messages move, INBOX stays and keeps counting.
  s.deliver("bob", "one\r\n", start_time());
  CHECK(s.rename_folder("bob", "INBOX", "Old") == store_status::ok);
  CHECK(s.messages("bob", "INBOX").empty());
  CHECK(s.messages("bob", "Old").size() == 1);
  CHECK(s.deliver("bob", "two\r\n", start_time()) == 2);
  // Subscriptions are names: they outlive the folder.
  CHECK(s.subscribe("bob", "Old") == store_status::ok);
  CHECK(s.subscribe("bob", "Missing") == store_status::nonexistent);
  CHECK(s.delete_folder("bob", "Old") == store_status::ok);
  auto subs = s.subscriptions("bob");
  CHECK(std::find(subs.begin(), subs.end(), "Old") != subs.end());
  CHECK(s.unsubscribe("bob", "Old") == store_status::ok);
  CHECK(s.unsubscribe("bob", "Old") == store_status::nonexistent);
}

TEST_CASE("memory store: flags, copy keeps them, move is copy and expunge") {
  memory_mail_store s;
  s.add_user("bob", "pw");
  s.deliver("bob", "one\r\n", start_time());
  s.deliver("bob", "two\r\n", start_time());
  CHECK(s.set_flags("bob", "INBOX", {{1, {"\\Seen", "$Work"}}, {9, {"\\Seen"}}}) == store_status::ok);
  CHECK(s.messages("bob", "INBOX")[0].flags == flag_list{"\\Seen", "$Work"});
  auto copied = s.copy("bob", "INBOX", {1, 2, 7}, "Trash");
  CHECK(copied.status == store_status::ok);
  CHECK(copied.source_uids == std::vector<std::uint32_t>{1, 2});
  CHECK(copied.target_uids == std::vector<std::uint32_t>{1, 2});
  CHECK(copied.uidvalidity == s.status("bob", "Trash")->uidvalidity);
  CHECK(s.messages("bob", "Trash")[0].flags == flag_list{"\\Seen", "$Work"});
  auto moved = s.move("bob", "INBOX", {2}, "Trash");
  CHECK(moved.target_uids == std::vector<std::uint32_t>{3});
  CHECK(s.messages("bob", "INBOX").size() == 1);
  CHECK(s.copy("bob", "INBOX", {1}, "Nowhere").status == store_status::nonexistent);
  // Copying a folder into itself is fine.
  CHECK(s.copy("bob", "INBOX", {1}, "INBOX").target_uids == std::vector<std::uint32_t>{3});
  flag_list many;
  for (int i = 0; i < 65; ++i) many.push_back(fmt::format("k{}", i));
  CHECK(s.set_flags("bob", "INBOX", {{1, many}}) == store_status::limit);
}

TEST_CASE("memory store: the quota hook refuses append, copy and delivery past the quota") {
  memory_mail_store s;
  s.add_user("bob", "pw");
  s.set_quota("bob", 10);
  CHECK(s.append("bob", "INBOX", "12345\r\n", {}, start_time()).status == store_status::ok);
  CHECK(s.used_bytes("bob") == 7);
  CHECK(s.append("bob", "Sent", "12345\r\n", {}, start_time()).status == store_status::over_quota);
  CHECK(s.copy("bob", "INBOX", {1}, "Trash").status == store_status::over_quota);
  CHECK(s.deliver("bob", "x\r\n", start_time()) == 2);
  CHECK(s.deliver("bob", "y\r\n", start_time()) == 0);
  s.set_quota("bob", std::nullopt);
  CHECK(s.deliver("bob", "y\r\n", start_time()) == 3);
}

TEST_CASE("memory store: \\Recent goes to the first session that claims it") {
  memory_mail_store s;
  s.add_user("bob", "pw");
  s.deliver("bob", "a\r\n", start_time());
  CHECK(s.status("bob", "INBOX")->first_recent_uid == 1);
  CHECK(s.claim_recent("bob", "INBOX") == 1);  // message 1 is recent for this claimer
  CHECK(s.claim_recent("bob", "INBOX") == 2);  // and for nobody else
  s.deliver("bob", "b\r\n", start_time());
  CHECK(s.status("bob", "INBOX")->first_recent_uid == 2);
}

TEST_CASE("memory store: listeners hear of changes to their user's folders until they are gone") {
  memory_mail_store s;
  s.add_user("bob", "pw");
  s.add_user("carol", "pw");
  auto bob = std::make_shared<recorder>();
  auto carol = std::make_shared<recorder>();
  s.watch("bob", bob);
  s.watch("carol", carol);
  s.deliver("bob", "a\r\n", start_time());
  s.set_flags("bob", "INBOX", {{1, {"\\Seen"}}});
  s.set_flags("bob", "INBOX", {{1, {"\\Seen"}}});  // no change, no news
  s.create_folder("bob", "Work");
  s.move("bob", "INBOX", {1}, "Work");
  CHECK(bob->changes == std::vector<std::string>{"INBOX", "INBOX", "Work", "INBOX", "Work"});
  CHECK(carol->changes.empty());
  bob.reset();  // a session that ended: skipped, not called
  s.deliver("bob", "b\r\n", start_time());
}
