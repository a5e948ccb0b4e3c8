// server_fsm: a whole session byte for byte, split at every offset; the states.
#include <catch2/catch.hpp>

#include "tests/sim/imap/server_fixture.hpp"

using namespace sim::imap;
using namespace sim::imap::test;

TEST_CASE("imap server: a whole session, with the state changes") {
  server_fixture f;
  server_driver d(f.store);
  CHECK(d.take() ==
        "* OK [CAPABILITY IMAP4rev1 LITERAL+ ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE SPECIAL-USE CHILDREN "
        "SASL-IR AUTH=PLAIN] mx.test IMAP4rev1 server ready\r\n");
  CHECK(d.send("a1 LOGIN bob@example.org pw\r\n") ==
        "a1 OK [CAPABILITY IMAP4rev1 LITERAL+ ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE SPECIAL-USE CHILDREN] "
        "LOGIN completed\r\n");
  CHECK(d.send("a2 SELECT INBOX\r\n") ==
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
        "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] flags and keywords are kept\r\n"
        "* 3 EXISTS\r\n"
        "* 3 RECENT\r\n"
        "* OK [UNSEEN 1] first unseen message\r\n"
        "* OK [UIDVALIDITY 1] UIDs valid\r\n"
        "* OK [UIDNEXT 4] predicted next UID\r\n"
        "a2 OK [READ-WRITE] SELECT completed\r\n");
  CHECK(d.send("a3 UID SEARCH UNSEEN\r\n") == "* SEARCH 1 2 3\r\na3 OK SEARCH completed\r\n");
  CHECK(d.send("a4 FETCH 1 (FLAGS UID RFC822.SIZE)\r\n") ==
        "* 1 FETCH (FLAGS (\\Recent) UID 1 RFC822.SIZE " + std::to_string(message_one.size()) +
            ")\r\na4 OK FETCH completed\r\n");
  CHECK(d.send("a5 LOGOUT\r\n") == "* BYE IMAP4rev1 server logging out\r\na5 OK LOGOUT completed\r\n");
  CHECK(d.closed);
  CHECK(d.transitions == std::vector<std::string>{"not authenticated -> authenticated", "authenticated -> selected",
                                                  "selected -> logout"});
  CHECK(d.commands == std::vector<std::string>{"a1 LOGIN bob@example.org ********", "a2 SELECT INBOX",
                                               "a3 UID SEARCH UNSEEN", "a4 FETCH 1 (FLAGS UID RFC822.SIZE)",
                                               "a5 LOGOUT"});
}
