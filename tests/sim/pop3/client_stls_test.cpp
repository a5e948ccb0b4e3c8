// tests/sim/pop3/client_stls_test.cpp - the client's STLS (RFC 2595 4) as its TLS policy says.
#include <catch2/catch.hpp>

#include "sim/pop3/client_fsm.hpp"

using namespace sim::pop3;
using sim::net::tls_level;

namespace {

struct stls_run {
  std::vector<std::string> lines;
  bool starttls = false;
  bool closed = false;
};

void keep(stls_run& run, const std::vector<client_action>& actions) {
  for (const auto& action : actions) {
    if (const auto* s = std::get_if<client_send>(&action)) run.lines.push_back(s->line);
    else if (std::holds_alternative<client_starttls>(action)) run.starttls = true;
    else run.closed = true;
  }
}

stls_run feed_split(client_fsm& fsm, const std::string& server, std::size_t cut) {
  stls_run run;
  keep(run, fsm.receive(std::string_view(server).substr(0, cut)));
  keep(run, fsm.receive(std::string_view(server).substr(cut)));
  return run;
}

const std::string offered = "+OK ready\r\n+OK Capability list follows\r\nTOP\r\nstls\r\nUIDL\r\n.\r\n+OK Begin TLS\r\n";
const std::string after_tls = "+OK\r\n+OK\r\n+OK 0 0\r\n+OK bye\r\n";

}  // namespace

TEST_CASE("pop3 client: may - CAPA lists STLS - STLS - the handshake - then USER - split at every offset") {
  for (std::size_t cut = 0; cut <= offered.size(); ++cut) {
    client_fsm fsm({"u", "p", true, tls_level::may});
    auto run = feed_split(fsm, offered, cut);
    CHECK(run.lines == std::vector<std::string>{"CAPA", "STLS"});
    REQUIRE(run.starttls);
    CHECK_FALSE(fsm.done());
    stls_run next;
    keep(next, fsm.tls_started());
    CHECK(next.lines == std::vector<std::string>{"USER u"});
    CHECK(fsm.tls_active());
    keep(next, fsm.receive(after_tls));
    CHECK(next.lines == std::vector<std::string>{"USER u", "PASS p", "STAT", "QUIT"});
    CHECK(fsm.done());
    CHECK(fsm.result().error == fetch_error::none);
  }
}

TEST_CASE("pop3 client: may goes on in the clear when STLS is not offered or refused - or CAPA is unknown") {
  client_fsm plain({"u", "p", true, tls_level::may});
  auto run = feed_split(plain, "+OK ready\r\n+OK\r\nUSER\r\n.\r\n", 3);
  CHECK(run.lines == std::vector<std::string>{"CAPA", "USER u"});
  client_fsm refused({"u", "p", true, tls_level::may});
  run = feed_split(refused, "+OK ready\r\n+OK\r\nSTLS\r\n.\r\n-ERR not now\r\n", 20);
  CHECK(run.lines == std::vector<std::string>{"CAPA", "STLS", "USER u"});
  CHECK_FALSE(run.starttls);
  client_fsm old({"u", "p", true, tls_level::may});
  run = feed_split(old, "+OK ready\r\n-ERR what\r\n", 0);
  CHECK(run.lines == std::vector<std::string>{"CAPA", "USER u"});
}

TEST_CASE("pop3 client: encrypt gives up with QUIT when STLS is not offered or refused") {
  client_fsm missing({"u", "p", true, tls_level::encrypt});
  auto run = feed_split(missing, "+OK ready\r\n+OK\r\nUSER\r\n.\r\n+OK bye\r\n", 5);
  CHECK(run.lines == std::vector<std::string>{"CAPA", "QUIT"});
  CHECK(missing.done());
  CHECK(missing.result().error == fetch_error::tls);
  CHECK(missing.result().reply == "TLS is required, but the server does not offer STLS");
  client_fsm refused({"u", "p", true, tls_level::verify});
  run = feed_split(refused, "+OK ready\r\n+OK\r\nSTLS\r\n.\r\n-ERR [SYS/TEMP] no certificate\r\n+OK bye\r\n", 9);
  CHECK(run.lines == std::vector<std::string>{"CAPA", "STLS", "QUIT"});
  CHECK(refused.result().error == fetch_error::tls);
  CHECK(refused.result().reply == "TLS is required, but the server refused STLS: -ERR [SYS/TEMP] no certificate");
  CHECK(to_string(fetch_error::tls) == "tls");
}

TEST_CASE("pop3 client: a failed handshake ends the fetch - bytes before the handshake are a protocol error") {
  client_fsm failed({"u", "p", true, tls_level::may});
  auto run = feed_split(failed, offered, 4);
  REQUIRE(run.starttls);
  failed.tls_failed("handshake failure");
  CHECK(failed.done());
  CHECK(failed.result().error == fetch_error::tls);
  CHECK(failed.result().reply == "TLS handshake failed: handshake failure");
  CHECK(failed.tls_started().empty());  // too late
  client_fsm early({"u", "p", true, tls_level::encrypt});
  run = feed_split(early, offered + "+OK injected\r\n", 0);
  CHECK(early.done());
  CHECK(early.result().error == fetch_error::protocol);
  CHECK(early.tls_started().empty());
}

TEST_CASE("pop3 client: none sends no CAPA and no STLS even when offered") {
  client_fsm fsm({"u", "p", true, tls_level::none});
  auto run = feed_split(fsm, "+OK ready\r\n", 2);
  CHECK(run.lines == std::vector<std::string>{"USER u"});
}
