// server_fsm: a whole session byte for byte, split at every offset; the states.
#include <catch2/catch.hpp>

#include <fmt/format.h>

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

namespace {

// Every command of the protocol, in an order that works from the start.
const std::string whole_session =
    "a01 CAPABILITY\r\n"
    "a02 ID (\"name\" \"test\")\r\n"
    "a03 LOGIN {15}\r\nbob@example.org {2+}\r\npw\r\n"
    "a04 ENABLE CONDSTORE\r\n"
    "a05 NAMESPACE\r\n"
    "a06 LIST \"\" *\r\n"
    "a07 CREATE Work/2026\r\n"
    "a08 RENAME Work/2026 Work/Old\r\n"
    "a09 SUBSCRIBE Work/Old\r\n"
    "a10 LSUB \"\" *\r\n"
    "a11 UNSUBSCRIBE Work/Old\r\n"
    "a12 STATUS INBOX (MESSAGES UNSEEN UIDNEXT UIDVALIDITY RECENT SIZE DELETED)\r\n"
    "a13 APPEND Work/Old (\\Seen) \" 5-Jan-2026 10:00:00 +0100\" {19}\r\nSubject: appended\r\n\r\n"
    "a14 SELECT INBOX\r\n"
    "a15 FETCH 1:2 (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)\r\n"
    "a16 UID FETCH 2 (BODYSTRUCTURE BODY BODY.PEEK[1] BODY[2.MIME] BODY[HEADER.FIELDS (Subject)]<0.9>)\r\n"
    "a17 SEARCH OR FROM carol (SUBJECT big) NOT SEEN\r\n"
    "a18 STORE 1 +FLAGS (\\Flagged $Work)\r\n"
    "a19 UID STORE 1:* -FLAGS.SILENT (\\Seen)\r\n"
    "a20 COPY 1 Work/Old\r\n"
    "a21 UID MOVE 3 Trash\r\n"
    "a22 STORE 2 +FLAGS.SILENT (\\Deleted)\r\n"
    "a23 EXPUNGE\r\n"
    "a24 UID EXPUNGE 1\r\n"
    "a25 CHECK\r\n"
    "a26 NOOP\r\n"
    "a27 IDLE\r\nDONE\r\n"
    "a28 FETCH 1 (RFC822.HEADER RFC822.TEXT RFC822)\r\n"
    "a29 UNSELECT\r\n"
    "a30 EXAMINE Trash\r\n"
    "a31 CLOSE\r\n"
    "a32 DELETE Work/Old\r\n"
    "a33 AUTHENTICATE PLAIN\r\n"
    "a34 LOGOUT\r\n";

}  // namespace

TEST_CASE("imap server: every command, the input split at every offset, gives the same bytes") {
  std::string want;
  std::vector<std::string> want_commands;
  {
    server_fixture f;
    server_driver d(f.store);
    want = d.take() + d.send(whole_session);
    want_commands = d.commands;
    CHECK(d.closed);
  }
  // Each command completed; only AUTHENTICATE (in the wrong state) is BAD.
  auto lines = lines_of(want);
  for (int n = 1; n <= 34; ++n) {
    const std::string tag = fmt::format("a{:02} ", n);
    auto it = std::find_if(lines.begin(), lines.end(), [&](const std::string& l) { return l.starts_with(tag); });
    INFO(tag);
    REQUIRE(it != lines.end());
    CHECK(it->substr(4, 3) == (n == 33 ? "BAD" : "OK "));
  }
  CHECK(want.find("+ Ready for literal data\r\n") != std::string::npos);
  CHECK(want.find("* 2 FETCH (UID 2 BODYSTRUCTURE ") != std::string::npos);
  CHECK(want.find("BODY[HEADER.FIELDS (Subject)]<0> {9}\r\nSubject: ") != std::string::npos);
  for (std::size_t cut = 1; cut < whole_session.size(); ++cut) {
    server_fixture f;
    server_driver d(f.store);
    std::string got = d.take() + d.send_split(whole_session, {cut});
    if (got != want) FAIL_CHECK("split at " << cut);
    if (d.commands != want_commands) FAIL_CHECK("commands differ, split at " << cut);
  }
  server_fixture f;
  server_driver d(f.store);
  std::vector<std::size_t> every;
  for (std::size_t i = 1; i < whole_session.size(); ++i) every.push_back(i);
  CHECK(d.take() + d.send_split(whole_session, every) == want);
}

TEST_CASE("imap server: every command in every state") {
  // One representative of each command; the state decides BAD or not.
  const std::vector<std::pair<std::string, std::string>> commands{
      {"CAPABILITY", "any"}, {"NOOP", "any"}, {"ID NIL", "any"},
      {"LOGIN carol@example.org x", "not"}, {"AUTHENTICATE PLAIN AGNhcm9sQGV4YW1wbGUub3JnAHg=", "not"},
      {"ENABLE IMAP4rev2", "auth only"},
      {"SELECT INBOX", "auth"}, {"EXAMINE INBOX", "auth"}, {"CREATE New", "auth"}, {"DELETE Junk", "auth"},
      {"RENAME Sent Sent2", "auth"}, {"SUBSCRIBE Trash", "auth"}, {"UNSUBSCRIBE INBOX", "auth"},
      {"LIST \"\" %", "auth"}, {"LSUB \"\" *", "auth"}, {"NAMESPACE", "auth"}, {"STATUS INBOX (MESSAGES)", "auth"},
      {"APPEND INBOX {1+}\r\nx", "auth"},
      {"CHECK", "sel"}, {"CLOSE", "sel"}, {"UNSELECT", "sel"}, {"EXPUNGE", "sel"}, {"SEARCH ALL", "sel"},
      {"FETCH 1 FLAGS", "sel"}, {"STORE 1 +FLAGS (\\Seen)", "sel"}, {"COPY 1 Trash", "sel"}, {"MOVE 1 Trash", "sel"},
      {"UID FETCH 1 FLAGS", "sel"}, {"UID STORE 1 FLAGS ()", "sel"}, {"UID SEARCH ALL", "sel"},
      {"UID COPY 1 Trash", "sel"}, {"UID MOVE 1 Trash", "sel"}, {"UID EXPUNGE 1", "sel"},
      {"STARTTLS", "none"}, {"XYZZY", "none"}, {"LOGOUT", "any"},
  };
  for (int state = 0; state < 3; ++state) {
    for (const auto& [command, where] : commands) {
      server_fixture f;
      server_driver d(f.store);
      if (state >= 1) d.send("s1 LOGIN bob@example.org pw\r\n");
      if (state >= 2) d.send("s2 SELECT INBOX\r\n");
      d.take();
      auto got = last_line(d.send("t " + command + "\r\n"));
      bool allowed = where == "any" || (where == "not" && state == 0) || (where == "auth only" && state == 1) ||
                     (where == "auth" && state >= 1) || (where == "sel" && state == 2);
      INFO("state " << state << ": " << command << " -> " << got);
      if (allowed) CHECK(got.starts_with("t OK"));
      else CHECK(got.starts_with("t BAD"));
      CHECK_FALSE(d.closed == (command != "LOGOUT"));
    }
  }
}
