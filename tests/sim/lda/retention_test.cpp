// Mailbox retention (`serve --retain`): the newest N messages stay, the
// oldest go first (index and store), each drop is reported, and a POP3
// session never sees its maildrop change under it.
#include <catch2/catch.hpp>

#include "tests/sim/lda/lda_world.hpp"

using namespace sim::lda;
using namespace sim::lda::test;

namespace {

using string_list = std::vector<std::string>;

void file_all_kept(lda_world& w, const std::string& address, string_list raws) {
  w.tasks.spawn([](mailbox_store& b, std::string a, string_list rs) -> asio::awaitable<void> {
    for (auto& r : rs) co_await b.deliver(a, std::move(r));
  }(w.boxes, address, std::move(raws)));
  w.run();
}

string_list uids_in(const lda_world& w) {
  string_list out;
  for (const auto& m : w.boxes.messages("bob@example.org")) out.push_back(m.uid);
  return out;
}

string_list kept_uids(const std::vector<sim::pop3::maildrop_message>& messages) {
  string_list out;
  for (const auto& m : messages) out.push_back(m.uid);
  return out;
}

// Keeps every drop reported.
struct drops {
  std::vector<dropped_message> seen;
  auto listener() {
    return [this](const dropped_message& d) { seen.push_back(d); };
  }
};

}  // namespace

TEST_CASE("retention: a mailbox keeps its newest messages, each drop is reported and leaves the store") {
  lda_world w;
  w.boxes.add_mailbox("Bob@Example.org", {});
  drops d;
  w.boxes.set_retention(2, d.listener());
  file_all_kept(w, "bob@example.org", {"one\r\n", "two\r\n", "three\r\n", "four\r\n"});
  CHECK(uids_in(w) == string_list{"00000003", "00000004"});
  REQUIRE(d.seen.size() == 2);
  CHECK(d.seen[0].address == "Bob@Example.org");
  CHECK(d.seen[0].uid == "00000001");
  CHECK(d.seen[0].size == 5);
  CHECK(d.seen[0].dropped == 1);
  CHECK(d.seen[1].uid == "00000002");
  CHECK(d.seen[1].dropped == 2);
  CHECK(w.boxes.used_bytes("bob@example.org") == 13);
  // The removals were written: the two messages, INBOX's next uid and the mailbox's record are left.
  CHECK(w.mail.durable_count() == 4);
}

TEST_CASE("retention: nothing is dropped during a POP3 session, the drops happen when it ends") {
  lda_world w;
  w.boxes.add_mailbox("bob@example.org", {});
  drops d;
  w.boxes.set_retention(2, d.listener());
  file_all_kept(w, "bob@example.org", {"one\r\n", "two\r\n"});
  REQUIRE(w.boxes.try_lock("bob@example.org"));
  auto view = w.boxes.open("bob@example.org");
  CHECK(kept_uids(view) == string_list{"00000001", "00000002"});
  file_all_kept(w, "bob@example.org", {"three\r\n", "four\r\n"});
  // The session still has every message it was shown, and more wait.
  CHECK(uids_in(w) == string_list{"00000001", "00000002", "00000003", "00000004"});
  CHECK(d.seen.empty());
  w.boxes.commit("bob@example.org", {"00000001"});  // QUIT in the UPDATE state deletes message 1
  w.boxes.unlock("bob@example.org");
  w.run();
  CHECK(uids_in(w) == string_list{"00000003", "00000004"});
  REQUIRE(d.seen.size() == 1);
  CHECK(d.seen[0].uid == "00000002");
  // 3 and 4, the next uid the POP3 deletion made durable first (RFC 1939
  // section 7) and the mailbox's record.
  CHECK(w.mail.durable_count() == 4);
  REQUIRE(w.boxes.try_lock("bob@example.org"));
  CHECK(kept_uids(w.boxes.open("bob@example.org")) == string_list{"00000003", "00000004"});
  w.boxes.unlock("bob@example.org");
}

TEST_CASE("retention: after a restart the mailbox keeps the newest of what the store holds") {
  lda_world w;
  w.boxes.add_mailbox("bob@example.org", {});
  file_all_kept(w, "bob@example.org", {"one\r\n", "two\r\n", "three\r\n"});
  w.crash();
  drops d;
  w.boxes.set_retention(2, d.listener());
  w.recover();
  w.run();
  CHECK(uids_in(w) == string_list{"00000002", "00000003"});
  REQUIRE(d.seen.size() == 1);
  CHECK(d.seen[0].uid == "00000001");
  CHECK(w.mail.durable_count() == 4);  // 2 and 3, the next uid, the record
  file_all_kept(w, "bob@example.org", {"four\r\n"});
  CHECK(uids_in(w) == string_list{"00000003", "00000004"});
}

TEST_CASE("retention: each folder keeps its newest, Junk as INBOX, and each drop names its folder") {
  lda_world w;
  w.boxes.add_mailbox("bob@example.org", {});
  drops d;
  w.boxes.set_retention(2, d.listener());
  w.tasks.spawn([](mailbox_store& b) -> asio::awaitable<void> {
    for (const char* raw : {"junk one\r\n", "junk two\r\n", "junk three\r\n"})
      co_await b.deliver("bob@example.org", raw, "Junk");
    co_await b.deliver("bob@example.org", "inbox one\r\n");
  }(w.boxes));
  w.run();
  string_list junk;
  for (const auto& m : w.boxes.folder_messages("bob@example.org", "Junk")) junk.push_back(m.uid);
  CHECK(junk == string_list{"00000002", "00000003"});
  CHECK(uids_in(w) == string_list{"00000001"});  // INBOX has its own count
  REQUIRE(d.seen.size() == 1);
  CHECK(d.seen[0].folder == "Junk");
  CHECK(d.seen[0].uid == "00000001");
  CHECK(w.boxes.used_bytes("bob@example.org") == 10 + 12 + 11);
}
