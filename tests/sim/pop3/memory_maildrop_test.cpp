// tests/sim/pop3/memory_maildrop_test.cpp - the in-memory maildrop and authorize().
#include <catch2/catch.hpp>

#include "sim/pop3/memory_maildrop.hpp"

using namespace sim::pop3;

TEST_CASE("memory_maildrop: passwords, locks, snapshots and commits") {
  memory_maildrop drop;
  drop.add_user("bob@example.org", "pw");
  drop.add_user("carol@example.org");
  auto uid1 = drop.deliver("bob@example.org", "one\r\n");
  auto uid2 = drop.deliver("bob@example.org", "two\r\n");
  CHECK(uid1 == "bob@example.org-1");
  CHECK(uid2 == "bob@example.org-2");

  CHECK(drop.check_password("bob@example.org", "pw"));
  CHECK_FALSE(drop.check_password("bob@example.org", "PW"));
  CHECK_FALSE(drop.check_password("nobody@example.org", "pw"));
  CHECK(drop.check_password("carol@example.org", ""));

  CHECK(drop.try_lock("bob@example.org"));
  CHECK_FALSE(drop.try_lock("bob@example.org"));
  CHECK_FALSE(drop.try_lock("nobody@example.org"));
  drop.unlock("bob@example.org");
  CHECK_FALSE(drop.is_locked("bob@example.org"));

  drop.commit("bob@example.org", {uid1, "not-there"});
  auto got = drop.open("bob@example.org");
  REQUIRE(got.size() == 1);
  CHECK(got[0].uid == uid2);
  // A uid is never reused after a deletion.
  CHECK(drop.deliver("bob@example.org", "three\r\n") == "bob@example.org-3");
}

TEST_CASE("authorize: password first, then the lock") {
  memory_maildrop drop;
  drop.add_user("bob@example.org", "pw");
  drop.deliver("bob@example.org", "one\r\n");
  CHECK(authorize(drop, "bob@example.org", "bad").result == authorization::status::denied);
  CHECK_FALSE(drop.is_locked("bob@example.org"));
  auto got = authorize(drop, "bob@example.org", "pw");
  CHECK(got.result == authorization::status::granted);
  CHECK(got.messages.size() == 1);
  CHECK(drop.is_locked("bob@example.org"));
  CHECK(authorize(drop, "bob@example.org", "pw").result == authorization::status::in_use);
  CHECK(authorize(drop, "bob@example.org", "bad").result == authorization::status::denied);
  CHECK(authorize(drop, "nobody@example.org", "pw").result == authorization::status::denied);
}
