// tests/sim/pop3/client_fsm_test.cpp - client_fsm against canned server bytes.
#include <catch2/catch.hpp>

#include "server_fixture.hpp"
#include "sim/pop3/client_fsm.hpp"

using namespace sim::pop3;

namespace {

struct client_run {
  std::vector<std::string> lines;   // as sent
  std::vector<std::string> masked;  // as traced
  bool closed = false;
};

void record(client_run& run, const std::vector<client_action>& actions) {
  for (const auto& action : actions) {
    if (const auto* s = std::get_if<client_send>(&action)) {
      run.lines.push_back(s->line);
      run.masked.push_back(s->masked);
    } else {
      run.closed = true;
    }
  }
}

// Feeds the server's bytes in two pieces cut at `cut`.
client_run feed(client_fsm& fsm, const std::string& server, std::size_t cut) {
  client_run run;
  record(run, fsm.receive(std::string_view(server).substr(0, cut)));
  record(run, fsm.receive(std::string_view(server).substr(cut)));
  return run;
}

const std::string two_messages =
    "+OK POP3 server ready\r\n+OK send PASS\r\n+OK maildrop has 2 messages (60 octets)\r\n"
    "+OK 2 60\r\n"
    "+OK 20 octets\r\nSubject: a\r\n\r\nhi\r\n.\r\n+OK message 1 deleted\r\n"
    "+OK 40 octets\r\n..dot\r\n...\r\n\r\n.x\r\n.\r\n+OK message 2 deleted\r\n"
    "+OK POP3 server signing off (maildrop empty)\r\n";

}  // namespace

TEST_CASE("client_fsm: a whole fetch, server bytes split at every offset") {
  const std::vector<std::string> want_lines = {"USER bob@example.org", "PASS pw", "STAT", "RETR 1",
                                               "DELE 1", "RETR 2", "DELE 2", "QUIT"};
  for (std::size_t cut = 0; cut <= two_messages.size(); ++cut) {
    client_fsm fsm({"bob@example.org", "pw", true});
    auto run = feed(fsm, two_messages, cut);
    CHECK(run.lines == want_lines);
    CHECK(run.masked[1] == "PASS ********");
    CHECK(run.closed);
    REQUIRE(fsm.done());
    const auto& got = fsm.result();
    CHECK(got.error == fetch_error::none);
    REQUIRE(got.messages.size() == 2);
    CHECK(got.messages[0].number == 1);
    CHECK(got.messages[0].content == "Subject: a\r\n\r\nhi\r\n");
    CHECK(got.messages[1].number == 2);
    CHECK(got.messages[1].content == ".dot\r\n..\r\n\r\nx\r\n");
  }
}

TEST_CASE("client_fsm: delete=false retrieves without DELE") {
  const std::string server =
      "+OK ready\r\n+OK\r\n+OK\r\n+OK 1 5\r\n+OK\r\nabc\r\n.\r\n+OK bye\r\n";
  client_fsm fsm({"u", "p", false});
  auto run = feed(fsm, server, 0);
  CHECK(run.lines == std::vector<std::string>{"USER u", "PASS p", "STAT", "RETR 1", "QUIT"});
  CHECK(fsm.result().messages.size() == 1);
  CHECK(fsm.result().error == fetch_error::none);
}

TEST_CASE("client_fsm: an empty maildrop goes straight to QUIT") {
  client_fsm fsm({"u", "p", true});
  auto run = feed(fsm, "+OK\r\n+OK\r\n+OK\r\n+OK 0 0\r\n+OK\r\n", 7);
  CHECK(run.lines == std::vector<std::string>{"USER u", "PASS p", "STAT", "QUIT"});
  CHECK(fsm.result().messages.empty());
  CHECK(fsm.done());
}

TEST_CASE("client_fsm: refusals and broken servers") {
  struct row {
    std::string server;
    fetch_error want_error;
    std::vector<std::string> want_lines;
    std::string want_reply;
  };
  const std::vector<row> rows = {
      {"-ERR go away\r\n", fetch_error::greeting, {}, "-ERR go away"},
      {"+OK\r\n-ERR no\r\n+OK\r\n", fetch_error::auth, {"USER u", "QUIT"}, "-ERR no"},
      {"+OK\r\n+OK\r\n-ERR [AUTH] invalid user name or password\r\n+OK\r\n", fetch_error::auth,
       {"USER u", "PASS p", "QUIT"}, "-ERR [AUTH] invalid user name or password"},
      {"+OK\r\n+OK\r\n-ERR [IN-USE] locked\r\n+OK\r\n", fetch_error::in_use, {"USER u", "PASS p", "QUIT"},
       "-ERR [IN-USE] locked"},
      {"+OK\r\n+OK\r\n+OK\r\n-ERR\r\n+OK\r\n", fetch_error::command, {"USER u", "PASS p", "STAT", "QUIT"},
       "-ERR"},
      {"+OK\r\n+OK\r\n+OK\r\n+OK many\r\n+OK\r\n", fetch_error::protocol, {"USER u", "PASS p", "STAT", "QUIT"},
       "+OK many"},
      {"+OK\r\n+OK\r\n+OK\r\n+OK 1 3\r\n-ERR gone\r\n+OK\r\n", fetch_error::command,
       {"USER u", "PASS p", "STAT", "RETR 1", "QUIT"}, "-ERR gone"},
      {"+OK\r\n+OK\r\n+OK\r\n+OK 1 3\r\n+OK\r\na\r\n.\r\n-ERR no\r\n+OK\r\n", fetch_error::command,
       {"USER u", "PASS p", "STAT", "RETR 1", "DELE 1", "QUIT"}, "-ERR no"},
      {"+OK\r\n+OK\r\n+OK\r\n+OK 0 0\r\n-ERR cannot\r\n", fetch_error::command,
       {"USER u", "PASS p", "STAT", "QUIT"}, "-ERR cannot"},
      // Not POP3: close at once, without QUIT, so that nothing is deleted.
      {"+OK\r\n220 smtp.example ESMTP\r\n", fetch_error::protocol, {"USER u"}, "220 smtp.example ESMTP"},
  };
  for (const auto& r : rows) {
    INFO(r.server);
    client_fsm fsm({"u", "p", true});
    auto run = feed(fsm, r.server, r.server.size() / 2);
    CHECK(run.lines == r.want_lines);
    CHECK(run.closed);
    CHECK(fsm.done());
    CHECK(fsm.result().error == r.want_error);
    CHECK(fsm.result().reply == r.want_reply);
  }
}

TEST_CASE("client_fsm: the connection ends or times out early") {
  client_fsm closed({"u", "p", true});
  closed.receive("+OK\r\n+OK\r\n+OK\r\n+OK 1 3\r\n+OK\r\npartial\r\n");
  CHECK_FALSE(closed.done());
  closed.on_eof();
  CHECK(closed.done());
  CHECK(closed.result().error == fetch_error::closed);
  CHECK(closed.result().messages.empty());
  CHECK(closed.receive("more\r\n").empty());

  client_fsm timed_out({"u", "p", true});
  timed_out.on_timeout();
  CHECK(timed_out.result().error == fetch_error::timeout);

  // An error already found is kept.
  client_fsm refused({"u", "p", true});
  refused.receive("+OK\r\n-ERR no\r\n");
  refused.on_eof();
  CHECK(refused.result().error == fetch_error::auth);
  CHECK(to_string(fetch_error::in_use) == "in_use");
}

TEST_CASE("client_fsm against server_fsm: bytes cross over until both are done") {
  sim::pop3::test::server_fixture f;
  sim::pop3::test::server_driver server(f.drop);
  client_fsm client({"bob@example.org", "pw", true});
  client_run run;
  while (!client.done()) {
    auto actions = client.receive(server.take_sent());
    record(run, actions);
    for (const auto& line : run.lines) server.feed(line + "\r\n");
    run.lines.clear();
    if (actions.empty() && server.sent.empty()) break;  // neither side has more to say
  }
  REQUIRE(client.done());
  CHECK(client.result().error == fetch_error::none);
  REQUIRE(client.result().messages.size() == 2);
  CHECK(client.result().messages[0].content == sim::pop3::test::message_one);
  CHECK(client.result().messages[1].content == sim::pop3::test::message_two);
  CHECK(f.drop.messages("bob@example.org").empty());
}
