// server_fsm: two sessions on one mailbox - what each hears of the other, and
// when (RFC 9051 §7.5.1: no EXPUNGE while answering FETCH, STORE or SEARCH).
#include <catch2/catch.hpp>

#include "tests/sim/imap/server_fixture.hpp"

using namespace sim::imap;
using namespace sim::imap::test;

TEST_CASE("imap sync: another session's flags, expunges and new mail arrive at the next command") {
  server_fixture f;
  auto a = f.selected();
  auto b = f.selected();
  a->take();
  b->take();
  CHECK(b->send("b1 STORE 2 +FLAGS.SILENT (\\Flagged)\r\n") == "b1 OK STORE completed\r\n");
  CHECK(a->send("a1 NOOP\r\n") == "* 2 FETCH (FLAGS (\\Flagged \\Recent))\r\na1 OK NOOP completed\r\n");
  b->send("b2 STORE 1 +FLAGS.SILENT (\\Deleted)\r\nb3 EXPUNGE\r\n");
  f.store.deliver("bob@example.org", message_one, start_time());
  // FETCH may not report the expunge: message 1 keeps its number meanwhile
  // (what the view knows of it is still given), the new message is told.
  CHECK(a->send("a2 FETCH 1:3 UID\r\n") ==
        "* 1 FETCH (UID 1)\r\n* 2 FETCH (UID 2)\r\n* 3 FETCH (UID 3)\r\n* 4 EXISTS\r\n* 4 RECENT\r\n"
        "a2 OK FETCH completed\r\n");
  CHECK(a->send("a3 STORE 1 +FLAGS (\\Seen)\r\n") ==
        "a3 NO [EXPUNGEISSUED] some messages were expunged by another session\r\n");
  CHECK(a->send("a4 SEARCH ALL\r\n") == "* SEARCH 2 3 4\r\na4 OK SEARCH completed\r\n");
  // A UID command may, and NOOP does.
  CHECK(a->send("a5 UID SEARCH ALL\r\n") == "* SEARCH 2 3 4\r\n* 1 EXPUNGE\r\na5 OK SEARCH completed\r\n");
  CHECK(a->send("a6 FETCH 1 UID\r\n") == "* 1 FETCH (UID 2)\r\na6 OK FETCH completed\r\n");
  // b never saw \Recent for the new message: a claimed it first.
  CHECK(b->send("b4 NOOP\r\n") == "* 3 EXISTS\r\n* 0 RECENT\r\nb4 OK NOOP completed\r\n");
}

TEST_CASE("imap sync: IDLE pushes changes as poll() finds them, and stops at DONE") {
  server_fixture f;
  auto a = f.selected();
  auto b = f.selected();
  a->take();
  b->take();
  CHECK(a->send("a1 IDLE\r\n") == "+ idling\r\n");
  CHECK(a->poll().empty());
  b->send("b1 STORE 3 +FLAGS.SILENT (\\Seen)\r\n");
  CHECK(a->wakeups == 1);
  CHECK(a->poll() == "* 3 FETCH (FLAGS (\\Seen \\Recent))\r\n");
  f.store.deliver("bob@example.org", message_one, start_time());
  CHECK(a->wakeups == 2);
  CHECK(a->poll() == "* 4 EXISTS\r\n* 4 RECENT\r\n");
  b->send("b2 STORE 1 +FLAGS.SILENT (\\Deleted)\r\nb3 EXPUNGE\r\n");
  CHECK(a->poll() == "* 1 EXPUNGE\r\n");
  CHECK(a->send("DONE\r\n") == "a1 OK IDLE terminated\r\n");
  CHECK(a->poll().empty());
  // Changes while not idling wait for a command; no wake-up is asked for.
  auto wakeups = a->wakeups;
  f.store.deliver("bob@example.org", message_one, start_time());
  CHECK(a->wakeups == wakeups);
  CHECK(a->send("a2 IDLE\r\n") == "+ idling\r\n* 4 EXISTS\r\n* 4 RECENT\r\n");
  CHECK(a->send("done\r\n") == "a2 OK IDLE terminated\r\n");
  CHECK(a->send("a3 IDLE\r\n") == "+ idling\r\n");
  CHECK(a->send("a4 NOOP\r\n") == "a3 BAD expected DONE to end IDLE\r\n");
}

TEST_CASE("imap sync: the selected mailbox deleted or renamed away") {
  server_fixture f;
  auto a = f.logged_in();
  auto b = f.logged_in();
  a->send("a0 CREATE Work\r\na1 SELECT Work\r\n");
  a->take();
  b->send("b1 DELETE Work\r\n");
  CHECK(a->send("a2 NOOP\r\n") ==
        "a2 OK NOOP completed\r\n* BYE the selected mailbox was deleted or renamed by another session\r\n");
  CHECK(a->closed);
  // Our own DELETE or RENAME of the selected mailbox closes it.
  auto c = f.logged_in();
  c->send("c0 CREATE Work\r\nc1 SELECT Work\r\n");
  c->take();
  CHECK(c->send("c2 RENAME Work Play\r\n") == "* OK [CLOSED] the selected mailbox is gone\r\nc2 OK RENAME completed\r\n");
  CHECK(c->fsm.state() == server_state::authenticated);
}
