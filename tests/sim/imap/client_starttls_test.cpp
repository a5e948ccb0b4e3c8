// tests/sim/imap/client_starttls_test.cpp - the client's STARTTLS (RFC 9051 6.2.1) as its TLS policy says.
#include <catch2/catch.hpp>

#include "sim/imap/client_fsm.hpp"

using namespace sim::imap;
using sim::net::tls_level;

namespace {

struct starttls_run {
  std::vector<std::string> commands;  // as traced
  bool starttls = false;
  bool closed = false;
};

void gather(starttls_run& run, const std::vector<client_action>& actions) {
  for (const auto& action : actions) {
    if (const auto* s = std::get_if<client_send>(&action)) run.commands.push_back(s->masked);
    else if (std::holds_alternative<client_starttls>(action)) run.starttls = true;
    else run.closed = true;
  }
}

starttls_run feed_at(client_fsm& fsm, const std::string& server, std::size_t cut) {
  starttls_run run;
  gather(run, fsm.receive(std::string_view(server).substr(0, cut)));
  gather(run, fsm.receive(std::string_view(server).substr(cut)));
  return run;
}

fetch_config reader(tls_level level) {
  fetch_config c{"u", "p"};
  c.tls = level;
  return c;
}

const std::string before_tls = "* OK [CAPABILITY IMAP4rev2 STARTTLS LOGINDISABLED] ready\r\nm1 OK Begin TLS negotiation now\r\n";

}  // namespace

TEST_CASE("imap client: may - STARTTLS when offered - CAPABILITY again after the handshake - split at every offset") {
  for (std::size_t cut = 0; cut <= before_tls.size(); ++cut) {
    client_fsm fsm(reader(tls_level::may));
    auto run = feed_at(fsm, before_tls, cut);
    CHECK(run.commands == std::vector<std::string>{"m1 STARTTLS"});
    REQUIRE(run.starttls);
    starttls_run next;
    gather(next, fsm.tls_started());
    CHECK(next.commands == std::vector<std::string>{"m2 CAPABILITY"});
    gather(next, fsm.receive("* CAPABILITY IMAP4rev2 AUTH=PLAIN SASL-IR\r\nm2 OK done\r\n"));
    REQUIRE(next.commands.size() == 2);
    CHECK(next.commands[1].rfind("m3 AUTHENTICATE PLAIN", 0) == 0);
    CHECK(fsm.tls_active());
  }
}

TEST_CASE("imap client: may logs in in the clear without STARTTLS - encrypt gives up with LOGOUT") {
  const std::string plain = "* OK [CAPABILITY IMAP4rev2 AUTH=PLAIN SASL-IR] ready\r\n";
  client_fsm may(reader(tls_level::may));
  auto run = feed_at(may, plain, 7);
  REQUIRE(run.commands.size() == 1);
  CHECK(run.commands[0].rfind("m1 AUTHENTICATE PLAIN", 0) == 0);
  client_fsm strict(reader(tls_level::encrypt));
  run = feed_at(strict, plain + "* BYE\r\nm1 OK bye\r\n", 7);
  CHECK(run.commands == std::vector<std::string>{"m1 LOGOUT"});
  CHECK(strict.done());
  CHECK(strict.result().error == fetch_error::tls);
  CHECK(strict.result().reply == "TLS is required, but the server does not offer STARTTLS");
}

TEST_CASE("imap client: STARTTLS refused - may goes on - verify gives up") {
  const std::string refused =
      "* OK [CAPABILITY IMAP4rev2 STARTTLS AUTH=PLAIN] ready\r\nm1 NO not today\r\n";
  client_fsm may(reader(tls_level::may));
  auto run = feed_at(may, refused, 30);
  REQUIRE(run.commands.size() == 2);
  CHECK(run.commands[1].rfind("m2 AUTHENTICATE PLAIN", 0) == 0);
  CHECK_FALSE(run.starttls);
  client_fsm verify(reader(tls_level::verify));
  run = feed_at(verify, refused, 30);
  CHECK(run.commands == std::vector<std::string>{"m1 STARTTLS", "m2 LOGOUT"});
  CHECK(verify.result().error == fetch_error::tls);
  CHECK(verify.result().reply == "TLS is required, but the server refused STARTTLS: m1 NO not today");
  CHECK(to_string(fetch_error::tls) == "tls");
}

TEST_CASE("imap client: a failed handshake ends the fetch - a response before it is a protocol error") {
  client_fsm failed(reader(tls_level::may));
  auto run = feed_at(failed, before_tls, 0);
  REQUIRE(run.starttls);
  failed.tls_failed("handshake failure");
  CHECK(failed.done());
  CHECK(failed.result().error == fetch_error::tls);
  CHECK(failed.result().reply == "TLS handshake failed: handshake failure");
  client_fsm early(reader(tls_level::may));
  run = feed_at(early, before_tls + "* OK injected\r\n", 0);
  CHECK(early.done());
  CHECK(early.result().error == fetch_error::protocol);
  client_fsm preauth(reader(tls_level::encrypt));
  run = feed_at(preauth, "* PREAUTH [CAPABILITY IMAP4rev2] welcome\r\n", 3);
  CHECK(run.commands == std::vector<std::string>{"m1 LOGOUT"});
  CHECK(preauth.result().error == fetch_error::tls);
}

TEST_CASE("imap client: none does not STARTTLS - LOGINDISABLED is the server's refusal") {
  client_fsm fsm(reader(tls_level::none));
  auto run = feed_at(fsm, before_tls, 10);
  CHECK(run.commands == std::vector<std::string>{"m1 LOGOUT"});
  CHECK(fsm.result().error == fetch_error::auth);
  CHECK(fsm.result().reply == "the server refuses LOGIN (LOGINDISABLED)");
}
