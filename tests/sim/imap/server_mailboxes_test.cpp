// server_fsm: CREATE, DELETE, RENAME, (UN)SUBSCRIBE, LIST, LSUB, STATUS, APPEND.
#include <catch2/catch.hpp>

#include "tests/sim/imap/server_fixture.hpp"

using namespace sim::imap;
using namespace sim::imap::test;

TEST_CASE("imap mailboxes: CREATE, RENAME, DELETE with their response codes") {
  server_fixture f;
  auto d = f.logged_in();
  CHECK(d->send("a CREATE Archive/2026/\r\n") == "a OK CREATE completed\r\n");  // trailing delimiter dropped
  CHECK(d->send("b CREATE Archive\r\n") == "b NO [ALREADYEXISTS] mailbox already exists\r\n");
  CHECK(d->send("c CREATE inbox\r\n") == "c NO [ALREADYEXISTS] INBOX always exists\r\n");
  CHECK(d->send("d DELETE Archive\r\n") == "d NO [HASCHILDREN] mailbox has mailboxes under it\r\n");
  CHECK(d->send("e DELETE INBOX\r\n") == "e NO [CANNOT] DELETE cannot be done on that mailbox\r\n");
  CHECK(d->send("f DELETE Nowhere\r\n") == "f NO [NONEXISTENT] no such mailbox\r\n");
  CHECK(d->send("g RENAME Archive Old\r\n") == "g OK RENAME completed\r\n");
  CHECK(d->send("h RENAME Old Old/Inner\r\n") == "h NO [CANNOT] RENAME cannot be done on that mailbox\r\n");
  CHECK(d->send("i CREATE \"Entw&APw-rfe\"\r\n") == "i OK CREATE completed\r\n");
  CHECK(d->syncs == 3);  // each change made durable before its OK
  auto names = f.store.folders("bob@example.org");
  CHECK(std::any_of(names.begin(), names.end(), [](const folder_info& i) { return i.name == "Entw\xc3\xbcrfe"; }));
  CHECK(std::any_of(names.begin(), names.end(), [](const folder_info& i) { return i.name == "Old/2026"; }));
  // RENAME INBOX moves the mail, INBOX stays.
  CHECK(d->send("j RENAME INBOX Saved\r\n") == "j OK RENAME completed\r\n");
  CHECK(f.store.messages("bob@example.org", "Saved").size() == 3);
  CHECK(f.store.messages("bob@example.org", "INBOX").empty());
}

TEST_CASE("imap mailboxes: LIST with special uses, children, patterns, the delimiter, LSUB") {
  server_fixture f;
  auto d = f.logged_in();
  d->send("a CREATE Work/Projects\r\nb CREATE Entw&APw-rfe\r\nc SUBSCRIBE Work\r\n");
  CHECK(d->send("d LIST \"\" *\r\n") ==
        "* LIST (\\HasNoChildren) \"/\" Entw&APw-rfe\r\n"
        "* LIST (\\HasNoChildren) \"/\" INBOX\r\n"
        "* LIST (\\HasNoChildren \\Junk) \"/\" Junk\r\n"
        "* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n"
        "* LIST (\\HasNoChildren \\Trash) \"/\" Trash\r\n"
        "* LIST (\\HasChildren) \"/\" Work\r\n"
        "* LIST (\\HasNoChildren) \"/\" Work/Projects\r\n"
        "d OK LIST completed\r\n");
  CHECK(d->send("e LIST \"\" %\r\n").find("Work/Projects") == std::string::npos);
  CHECK(d->send("f LIST Work/ %\r\n") == "* LIST (\\HasNoChildren) \"/\" Work/Projects\r\nf OK LIST completed\r\n");
  CHECK(d->send("g LIST \"\" \"\"\r\n") == "* LIST (\\Noselect) \"/\" \"\"\r\ng OK LIST completed\r\n");
  CHECK(d->send("h LIST (SPECIAL-USE) \"\" *\r\n") ==
        "* LIST (\\HasNoChildren \\Junk) \"/\" Junk\r\n* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n"
        "* LIST (\\HasNoChildren \\Trash) \"/\" Trash\r\nh OK LIST completed\r\n");
  CHECK(d->send("i LIST \"\" (INBOX Work) RETURN (SUBSCRIBED CHILDREN)\r\n") ==
        "* LIST (\\HasNoChildren \\Subscribed) \"/\" INBOX\r\n* LIST (\\HasChildren \\Subscribed) \"/\" Work\r\n"
        "i OK LIST completed\r\n");
  CHECK(d->send("j LIST (RECURSIVEMATCH) \"\" *\r\n") == "j BAD unsupported LIST selection option RECURSIVEMATCH\r\n");
  d->send("k DELETE Work/Projects\r\nl DELETE Work\r\n");
  // The subscription outlives the mailbox.
  CHECK(d->send("m LSUB \"\" W*\r\n") == "* LSUB (\\Noselect) \"/\" Work\r\nm OK LSUB completed\r\n");
  CHECK(d->send("n LIST (SUBSCRIBED) \"\" W*\r\n") ==
        "* LIST (\\NonExistent \\Subscribed) \"/\" Work\r\nn OK LIST completed\r\n");
  CHECK(d->send("o UNSUBSCRIBE Work\r\n") == "o OK UNSUBSCRIBE completed\r\n");
  CHECK(d->send("p UNSUBSCRIBE Work\r\n") == "p NO [NONEXISTENT] not subscribed to that mailbox\r\n");
  CHECK(d->send("q SUBSCRIBE Work\r\n") == "q NO [NONEXISTENT] no such mailbox\r\n");
}

TEST_CASE("imap mailboxes: STATUS items, and an unknown one") {
  server_fixture f;
  auto d = f.logged_in();
  f.store.set_flags("bob@example.org", "INBOX", {{2, {"\\Seen", "\\Deleted"}}});
  CHECK(d->send("a STATUS inbox (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN DELETED)\r\n") ==
        "* STATUS INBOX (MESSAGES 3 RECENT 3 UIDNEXT 4 UIDVALIDITY 1 UNSEEN 2 DELETED 1)\r\na OK STATUS completed\r\n");
  CHECK(d->send("b STATUS INBOX (COLOR)\r\n") == "b BAD unknown STATUS item COLOR\r\n");
  CHECK(d->send("c STATUS Nowhere (MESSAGES)\r\n") == "c NO [NONEXISTENT] no such mailbox\r\n");
}

TEST_CASE("imap mailboxes: APPEND with flags and date, APPENDUID, TRYCREATE, OVERQUOTA") {
  server_fixture f;
  auto d = f.logged_in();
  CHECK(d->send("a APPEND Sent (\\Seen \\Answered) \"05-Jan-2026 11:00:00 +0200\" {15}\r\n") ==
        "+ Ready for literal data\r\n");
  CHECK(d->send("Subject: sent\n\n\r\n") == "a OK [APPENDUID 3 1] APPEND completed\r\n");
  auto sent = f.store.messages("bob@example.org", "Sent");
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].flags == flag_list{"\\Seen", "\\Answered"});
  CHECK(format_date_time(sent[0].internal_date) == "05-Jan-2026 09:00:00 +0000");
  CHECK(f.store.content("bob@example.org", "Sent", 1) == "Subject: sent\r\n\r\n");  // line ends made CRLF
  // Without a date: now (the driver's clock says an hour after the start).
  d->send("b APPEND Sent {3+}\r\nx\r\n\r\n");
  CHECK(format_date_time(f.store.messages("bob@example.org", "Sent")[1].internal_date) == "05-Jan-2026 10:00:00 +0000");
  CHECK(d->send("c APPEND Drafts {3+}\r\nx\r\n\r\n") == "c NO [TRYCREATE] no such mailbox\r\n");
  CHECK(d->send("d APPEND Sent {0+}\r\n\r\n") == "d NO an empty message cannot be appended\r\n");
  f.store.set_quota("bob@example.org", f.store.used_bytes("bob@example.org") + 5);
  CHECK(d->send("e APPEND Sent {6+}\r\nxxxx\r\n\r\n") == "e NO [OVERQUOTA] quota exceeded\r\n");
  // The selected mailbox hears of its own APPEND at once.
  d->send("f SELECT Sent\r\n");
  CHECK(d->send("g APPEND Sent {3+}\r\nz\r\n\r\n") == "* 3 EXISTS\r\n* 3 RECENT\r\ng OK [APPENDUID 3 3] APPEND completed\r\n");
}
