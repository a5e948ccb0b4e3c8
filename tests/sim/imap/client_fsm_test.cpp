// client_fsm: the MUA's fetch against canned server bytes split at every
// offset, the ways of logging in, refusals, broken servers, and against
// the real server_fsm.
#include <catch2/catch.hpp>

#include "sim/imap/client_fsm.hpp"
#include "tests/sim/imap/server_fixture.hpp"

using namespace sim::imap;
using namespace sim::imap::test;

namespace {

struct client_run {
  std::string sent;
  std::vector<std::string> traced;
  bool closed = false;
};

void apply(client_run& run, std::vector<client_action> actions) {
  for (auto& a : actions) {
    if (auto* s = std::get_if<client_send>(&a)) {
      run.sent += s->bytes;
      if (!s->masked.empty()) run.traced.push_back(s->masked);
    } else {
      run.closed = true;
    }
  }
}

// Feeds the server's side of a dialogue in two pieces.
client_run play(client_fsm& c, std::string_view server, std::size_t cut) {
  client_run run;
  apply(run, c.receive(server.substr(0, cut)));
  apply(run, c.receive(server.substr(cut)));
  return run;
}

const std::string dialogue =
    "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN UIDPLUS] ready\r\n"
    "m1 OK logged in\r\n"
    "* 2 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\nm2 OK [READ-WRITE] selected\r\n"
    "* SEARCH 4 9\r\nm3 OK done\r\n"
    "* 1 FETCH (UID 4 BODY[] {9}\r\nA\r\n{3}\r\nB FLAGS (\\Seen))\r\nm4 OK done\r\n"
    "m5 OK stored\r\n"
    "* 2 FETCH (FLAGS () UID 9 BODY[] \"quoted body\")\r\nm6 OK done\r\n"
    "m7 OK stored\r\n"
    "* 1 EXPUNGE\r\n* 1 EXPUNGE\r\nm8 OK expunged\r\n"
    "* BYE bye\r\nm9 OK LOGOUT completed\r\n";

}  // namespace

TEST_CASE("imap client: the whole fetch, server bytes split at every offset") {
  const std::vector<std::string> want_traced{
      "m1 AUTHENTICATE PLAIN ********", "m2 SELECT INBOX", "m3 UID SEARCH UNSEEN", "m4 UID FETCH 4 BODY.PEEK[]",
      "m5 UID STORE 4 +FLAGS.SILENT (\\Seen \\Deleted)", "m6 UID FETCH 9 BODY.PEEK[]",
      "m7 UID STORE 9 +FLAGS.SILENT (\\Seen \\Deleted)", "m8 UID EXPUNGE 4,9", "m9 LOGOUT"};
  for (std::size_t cut = 0; cut <= dialogue.size(); ++cut) {
    client_fsm c({"bob@example.org", "pw", "INBOX", true});
    auto run = play(c, dialogue, cut);
    INFO("cut at " << cut);
    REQUIRE(c.done());
    CHECK(c.result().error == fetch_error::none);
    REQUIRE(c.result().messages.size() == 2);
    CHECK(c.result().messages[0].uid == 4);
    CHECK(c.result().messages[0].content == "A\r\n{3}\r\nB");
    CHECK(c.result().messages[1].content == "quoted body");
    CHECK(c.result().uidvalidity == 7);
    CHECK(run.traced == want_traced);
    CHECK(run.closed);
  }
  client_fsm c({"bob@example.org", "pw", "INBOX", true});
  auto run = play(c, dialogue, 0);
  CHECK(run.sent.starts_with("m1 AUTHENTICATE PLAIN AGJvYkBleGFtcGxlLm9yZwBwdw==\r\nm2 SELECT INBOX\r\n"));
}

TEST_CASE("imap client: PLAIN after a continuation, LOGIN with quoted strings or literals") {
  client_fsm a({"bob", "pw", "INBOX", false});
  client_run run;
  apply(run, a.receive("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n"));
  CHECK(run.sent == "m1 AUTHENTICATE PLAIN\r\n");
  apply(run, a.receive("+ \r\n"));
  CHECK(run.sent == "m1 AUTHENTICATE PLAIN\r\nAGJvYgBwdw==\r\n");
  CHECK(run.traced == std::vector<std::string>{"m1 AUTHENTICATE PLAIN", "********"});

  client_fsm b({"bob smith", "p\"w", "INBOX", false});
  run = {};
  apply(run, b.receive("* OK hi\r\n"));
  CHECK(run.sent == "m1 CAPABILITY\r\n");
  apply(run, b.receive("* CAPABILITY IMAP4rev1\r\nm1 OK done\r\n"));
  CHECK(run.sent == "m1 CAPABILITY\r\nm2 LOGIN \"bob smith\" \"p\\\"w\"\r\n");
  CHECK(run.traced.back() == "m2 LOGIN \"bob smith\" ********");

  // A password with a line break needs a literal: LITERAL+ sends it at once...
  client_fsm c({"bob", "pa\r\nss", "INBOX", false});
  run = {};
  apply(run, c.receive("* OK [CAPABILITY IMAP4rev1 LITERAL+] hi\r\n"));
  CHECK(run.sent == "m1 LOGIN bob {6+}\r\npa\r\nss\r\n");
  CHECK(run.traced == std::vector<std::string>{"m1 LOGIN bob ********"});
  // ...without it the client waits for "+".
  client_fsm d({"bob", "pa\r\nss", "INBOX", false});
  run = {};
  apply(run, d.receive("* OK [CAPABILITY IMAP4rev1] hi\r\n"));
  CHECK(run.sent == "m1 LOGIN bob {6}\r\n");
  apply(run, d.receive("+ go ahead\r\n"));
  CHECK(run.sent == "m1 LOGIN bob {6}\r\npa\r\nss\r\n");
  apply(run, d.receive("m1 OK in\r\n"));
  CHECK(run.sent.ends_with("m2 SELECT INBOX\r\n"));
}

TEST_CASE("imap client: refusals and broken servers") {
  struct row {
    std::string server;
    fetch_error want;
    std::string reply;
    std::string last_sent;
  };
  const std::string hi = "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] hi\r\n";
  std::vector<row> rows{
      {"* BYE go away\r\n", fetch_error::greeting, "* BYE go away", ""},
      {"HTTP/1.1 400 Bad Request\r\n", fetch_error::protocol, "HTTP/1.1 400 Bad Request", ""},
      {hi + "m1 NO [AUTHENTICATIONFAILED] no\r\n", fetch_error::auth, "m1 NO [AUTHENTICATIONFAILED] no", "m2 LOGOUT\r\n"},
      {hi + "m1 OK\r\nm2 NO [NONEXISTENT] no\r\n", fetch_error::select, "m2 NO [NONEXISTENT] no", "m3 LOGOUT\r\n"},
      {hi + "m1 OK\r\nm2 OK\r\nm3 BAD what\r\n", fetch_error::command, "m3 BAD what", "m4 LOGOUT\r\n"},
      {hi + "m1 OK\r\nm2 OK\r\n* SEARCH x\r\n", fetch_error::protocol, "* SEARCH x", "m4 LOGOUT\r\n"},
      {hi + "m1 OK\r\n* BYE shutting down\r\n", fetch_error::closed, "* BYE shutting down", "m2 SELECT INBOX\r\n"},
      {hi + "zz OK\r\n", fetch_error::protocol, "zz OK", "m1 AUTHENTICATE PLAIN AGJvYgBwdw==\r\n"},
      {hi + "+ more?\r\n", fetch_error::protocol, "+ more?", "m1 AUTHENTICATE PLAIN AGJvYgBwdw==\r\n"},
  };
  for (const auto& r : rows) {
    INFO(r.server);
    client_fsm c({"bob", "pw", "INBOX", false});
    auto run = play(c, r.server, 0);
    CHECK(c.result().error == r.want);
    CHECK(c.result().reply == r.reply);
    CHECK(run.sent.ends_with(r.last_sent));
  }
  // A message gone by the time it is fetched is skipped, not an error.
  client_fsm c({"bob", "pw", "INBOX", false});
  auto run = play(c, hi + "m1 OK\r\nm2 OK\r\n* SEARCH 3\r\nm3 OK\r\nm4 OK\r\nm5 OK\r\n", 0);
  CHECK(c.result().error == fetch_error::none);
  CHECK(c.result().messages.empty());
  CHECK(run.sent.ends_with("m4 UID FETCH 3 BODY.PEEK[]\r\nm5 LOGOUT\r\n"));
  // Found by fuzzing: a UID listed twice by SEARCH, or a FETCH response
  // repeated, still gives each message once.
  client_fsm d({"bob", "pw", "INBOX", false});
  const std::string fetch = "* 1 FETCH (UID 4 BODY[] {1}\r\nA)\r\n";
  run = play(d, hi + "m1 OK\r\nm2 OK\r\n* SEARCH 4 4\r\nm3 OK\r\n" + fetch + fetch + "m4 OK\r\nm5 OK\r\nm6 OK\r\n", 0);
  CHECK(d.result().error == fetch_error::none);
  REQUIRE(d.result().messages.size() == 1);
  CHECK(d.result().messages[0].content == "A");
  CHECK(run.sent.ends_with("m4 UID FETCH 4 BODY.PEEK[]\r\nm5 UID STORE 4 +FLAGS.SILENT (\\Seen)\r\nm6 LOGOUT\r\n"));
  // The connection ending: after LOGOUT's BYE it is fine, before it is not.
  client_fsm e({"bob", "pw", "INBOX", false});
  play(e, hi + "m1 OK\r\nm2 OK\r\n* SEARCH\r\nm3 OK\r\n* BYE\r\n", 0);
  e.on_eof();
  CHECK(e.result().error == fetch_error::none);
  client_fsm g({"bob", "pw", "INBOX", false});
  play(g, hi, 0);
  g.on_eof();
  CHECK(g.result().error == fetch_error::closed);
}

TEST_CASE("imap client against the server: fetch, mark seen, delete, in a folder with a non-ASCII name") {
  server_fixture f;
  f.store.create_folder("bob@example.org", "Entw\xc3\xbcrfe");
  f.store.append("bob@example.org", "Entw\xc3\xbcrfe", message_three, {}, start_time());
  f.store.append("bob@example.org", "Entw\xc3\xbcrfe", message_one, {"\\Seen"}, start_time());
  f.store.append("bob@example.org", "Entw\xc3\xbcrfe", message_two, {}, start_time());
  server_driver server(f.store);
  client_fsm client({"bob@example.org", "pw", "Entw\xc3\xbcrfe", true});
  client_run run;
  std::string to_client = server.take();
  while (!client.done()) {
    auto before = run.sent.size();
    apply(run, client.receive(std::exchange(to_client, {})));
    if (client.done()) break;
    to_client = server.send(run.sent.substr(before));
    REQUIRE(!to_client.empty());
  }
  CHECK(client.result().error == fetch_error::none);
  REQUIRE(client.result().messages.size() == 2);
  CHECK(client.result().messages[0].content == message_three);
  CHECK(client.result().messages[1].content == message_two);
  CHECK(run.traced.at(1) == "m2 SELECT Entw&APw-rfe");
  auto left = f.store.messages("bob@example.org", "Entw\xc3\xbcrfe");
  REQUIRE(left.size() == 1);
  CHECK(left[0].flags == flag_list{"\\Seen"});
  CHECK(server.closed);
}

TEST_CASE("imap client against the server: fetched mail moved into a folder, created or already there") {
  for (bool exists : {false, true}) {
    server_fixture f;
    if (exists) f.store.create_folder("bob@example.org", "Read/2026");
    f.store.create_folder("bob@example.org", "Lists");
    f.store.append("bob@example.org", "Lists", message_one, {}, start_time());
    f.store.append("bob@example.org", "Lists", message_two, {"\\Seen"}, start_time());
    server_driver server(f.store);
    fetch_config config{"bob@example.org", "pw", "Lists", false};
    config.move_to = "Read/2026";
    client_fsm client(config);
    client_run run;
    std::string to_client = server.take();
    while (!client.done()) {
      auto before = run.sent.size();
      apply(run, client.receive(std::exchange(to_client, {})));
      if (client.done()) break;
      to_client = server.send(run.sent.substr(before));
      REQUIRE(!to_client.empty());
    }
    INFO("folder exists before: " << exists);
    CHECK(client.result().error == fetch_error::none);
    CHECK(client.result().messages.size() == 1);
    CHECK(run.traced.at(5) == "m6 CREATE Read/2026");
    CHECK(run.traced.at(6) == "m7 UID MOVE 1 Read/2026");
    auto inbox = f.store.messages("bob@example.org", "Lists");
    REQUIRE(inbox.size() == 1);  // the one already seen stays
    auto moved = f.store.messages("bob@example.org", "Read/2026");
    REQUIRE(moved.size() == 1);
    CHECK(moved[0].flags == flag_list{"\\Seen"});
  }
}

namespace {

const std::string reader_a = "Message-ID: <a@x>\r\n\r\nA\r\n";
const std::string reader_b = "Subject: b\r\nMessage-ID: <b@x>\r\n\r\nB\r\n";

std::string reader_dialogue() {
  return "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN MOVE SPECIAL-USE] ready\r\n"
         "m1 OK logged in\r\n"
         "* 2 EXISTS\r\nm2 OK [READ-WRITE] selected\r\n"
         "* SEARCH 5 3\r\nm3 OK done\r\n"
         "* 1 FETCH (UID 3 BODY[] {" + std::to_string(reader_a.size()) + "}\r\n" + reader_a +
         " FLAGS (\\Seen))\r\nm4 OK done\r\n"
         "* 2 FETCH (UID 5 FLAGS (\\Seen) BODY[] {" + std::to_string(reader_b.size()) + "}\r\n" + reader_b +
         ")\r\nm5 OK done\r\n"
         "* LIST (\\HasNoChildren) \"/\" INBOX\r\n"
         "* LIST (\\HasNoChildren \\Junk) \"/\" \"Spam mail\"\r\n"
         "* LIST (\\Junk) \"/\" Later\r\nm6 OK done\r\n"
         "* OK [COPYUID 1 5 1] moved\r\n* 2 EXPUNGE\r\nm7 OK done\r\n"
         "* BYE bye\r\nm8 OK LOGOUT completed\r\n";
}

fetch_config reader_config() {
  fetch_config config{"bob@example.org", "pw", "INBOX", false};
  config.message_ids = {"<a@x>", "<b@x>"};
  config.report_spam = {"<b@x>"};
  return config;
}

}  // namespace

TEST_CASE("imap client: a reader searches by Message-ID and reports one into the Junk folder, split at every offset") {
  const std::vector<std::string> want_traced{"m1 AUTHENTICATE PLAIN ********",
                                             "m2 SELECT INBOX",
                                             "m3 UID SEARCH OR HEADER Message-ID <a@x> HEADER Message-ID <b@x>",
                                             "m4 UID FETCH 3 BODY[]",
                                             "m5 UID FETCH 5 BODY[]",
                                             "m6 LIST \"\" \"*\" RETURN (SPECIAL-USE)",
                                             "m7 UID MOVE 5 \"Spam mail\"",
                                             "m8 LOGOUT"};
  const std::string dialogue = reader_dialogue();
  for (std::size_t cut = 0; cut <= dialogue.size(); ++cut) {
    client_fsm c(reader_config());
    auto run = play(c, dialogue, cut);
    INFO("cut at " << cut);
    REQUIRE(c.done());
    CHECK(c.result().error == fetch_error::none);
    REQUIRE(c.result().messages.size() == 2);
    CHECK(c.result().messages[1].content == reader_b);
    CHECK(c.result().reported == std::vector<std::uint32_t>{5});
    CHECK(c.result().junk_folder == "Spam mail");
    CHECK(run.traced == want_traced);
  }
}

TEST_CASE("imap client: a reader with nothing to report lists nothing, and a refused MOVE reports nothing") {
  auto config = reader_config();
  config.report_spam.clear();
  client_fsm quiet(config);
  std::string d = reader_dialogue();
  auto run = play(quiet, d.substr(0, d.find("* LIST")) + "m6 OK LOGOUT completed\r\n", 0);
  CHECK(quiet.result().error == fetch_error::none);
  CHECK(run.traced.back() == "m6 LOGOUT");
  CHECK(quiet.result().reported.empty());

  client_fsm refused(reader_config());
  std::string upto_move = d.substr(0, d.find("* OK [COPYUID"));
  run = play(refused, upto_move + "m7 NO [TRYCREATE] no such mailbox\r\nm8 OK bye\r\n", 0);
  CHECK(refused.result().error == fetch_error::command);
  CHECK(refused.result().reported.empty());

  client_fsm no_junk(reader_config());
  std::string no_list = d.substr(0, d.find("* LIST")) + "* LIST () \"/\" INBOX\r\nm6 OK done\r\nm7 OK bye\r\n";
  run = play(no_junk, no_list, 0);
  CHECK(no_junk.result().error == fetch_error::command);
  CHECK(no_junk.result().reply == "the mailbox has no \\Junk folder");
  CHECK(run.traced.back() == "m7 LOGOUT");
}

TEST_CASE("imap client against the server: a reader opens two, reports one into Junk, leaves the rest unseen") {
  server_fixture f;  // bob: message_one (<one@example.com>), message_two, message_three
  const std::string other = "Message-ID: <other@example.com>\r\nSubject: other\r\n\r\nother\r\n";
  f.store.deliver("bob@example.org", other, start_time());
  server_driver server(f.store);
  fetch_config config{"bob@example.org", "pw", "INBOX", false};
  config.message_ids = {"<one@example.com>", "<other@example.com>"};
  config.report_spam = {"<other@example.com>"};
  client_fsm client(config);
  client_run run;
  std::string to_client = server.take();
  while (!client.done()) {
    auto before = run.sent.size();
    apply(run, client.receive(std::exchange(to_client, {})));
    if (client.done()) break;
    to_client = server.send(run.sent.substr(before));
    REQUIRE(!to_client.empty());
  }
  CHECK(client.result().error == fetch_error::none);
  CHECK(client.result().messages.size() == 2);
  CHECK(client.result().junk_folder == "Junk");
  auto inbox = f.store.messages("bob@example.org", "INBOX");
  REQUIRE(inbox.size() == 3);
  CHECK(inbox[0].flags == flag_list{"\\Seen"});  // opened: FETCH BODY[] set it
  CHECK(inbox[1].flags.empty());
  CHECK(inbox[2].flags.empty());
  auto junk = f.store.messages("bob@example.org", "Junk");
  REQUIRE(junk.size() == 1);
  CHECK(junk[0].flags == flag_list{"\\Seen"});
  CHECK(client.result().reported.size() == 1);
}
