// tests/sim/http/fixture_main.cpp - the HTTP server over the fake world, for curl and Chromium.
//
//   mailsim_http_fixture [ADDRESS:PORT]     (default 127.0.0.1:0: a free port)
//
// Prints `listen - http ADDRESS:PORT` (as `mailsim serve` will) and `ready`,
// then serves until SIGINT or SIGTERM.  The fake world starts with three
// messages: bob's first one carries markup in its subject, its From and its
// HTML part (which also tries to reach outside and to script its parent),
// so that the UI's escaping and its sandbox can be seen to hold.
#include <csignal>
#include <iostream>

#include "sim/core/real_clock.hpp"
#include "sim/http/server.hpp"
#include "tests/sim/http/fake_world.hpp"

namespace {

const char* const hostile =
    "From: \"<img src=x onerror=document.body.setAttribute('data-pwned','from')>\" <eve@evil.test>\r\n"
    "To: bob@example.org\r\n"
    "Subject: <script>document.body.setAttribute('data-pwned','subject')</script>\r\n"
    "Date: Mon, 05 Jan 2026 09:00:01 +0000\r\n"
    "Message-ID: <hostile@evil.test>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/alternative; boundary=b\r\n"
    "\r\n"
    "--b\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Hello Bob, <b>this is not bold</b>.\r\n"
    "--b\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<p id=\"inside\" style=\"color: #0a6\">Hello <b>Bob</b> from inside the frame.</p>\r\n"
    "<script>parent.document.body.setAttribute('data-pwned','iframe');document.title='pwned'</script>\r\n"
    "<img src=\"http://tracker.invalid/pixel.png\" alt=\"tracker\">\r\n"
    "--b--\r\n";

const char* const plain =
    "From: Alice <alice@sender.test>\r\n"
    "To: bob@example.org\r\n"
    "Subject: =?UTF-8?Q?Caf=C3=A9_meeting?=\r\n"
    "Date: Mon, 05 Jan 2026 09:05:00 +0000\r\n"
    "\r\n"
    "See you at ten.\r\n";

}  // namespace

int main(int argc, char** argv) {
  asio::io_context ctx;
  sim::real_clock clock(ctx, sim::real_clock::system_now());
  sim::http::testing::fake_world world;
  world.file("bob@example.org", hostile, "eve@evil.test");
  world.advance(std::chrono::minutes(5));
  world.file("bob@example.org", plain);
  world.file("carol@example.org", plain);
  sim::http::server srv(ctx, clock, world);
  std::string address;
  try {
    address = srv.start(argc > 1 ? argv[1] : "127.0.0.1:0");
  } catch (const std::exception& e) {
    std::cerr << "mailsim_http_fixture: " << e.what() << "\n";
    return 2;
  }
  std::cout << "listen - http " << address << "\nready" << std::endl;
  asio::signal_set signals(ctx, SIGINT, SIGTERM);
  signals.async_wait([&](sim::error_code ec, int) {
    if (ec) return;
    srv.stop();
    clock.call_after(std::chrono::milliseconds(200), [&ctx] { ctx.stop(); });
  });
  ctx.run();
  return 0;
}
