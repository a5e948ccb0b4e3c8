// The mailbox store: durable filing, recovery after a crash, and the
// pop3::maildrop contract the POP3 server relies on (RFC 1939: exclusive
// lock, a snapshot at open, deletions only in the UPDATE state).
#include <catch2/catch.hpp>

#include "tests/sim/lda/lda_world.hpp"

using namespace sim::lda;
using namespace sim::lda::test;

namespace {

// Files each of `raws` into `address`, one after the other, and returns the uids.
std::vector<std::string> file_all(lda_world& w, const std::string& address, std::vector<std::string> raws) {
  auto uids = std::make_shared<std::vector<std::string>>();
  w.tasks.spawn([](mailbox_store& b, std::string a, std::vector<std::string> rs,
                   std::shared_ptr<std::vector<std::string>> out) -> asio::awaitable<void> {
    for (auto& r : rs) out->push_back(co_await b.deliver(a, std::move(r)));
  }(w.boxes, address, std::move(raws), uids));
  w.run();
  return *uids;
}

std::vector<std::string> uids_of(const std::vector<sim::pop3::maildrop_message>& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) out.push_back(m.uid);
  return out;
}

using strings = std::vector<std::string>;

}  // namespace

TEST_CASE("mailbox_store: messages get uids in order and are durable once deliver() returns") {
  lda_world w;
  w.boxes.add_mailbox("Bob@Example.org", {});
  CHECK(w.boxes.exists("bob@example.org"));
  CHECK(w.boxes.addresses() == strings{"Bob@Example.org"});
  CHECK(file_all(w, "bob@example.org", {"one\r\n", "two\r\n"}) == strings{"00000001", "00000002"});
  w.run();
  CHECK(w.mail.durable_count() == 3);  // two messages and the mailbox's record (flags, dates)
  CHECK(w.boxes.used_bytes("bob@example.org") == 10);
}

TEST_CASE("mailbox_store: recover() rebuilds the index from the store, uids continue after the highest") {
  lda_world w;
  w.boxes.add_mailbox("bob@example.org", {});
  file_all(w, "bob@example.org", {"one\r\n", "two\r\n", "three\r\n"});
  // Bob deletes message 2 over POP3; the removal is written in the background.
  REQUIRE(w.boxes.try_lock("bob@example.org"));
  w.boxes.commit("bob@example.org", {"00000002"});
  w.boxes.unlock("bob@example.org");
  w.run();
  w.crash();
  CHECK(w.boxes.messages("bob@example.org").empty());
  w.recover();
  w.run();
  const auto& box = w.boxes.messages("bob@example.org");
  REQUIRE(box.size() == 2);
  CHECK(box[0].uid == "00000001");
  CHECK(box[0].raw == "one\r\n");
  CHECK(box[1].uid == "00000003");
  CHECK(file_all(w, "bob@example.org", {"four\r\n"}) == strings{"00000004"});
}

TEST_CASE("mailbox_store: without bodies a mailbox counts uids and sizes, in memory and in the store") {
  lda_world w;
  w.boxes.keep_bodies(false);
  w.boxes.add_mailbox("bob@example.org", {std::nullopt, 12});
  CHECK(file_all(w, "bob@example.org", {"one\r\n", "three\r\n"}) == strings{"00000001", "00000002"});
  CHECK(w.mail.durable_count() == 3);  // the two sizes and the mailbox's record (mbox-meta)
  CHECK(w.boxes.used_bytes("bob@example.org") == 12);  // the quota still sees them
  const auto& box = w.boxes.messages("bob@example.org");
  REQUIRE(box.size() == 2);
  CHECK(box[1].raw.empty());
  CHECK(box[1].size == 7);
  w.crash();
  w.recover();
  w.run();
  REQUIRE(w.boxes.messages("bob@example.org").size() == 2);
  CHECK(w.boxes.used_bytes("bob@example.org") == 12);  // recovered from the sizes the store kept
  CHECK(w.boxes.messages("bob@example.org")[0].size == 5);
}

TEST_CASE("mailbox_store: a mailbox with no password takes any, one with a password only that") {
  lda_world w;
  w.boxes.add_mailbox("bob@example.org", {});
  w.boxes.add_mailbox("alice@example.org", {"secret", std::nullopt});
  CHECK(w.boxes.check_password("bob@example.org", "anything"));
  CHECK(w.boxes.check_password("alice@example.org", "secret"));
  CHECK_FALSE(w.boxes.check_password("alice@example.org", "Secret"));
  CHECK_FALSE(w.boxes.check_password("alice@example.org", ""));
  CHECK_FALSE(w.boxes.check_password("nobody@example.org", "secret"));
}

TEST_CASE("mailbox_store: the POP3 lock is exclusive until unlocked, and authorize() honours it") {
  lda_world w;
  w.boxes.add_mailbox("bob@example.org", {"pw", std::nullopt});
  CHECK(w.boxes.try_lock("bob@example.org"));
  CHECK_FALSE(w.boxes.try_lock("bob@example.org"));
  CHECK(sim::pop3::authorize(w.boxes, "bob@example.org", "pw").result == sim::pop3::authorization::status::in_use);
  // A wrong password never learns about the lock.
  CHECK(sim::pop3::authorize(w.boxes, "bob@example.org", "nope").result == sim::pop3::authorization::status::denied);
  w.boxes.unlock("bob@example.org");
  auto granted = sim::pop3::authorize(w.boxes, "bob@example.org", "pw");
  CHECK(granted.result == sim::pop3::authorization::status::granted);
  CHECK_FALSE(w.boxes.try_lock("bob@example.org"));
  w.boxes.unlock("bob@example.org");
  CHECK_FALSE(w.boxes.try_lock("nobody@example.org"));
}

TEST_CASE("mailbox_store: open() is a snapshot, commit removes only what was marked, never later arrivals") {
  lda_world w;
  w.boxes.add_mailbox("bob@example.org", {});
  file_all(w, "bob@example.org", {"one\r\n", "two\r\n"});
  REQUIRE(w.boxes.try_lock("bob@example.org"));
  auto snapshot = w.boxes.open("bob@example.org");
  CHECK(uids_of(snapshot) == strings{"00000001", "00000002"});
  CHECK(snapshot[1].content == "two\r\n");
  // Mail keeps arriving while bob's session is open.
  file_all(w, "bob@example.org", {"three\r\n"});
  w.boxes.commit("bob@example.org", {"00000001", "00000002"});
  w.boxes.unlock("bob@example.org");
  w.run();
  CHECK(uids_of(w.boxes.open("bob@example.org")) == strings{"00000003"});
  CHECK(w.mail.durable_count() == 3);  // the message, the kept next uid and the record
}

TEST_CASE("mailbox_store: a crash unlocks the maildrop (the session died with the host)") {
  lda_world w;
  w.boxes.add_mailbox("bob@example.org", {});
  REQUIRE(w.boxes.try_lock("bob@example.org"));
  w.crash();
  w.recover();
  w.run();
  CHECK(w.boxes.try_lock("bob@example.org"));
}

TEST_CASE("mailbox_store: filing into an unknown mailbox is an error, not a silent loss") {
  lda_world w;
  auto failed = std::make_shared<bool>(false);
  w.tasks.spawn([](mailbox_store& b, std::shared_ptr<bool> out) -> asio::awaitable<void> {
    try {
      co_await b.deliver("nobody@example.org", "x\r\n");
    } catch (const sim::storage::store_error&) {
      *out = true;
    }
  }(w.boxes, failed));
  w.run();
  CHECK(*failed);
  CHECK(w.mail.durable_count() == 0);
}

TEST_CASE("mailbox_store: the newest message deleted, then a restart: its uid is never handed out again (RFC 1939 7)") {
  lda_world w;
  w.boxes.add_mailbox("bob@example.org", {});
  CHECK(file_all(w, "bob@example.org", {"one\r\n", "two\r\n"}) == strings{"00000001", "00000002"});
  REQUIRE(w.boxes.try_lock("bob@example.org"));
  w.boxes.commit("bob@example.org", {"00000002"});
  w.boxes.unlock("bob@example.org");
  w.run();
  w.crash();
  w.recover();
  w.run();
  CHECK(uids_of(w.boxes.open("bob@example.org")) == strings{"00000001"});
  CHECK(file_all(w, "bob@example.org", {"three\r\n"}) == strings{"00000003"});
  // And again after everything is deleted.
  REQUIRE(w.boxes.try_lock("bob@example.org"));
  w.boxes.commit("bob@example.org", {"00000001", "00000003"});
  w.boxes.unlock("bob@example.org");
  w.run();
  w.crash();
  w.recover();
  w.run();
  CHECK(file_all(w, "bob@example.org", {"four\r\n"}) == strings{"00000004"});
}

TEST_CASE("mailbox_store: a quoted local part is one mailbox however it is quoted, and its store name is safe") {
  lda_world w;
  w.boxes.add_mailbox("\"john doe\"@example.org", {});
  w.boxes.add_mailbox("\"a/b\\\\c\"@example.org", {});
  CHECK(w.boxes.exists("\"john doe\"@Example.ORG"));
  CHECK(w.boxes.exists("\"John Doe\"@example.org"));
  CHECK(w.boxes.exists("\"plain\"@example.org") == w.boxes.exists("plain@example.org"));
  CHECK(file_all(w, "\"john doe\"@example.org", {"one\r\n"}) == strings{"00000001"});
  CHECK(file_all(w, "\"a/b\\\\c\"@example.org", {"two\r\n"}) == strings{"00000001"});
  w.crash();
  w.recover();
  w.run();
  CHECK(w.boxes.messages("\"john doe\"@example.org").size() == 1);
  CHECK(w.boxes.messages("\"a/b\\\\c\"@example.org").size() == 1);
}

TEST_CASE("mailbox_store: a mailbox nobody may log in to refuses every password") {
  lda_world w;
  w.boxes.add_mailbox("postmaster@example.org", {std::nullopt, std::nullopt, false});
  CHECK(w.boxes.exists("postmaster@example.org"));
  CHECK_FALSE(w.boxes.check_password("postmaster@example.org", ""));
  CHECK_FALSE(w.boxes.check_password("postmaster@example.org", "anything"));
}
