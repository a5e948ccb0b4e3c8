// The UDP server on loopback: in-process clients, and the real dig.
#include <catch2/catch.hpp>

#include <cstdio>
#include <random>
#include <thread>

#include "fake_dns/dig_format.hpp"
#include "fake_dns/udp_server.hpp"
#include "fake_dns/wire.hpp"

using namespace dns;
using namespace std::chrono_literals;
using asio::ip::udp;

namespace {

zone_store example_zones() {
  zone_store zones;
  for (auto text : {"example.org MX 10 mx1.example.org", "example.org MX 20 mx2.example.org",
                    "example.org TXT \"v=spf1 -all\" \"a\\\"b\\010\"", "null.test MX 0 .",
                    "abcdefghijklmnopqrs.org A 192.0.2.9", "abcdefghijklmnopqrstu.org A 192.0.2.2",
                    "a.very-long-name-for-testing.example.org AAAA 2001:db8::1", "www.example.org CNAME example.org"})
    zones.add(parse_record(text));
  return zones;
}

udp::endpoint loopback() { return {asio::ip::make_address("127.0.0.1"), 0}; }

// Sends one datagram and waits (real time, bounded) for one reply.
asio::awaitable<std::optional<std::string>> ask(udp::socket& client, udp::endpoint server, std::string packet) {
  using namespace asio::experimental::awaitable_operators;
  co_await client.async_send_to(asio::buffer(packet), server, asio::use_awaitable);
  std::array<char, 4096> buffer;
  udp::endpoint from;
  asio::steady_timer timer(client.get_executor(), 300ms);
  auto result = co_await (client.async_receive_from(asio::buffer(buffer), from, asio::use_awaitable) ||
                          timer.async_wait(asio::use_awaitable));
  if (result.index() == 1) co_return std::nullopt;
  co_return std::string(buffer.data(), std::get<0>(result));
}

std::string query_packet(std::string name, rr_type type) {
  wire::message m;
  m.head.id = 77;
  m.questions.push_back({std::move(name), type, wire::class_in});
  return wire::encode(m);
}

// Runs `body` as a coroutine next to the server, then stops the server.
void with_server(const zone_store& zones, const fault_table* faults,
                 std::function<asio::awaitable<void>(udp_server&, udp::socket&)> body) {
  asio::io_context context;
  udp_server server(context.get_executor(), zones, faults, loopback());
  server.start();
  udp::socket client(context, udp::endpoint(udp::v4(), 0));
  bool finished = false;
  asio::co_spawn(context, body(server, client), [&](std::exception_ptr error) {
    server.stop();
    finished = true;
    if (error) std::rethrow_exception(error);
  });
  context.run_for(30s);
  CHECK(finished);
}

}  // namespace

TEST_CASE("only loopback addresses are accepted") {
  asio::io_context context;
  zone_store zones;
  CHECK_THROWS_AS(udp_server(context.get_executor(), zones, nullptr, {asio::ip::make_address("0.0.0.0"), 0}),
                  std::invalid_argument);
  udp_server server(context.get_executor(), zones, nullptr, loopback());
  CHECK(server.port() != 0);
  CHECK(server.local_endpoint().address().is_loopback());
}

TEST_CASE("answers, FORMERR, faults, and survival of random datagrams") {
  auto zones = example_zones();
  fault_table faults;
  faults.set("example.org", rr_type::TXT, rcode::timeout);
  faults.set("example.org", rr_type::A, rcode::servfail);
  with_server(zones, &faults, [&](udp_server& server, udp::socket& client) -> asio::awaitable<void> {
    auto at = server.local_endpoint();
    auto mx = co_await ask(client, at, query_packet("example.org", rr_type::MX));
    REQUIRE(mx);
    CHECK(wire::decode(*mx).answers.size() == 2);
    auto formerr = co_await ask(client, at, query_packet("example.org", rr_type::MX).substr(0, 20));
    REQUIRE(formerr);
    CHECK(wire::decode(*formerr).head.rcode == 1);
    CHECK_FALSE(co_await ask(client, at, "short"));
    CHECK_FALSE(co_await ask(client, at, query_packet("example.org", rr_type::TXT)));
    auto servfail = co_await ask(client, at, query_packet("example.org", rr_type::A));
    REQUIRE(servfail);
    CHECK(wire::decode(*servfail).head.rcode == 2);
    std::mt19937_64 random(7);
    for (int i = 0; i < 2000; ++i) {  // bounded: 2000 datagrams to our own loopback port
      std::string noise(random() % 64, '\0');
      for (auto& c : noise) c = static_cast<char>(random() & 0xff);
      co_await client.async_send_to(asio::buffer(noise), at, asio::use_awaitable);
    }
    // Drain whatever replies came, then check the server still answers.
    while (client.available() > 0) {
      std::array<char, 4096> sink;
      udp::endpoint from;
      co_await client.async_receive_from(asio::buffer(sink), from, asio::use_awaitable);
    }
    auto after = co_await ask(client, at, query_packet("null.test", rr_type::MX));
    REQUIRE(after);
    CHECK(wire::decode(*after).answers.at(0).to_string() == "null.test. 3600 IN MX 0 .");
    CHECK(server.answered() >= 4);
  });
}

namespace {

std::string run_command(const std::string& command) {
  std::string out;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    std::array<char, 4096> chunk;
    while (auto n = std::fread(chunk.data(), 1, chunk.size(), pipe)) out.append(chunk.data(), n);
    ::pclose(pipe);
  }
  return out;
}

// The lines of dig's output between a section header and the next blank line.
std::vector<std::string> section(const std::string& dig_output, const std::string& title) {
  std::vector<std::string> lines;
  auto at = dig_output.find(title + "\n");
  if (at == std::string::npos) return lines;
  at += title.size() + 1;
  while (at < dig_output.size() && dig_output[at] != '\n') {
    auto end = dig_output.find('\n', at);
    lines.push_back(dig_output.substr(at, end - at));
    at = end + 1;
  }
  return lines;
}

}  // namespace

TEST_CASE("dig reads our answers, and prints them as dig_format does") {
  if (run_command("command -v dig").empty()) {
    WARN("dig is not installed (Debian package dnsutils): skipped");
    return;
  }
  auto zones = example_zones();
  asio::io_context context;
  udp_server server(context.get_executor(), zones, nullptr, loopback());
  server.start();
  auto guard = asio::make_work_guard(context);
  std::thread runner([&] { context.run_for(60s); });

  struct question { std::string name; rr_type type; };
  std::vector<question> questions{{"example.org", rr_type::MX}, {"Example.ORG", rr_type::TXT}, {"www.example.org", rr_type::MX},
                                  {"null.test", rr_type::MX}, {"abcdefghijklmnopqrs.org", rr_type::A},
                                  {"abcdefghijklmnopqrstu.org", rr_type::A},
                                  {"a.very-long-name-for-testing.example.org", rr_type::AAAA},
                                  {"nowhere.example.org", rr_type::A}, {"null.test", rr_type::A}};
  for (const auto& q : questions) {
    auto command = fmt::format("timeout 10 dig +time=2 +tries=1 -p {} @127.0.0.1 {} {} 2>&1", server.port(), q.name,
                               type_text(q.type));
    auto output = run_command(command);
    INFO(command << "\n" << output);
    auto want = zones.lookup(q.name, q.type);
    CHECK(output.find(dig_status_line(want.code) + ", id: ") != std::string::npos);
    // dig keeps the question's case; our line shows the canonical name.
    auto asked = section(output, ";; QUESTION SECTION:");
    REQUIRE(asked.size() == 1);
    CHECK(canonical_name(asked[0].substr(1, asked[0].find_first_of("\t ") - 1)) == canonical_name(q.name));
    std::vector<std::string> want_lines;
    for (const auto& r : want.records) want_lines.push_back(dig_record_line(r));
    CHECK(section(output, ";; ANSWER SECTION:") == want_lines);
    if (q.name == canonical_name(q.name)) CHECK(asked[0] == dig_question_line(q.name, q.type));
  }
  asio::post(context, [&] {
    server.stop();
    guard.reset();
  });
  runner.join();
}
