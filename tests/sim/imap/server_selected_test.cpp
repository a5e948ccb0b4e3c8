// server_fsm: the selected state - FETCH, STORE, SEARCH, COPY, MOVE, EXPUNGE,
// CLOSE, UNSELECT, EXAMINE's read-only rules, message numbers.
#include <catch2/catch.hpp>

#include "tests/sim/imap/server_fixture.hpp"

using namespace sim::imap;
using namespace sim::imap::test;

TEST_CASE("imap selected: BODY[] sets \\Seen and says so, BODY.PEEK[] does not") {
  server_fixture f;
  auto d = f.selected();
  d->take();
  CHECK(d->send("a FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]\r\n") ==
        "* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: hello\r\n\r\n)\r\na OK FETCH completed\r\n");
  CHECK(f.store.messages("bob@example.org", "INBOX")[0].flags.empty());
  CHECK(d->send("b FETCH 1 BODY[TEXT]<6.7>\r\n") ==
        "* 1 FETCH (BODY[TEXT]<6> {7}\r\nmessage FLAGS (\\Seen \\Recent))\r\nb OK FETCH completed\r\n");
  CHECK(f.store.messages("bob@example.org", "INBOX")[0].flags == flag_list{"\\Seen"});
  CHECK(d->syncs == 1);
  CHECK(d->send("c UID FETCH 1:2 (FLAGS) \r\n") == "c BAD unexpected text after the arguments\r\n");
  CHECK(d->send("d UID FETCH 1:2 FLAGS\r\n") ==
        "* 1 FETCH (UID 1 FLAGS (\\Seen \\Recent))\r\n* 2 FETCH (UID 2 FLAGS (\\Recent))\r\nd OK FETCH completed\r\n");
  CHECK(d->send("e FETCH 2 BODY[9]\r\n") == "* 2 FETCH (BODY[9] NIL FLAGS (\\Seen \\Recent))\r\ne OK FETCH completed\r\n");
}

TEST_CASE("imap selected: message numbers past the end are BAD, UIDs past the end are nothing") {
  server_fixture f;
  auto d = f.selected();
  d->take();
  CHECK(d->send("a FETCH 4 FLAGS\r\n") ==
        "a BAD no such message (the sequence set names a number past the last message)\r\n");
  // RFC 9051 §9: "4:*" includes the last UID even when it is lower than 4.
  CHECK(d->send("b UID FETCH 4:* FLAGS\r\n") == "* 3 FETCH (UID 3 FLAGS (\\Recent))\r\nb OK FETCH completed\r\n");
  CHECK(d->send("c UID FETCH 9:10 FLAGS\r\n") == "c OK FETCH completed\r\n");
  CHECK(d->send("d STORE 0 FLAGS ()\r\n") == "d BAD invalid sequence set\r\n");
  d->send("e SELECT Junk\r\n");
  CHECK(d->send("f FETCH * FLAGS\r\n").ends_with("f BAD no such message (the sequence set names a number past the last message)\r\n"));
  CHECK(d->send("g UID FETCH 1:* FLAGS\r\n") == "g OK FETCH completed\r\n");
  CHECK(d->send("h SEARCH ALL\r\n") == "* SEARCH\r\nh OK SEARCH completed\r\n");
}

TEST_CASE("imap selected: STORE forms, .SILENT, new keywords announced") {
  server_fixture f;
  auto d = f.selected();
  d->take();
  CHECK(d->send("a STORE 1:2 +FLAGS (\\Answered)\r\n") ==
        "* 1 FETCH (FLAGS (\\Answered \\Recent))\r\n* 2 FETCH (FLAGS (\\Answered \\Recent))\r\na OK STORE completed\r\n");
  CHECK(d->send("b UID STORE 2 FLAGS.SILENT (\\Draft $Later)\r\n") ==
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Later)\r\n"
        "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Later \\*)] flags and keywords are kept\r\n"
        "b OK STORE completed\r\n");
  CHECK(d->send("c UID STORE 2 -FLAGS (\\draft)\r\n") == "* 2 FETCH (FLAGS ($Later \\Recent) UID 2)\r\nc OK STORE completed\r\n");
  CHECK(f.store.messages("bob@example.org", "INBOX")[1].flags == flag_list{"$Later"});
}

TEST_CASE("imap selected: SEARCH and UID SEARCH, charsets") {
  server_fixture f;
  auto d = f.selected();
  d->take();
  d->send("a STORE 2 +FLAGS.SILENT (\\Seen)\r\n");
  CHECK(d->send("b SEARCH UNSEEN\r\n") == "* SEARCH 1 3\r\nb OK SEARCH completed\r\n");
  CHECK(d->send("c UID SEARCH FROM alice SINCE 7-Jan-2026\r\n") == "* SEARCH 3\r\nc OK SEARCH completed\r\n");
  CHECK(d->send("d SEARCH CHARSET UTF-8 SUBJECT {5}\r\ncaf\xc3\xa9\r\n") == "+ Ready for literal data\r\n* SEARCH 2\r\nd OK SEARCH completed\r\n");
  CHECK(d->send("e SEARCH CHARSET KOI8-R ALL\r\n") == "e NO [BADCHARSET (US-ASCII UTF-8)] unsupported charset\r\n");
  CHECK(d->send("f SEARCH NOT 2:3 RECENT\r\n") == "* SEARCH 1\r\nf OK SEARCH completed\r\n");
}

TEST_CASE("imap selected: COPY and MOVE report COPYUID, MOVE expunges, TRYCREATE") {
  server_fixture f;
  auto d = f.selected();
  d->take();
  CHECK(d->send("a COPY 1:2 Trash\r\n") == "a OK [COPYUID 4 1:2 1:2] COPY completed\r\n");
  CHECK(d->send("b MOVE 2:3 Work\r\n") == "b NO [TRYCREATE] no such mailbox\r\n");
  CHECK(d->send("c UID MOVE 2:3 Trash\r\n") ==
        "* OK [COPYUID 4 2:3 3:4] moved\r\n* 2 EXPUNGE\r\n* 2 EXPUNGE\r\nc OK MOVE completed\r\n");
  CHECK(f.store.messages("bob@example.org", "INBOX").size() == 1);
  CHECK(f.store.messages("bob@example.org", "Trash").size() == 4);
  CHECK(d->send("d COPY 1 ../etc\r\n") == "d NO [CANNOT] mailbox name level may not be . or ..\r\n");
  f.store.set_quota("bob@example.org", f.store.used_bytes("bob@example.org"));
  CHECK(d->send("e COPY 1 Trash\r\n") == "e NO [OVERQUOTA] quota exceeded\r\n");
}

TEST_CASE("imap selected: EXPUNGE numbers, UID EXPUNGE, CLOSE expunges silently, UNSELECT does not") {
  server_fixture f;
  auto d = f.selected();
  d->take();
  d->send("a STORE 1:3 +FLAGS.SILENT (\\Deleted)\r\n");
  CHECK(d->send("b UID EXPUNGE 2\r\n") == "* 2 EXPUNGE\r\nb OK EXPUNGE completed\r\n");
  CHECK(d->send("c EXPUNGE\r\n") == "* 1 EXPUNGE\r\n* 1 EXPUNGE\r\nc OK EXPUNGE completed\r\n");
  for (int i = 0; i < 3; ++i) f.store.deliver("bob@example.org", message_one, start_time());
  CHECK(d->send("d NOOP\r\n") == "* 3 EXISTS\r\n* 3 RECENT\r\nd OK NOOP completed\r\n");
  d->send("e STORE 1,3 +FLAGS.SILENT (\\Deleted)\r\n");
  CHECK(d->send("f EXPUNGE\r\n") == "* 1 EXPUNGE\r\n* 2 EXPUNGE\r\nf OK EXPUNGE completed\r\n");
  d->send("g STORE 1 +FLAGS.SILENT (\\Deleted)\r\n");
  CHECK(d->send("h UNSELECT\r\n") == "h OK UNSELECT completed\r\n");
  CHECK(f.store.messages("bob@example.org", "INBOX").size() == 1);
  d->send("i SELECT INBOX\r\n");
  CHECK(d->send("j CLOSE\r\n") == "j OK CLOSE completed\r\n");
  CHECK(f.store.messages("bob@example.org", "INBOX").empty());
  CHECK(d->fsm.state() == server_state::authenticated);
}

TEST_CASE("imap selected: EXAMINE is read-only, SELECT of another mailbox closes the first") {
  server_fixture f;
  auto d = f.logged_in();
  CHECK(last_line(d->send("s0 EXAMINE INBOX\r\n")) == "s0 OK [READ-ONLY] EXAMINE completed");
  CHECK(d->send("a STORE 1 +FLAGS (\\Seen)\r\n") == "a NO the mailbox is read-only (EXAMINE)\r\n");
  CHECK(d->send("b EXPUNGE\r\n") == "b NO the mailbox is read-only (EXAMINE)\r\n");
  CHECK(d->send("c MOVE 1 Trash\r\n") == "c NO the mailbox is read-only (EXAMINE)\r\n");
  CHECK(d->send("d COPY 1 Trash\r\n") == "d OK [COPYUID 4 1 1] COPY completed\r\n");
  // Reading does not set \Seen in a read-only mailbox.
  d->send("e FETCH 1 BODY[]\r\n");
  CHECK(f.store.messages("bob@example.org", "INBOX")[0].flags.empty());
  // EXAMINE does not claim \Recent: a later SELECT still sees the messages as recent.
  auto out = d->send("f SELECT INBOX\r\n");
  CHECK(out.starts_with("* OK [CLOSED] previous mailbox closed\r\n"));
  CHECK(out.find("* 3 RECENT\r\n") != std::string::npos);
  CHECK(d->send("g SELECT Nowhere\r\n") == "* OK [CLOSED] previous mailbox closed\r\ng NO [NONEXISTENT] no such mailbox\r\n");
  CHECK(d->fsm.state() == server_state::authenticated);
}
