// queue_file: exact round trips, and every kind of damage rejected.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/mta/queue_file.hpp"

using namespace std::chrono_literals;
using namespace sim::mta;

namespace {

queue_file full_example() {
  queue_file f;
  f.queue_id = "4F2A1C0B9D";
  f.arrival = sim::at_millis(90'061);
  f.arrival_wall = sim::wall_time{1'767'603'600'000ms};
  f.reverse_path = "alice@sender.test";
  f.params = {dsn_ret::hdrs, "QQ314159", 2048, body_type::eight_bit_mime};
  f.message = std::string("Subject: caf\xe9\r\n\r\nbinary \0 and\xff\r\n.\r\n", 36);
  recipient_state bob;
  bob.address = "bob@example.org";
  bob.orcpt = "rfc822;Bob@Example.org";
  bob.notify = {false, true, true, true};
  bob.status = rcpt_status::deferred;
  bob.attempts = 3;
  bob.last_reply = "451 4.7.1 Greylisted, try again later";
  bob.enhanced_status = "4.7.1";
  bob.remote_host = "mx1.example.org";
  bob.next_attempt = sim::at_millis(90'061 + 1'200'000);
  recipient_state carol;
  carol.address = "carol@example.org";
  carol.notify = {true, false, false, false};
  carol.status = rcpt_status::delivered;
  carol.attempts = 1;
  recipient_state dave;
  dave.address = "dave@example.net";
  dave.status = rcpt_status::bounced;
  recipient_state erin;
  erin.address = "erin@example.net";
  f.recipients = {bob, carol, dave, erin};
  f.warned = true;
  return f;
}

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) hash = (hash ^ c) * 0x100000001b3ULL;
  return hash;
}

// A file whose checksum is right but whose header is `header`: reaches the
// field checks behind the checksum.
std::string with_header(const nlohmann::ordered_json& header, std::string_view message) {
  auto rest = header.dump() + "\n" + std::string(message);
  return fmt::format("mailsim-queue 1 {:016x}\n", fnv1a64(rest)) + rest;
}

nlohmann::ordered_json header_of(const std::string& bytes) {
  auto start = bytes.find('\n') + 1;
  return nlohmann::ordered_json::parse(bytes.substr(start, bytes.find('\n', start) - start));
}

}  // namespace

TEST_CASE("queue_file: a full file round-trips exactly") {
  auto want = full_example();
  auto bytes = serialize(want);
  auto got = parse_queue_file(bytes);
  REQUIRE(got);
  CHECK(*got == want);
  CHECK(serialize(*got) == bytes);
  CHECK(got->is_bounce() == false);
  CHECK_FALSE(got->finished());
}

TEST_CASE("queue_file: the header is written as JSON dumps it, so files keep their bytes across versions") {
  for (auto f : {full_example(), queue_file{}}) {
    auto bytes = serialize(f);
    auto start = bytes.find('\n') + 1;
    auto line = bytes.substr(start, bytes.find('\n', start) - start);
    CHECK(nlohmann::ordered_json::parse(line).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) == line);
  }
}

TEST_CASE("queue_file: a bounce with defaults and an empty message round-trips") {
  queue_file want;
  want.queue_id = "0000000000";
  want.recipients.push_back({});
  want.recipients[0].address = "alice@sender.test";
  want.recipients[0].status = rcpt_status::bounced;
  auto got = parse_queue_file(serialize(want));
  REQUIRE(got);
  CHECK(*got == want);
  CHECK(got->is_bounce());
  CHECK(got->finished());
  CHECK(got->params.size == std::nullopt);
}

TEST_CASE("queue_file: the header is one readable JSON line") {
  auto bytes = serialize(full_example());
  auto header = header_of(bytes);
  CHECK(header["queue_id"] == "4F2A1C0B9D");
  CHECK(header["recipients"][0]["status"] == "deferred");
  CHECK(header["recipients"][0]["notify"] == nlohmann::json::array({"SUCCESS", "FAILURE", "DELAY"}));
  CHECK(header["recipients"][1]["notify"] == nlohmann::json::array({"NEVER"}));
  CHECK(header["body"] == "8BITMIME");
  CHECK(header["ret"] == "HDRS");
  CHECK(queue_file_name("4F2A1C0B9D") == "queue/4F2A1C0B9D");
}

TEST_CASE("queue_file: invalid UTF-8 in a header string is stored as U+FFFD") {
  auto f = full_example();
  f.recipients[0].last_reply = "550 bad \xff byte";
  auto got = parse_queue_file(serialize(f));
  REQUIRE(got);
  CHECK(got->recipients[0].last_reply == "550 bad \xef\xbf\xbd byte");
}

TEST_CASE("queue_file: every truncation is rejected") {
  auto bytes = serialize(full_example());
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    INFO(n);
    CHECK_FALSE(parse_queue_file(std::string_view(bytes).substr(0, n)));
  }
  CHECK_FALSE(parse_queue_file(bytes + "x"));
}

TEST_CASE("queue_file: every single damaged byte is rejected") {
  auto bytes = serialize(full_example());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto damaged = bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x20);
    INFO(i);
    CHECK_FALSE(parse_queue_file(damaged));
  }
}

TEST_CASE("queue_file: a correct checksum over a bad header is still rejected") {
  auto f = full_example();
  auto good = header_of(serialize(f));
  REQUIRE(parse_queue_file(with_header(good, f.message)));  // the tool itself works
  auto broken = [&](auto change) {
    auto h = good;
    change(h);
    return parse_queue_file(with_header(h, f.message));
  };
  CHECK_FALSE(broken([](auto& h) { h.erase("warned"); }));
  CHECK_FALSE(broken([](auto& h) { h["queue_id"] = "4f2a1c0b9d"; }));
  CHECK_FALSE(broken([](auto& h) { h["queue_id"] = "4F2A1C0B9"; }));
  CHECK_FALSE(broken([&](auto& h) { h["message_size"] = f.message.size() + 1; }));
  CHECK_FALSE(broken([](auto& h) { h["message_size"] = -1; }));
  CHECK_FALSE(broken([](auto& h) { h["recipients"] = nlohmann::ordered_json::array(); }));
  CHECK_FALSE(broken([](auto& h) { h["recipients"][0]["status"] = "lost"; }));
  CHECK_FALSE(broken([](auto& h) { h["recipients"][0]["attempts"] = -1; }));
  CHECK_FALSE(broken([](auto& h) { h["recipients"][0]["attempts"] = 1.5; }));
  CHECK_FALSE(broken([](auto& h) { h["recipients"][0]["attempts"] = "3"; }));
  CHECK_FALSE(broken([](auto& h) { h["recipients"][0]["notify"] = {"NEVER", "DELAY"}; }));
  CHECK_FALSE(broken([](auto& h) { h["recipients"][0]["notify"] = {"DELAY", "DELAY"}; }));
  CHECK_FALSE(broken([](auto& h) { h["recipients"][0]["notify"] = {"SOMETIMES"}; }));
  CHECK_FALSE(broken([](auto& h) { h["recipients"][0]["next_attempt"] = "soon"; }));
  CHECK_FALSE(broken([](auto& h) { h["ret"] = "ALL"; }));
  CHECK_FALSE(broken([](auto& h) { h["body"] = "BINARYMIME"; }));
  CHECK_FALSE(broken([](auto& h) { h["size"] = -5; }));
  CHECK_FALSE(broken([](auto& h) { h["warned"] = 1; }));
  CHECK_FALSE(broken([](auto& h) { h = nlohmann::ordered_json::array(); }));
  CHECK_FALSE(parse_queue_file("mailsim-queue 2 0000000000000000\n{}\n"));
  CHECK_FALSE(parse_queue_file(""));
}

TEST_CASE("queue_file: attempts at and past the limit") {
  auto f = full_example();
  auto header = header_of(serialize(f));
  header["recipients"][0]["attempts"] = 1'000'000;
  CHECK(parse_queue_file(with_header(header, f.message)));
  header["recipients"][0]["attempts"] = 1'000'001;
  CHECK_FALSE(parse_queue_file(with_header(header, f.message)));
}

TEST_CASE("queue_file: each forward path once: duplicates merged (the first kept), found by address") {
  queue_file f = full_example();
  recipient_state again;
  again.address = "bob@example.org";  // the same recipient, a second time, still pending
  again.notify = {true, false, false, false};
  f.recipients.insert(f.recipients.begin() + 2, again);
  f.recipients.push_back(again);
  const auto before = f.recipients.size();
  CHECK(f.merge_duplicates() == 2);
  CHECK(f.recipients.size() == before - 2);
  REQUIRE(f.find_recipient("bob@example.org"));
  CHECK(f.find_recipient("bob@example.org")->status == rcpt_status::deferred);  // the first one's state
  CHECK(f.find_recipient("bob@example.org")->notify == notify_flags{false, true, true, true});
  CHECK_FALSE(f.find_recipient("nobody@example.org"));
  CHECK(f == full_example());
}

TEST_CASE("queue_file: a file written with a recipient twice is read back with it once") {
  queue_file f = full_example();
  recipient_state again;
  again.address = "carol@example.org";
  f.recipients.push_back(again);
  std::string why;
  auto back = parse_queue_file(serialize(f), &why);
  REQUIRE(back);
  CHECK(*back == full_example());
  CHECK(why.empty());
}

TEST_CASE("queue_file: the reason a file is refused is given") {
  std::string why;
  std::string bytes = serialize(full_example());
  CHECK_FALSE(parse_queue_file(bytes.substr(0, bytes.size() - 1), &why));
  CHECK(why == "checksum mismatch (damaged or cut short)");
  CHECK_FALSE(parse_queue_file("hello", &why));
  CHECK(why == "not a mailsim queue file (bad first line)");
}

TEST_CASE("queue_file: recipient_lookup finds every address in any order and misses unknown ones") {
  for (std::size_t n : {3u, 8u, 9u, 100u}) {
    std::vector<recipient_state> rcpts(n);
    for (std::size_t i = 0; i < n; ++i) rcpts[i].address = fmt::format("r{}@example.org", i);
    // In order (the scheduler's lists), then with gaps, backwards, and unknown addresses mixed in.
    recipient_lookup in_order(rcpts);
    for (std::size_t i = 0; i < n; ++i) CHECK(in_order.find(rcpts[i].address) == i);
    recipient_lookup mixed(rcpts);
    for (std::size_t i = 0; i < n; i += 3) CHECK(mixed.find(rcpts[i].address) == i);
    CHECK(mixed.find("nobody@example.org") == recipient_lookup::npos);
    for (std::size_t i = n; i-- > 0;) CHECK(mixed.find(rcpts[i].address) == i);
    CHECK(mixed.find("r1@example.org ") == recipient_lookup::npos);
    recipient_lookup unknown_first(rcpts);
    CHECK(unknown_first.find("nobody@example.org") == recipient_lookup::npos);
    CHECK(unknown_first.find(rcpts[n - 1].address) == n - 1);
    CHECK(unknown_first.find(rcpts[0].address) == 0);
  }
}

TEST_CASE("queue_file_writer: each rewrite is what serialize writes") {
  auto f = full_example();
  queue_file_writer writer;
  CHECK(writer.serialize(f) == serialize(f));
  CHECK(writer.serialize(f) == serialize(f));  // nothing changed: every recipient reused
  // One recipient settles: only its JSON changes.
  f.recipients[3].status = rcpt_status::delivered;
  f.recipients[3].attempts = 1;
  f.recipients[3].diagnostic = "250 2.0.0 Ok: queued as 9C";
  CHECK(writer.serialize(f) == serialize(f));
  // A string of the same length, a changed next attempt, then the header alone.
  f.recipients[0].enhanced_status = "4.7.2";
  f.recipients[0].next_attempt.reset();
  CHECK(writer.serialize(f) == serialize(f));
  f.warned = false;
  f.message += "more\r\n";
  CHECK(writer.serialize(f) == serialize(f));
  // Recipients added or dropped: the writer starts over.
  f.recipients.pop_back();
  CHECK(writer.serialize(f) == serialize(f));
  f.recipients.push_back(f.recipients[0]);
  f.recipients.back().address = "frank@example.com";
  CHECK(writer.serialize(f) == serialize(f));
  auto back = parse_queue_file(writer.serialize(f));
  REQUIRE(back);
  CHECK(*back == f);
}
