// The LDA as its MTA sees it over LMTP (RFC 2033): one reply per accepted
// recipient after the final dot, the fields it adds, the recipients it
// refuses, and the rule that nothing is acknowledged before it is durable.
#include <catch2/catch.hpp>

#include "sim/message/message.hpp"
#include "tests/sim/lda/lda_world.hpp"

using namespace sim::lda;
using namespace sim::lda::test;

namespace {

bool starts_with(const std::string& got, std::string_view want) { return got.rfind(want, 0) == 0; }

// The header fields the LDA puts on top of `content` for `mailbox`.
std::string added_fields(const std::string& return_path, const std::string& mailbox) {
  return "Return-Path: <" + return_path + ">\r\nDelivered-To: " + mailbox + "\r\n";
}

}  // namespace

TEST_CASE("lda: after the dot each accepted recipient gets its own reply, in RCPT order") {
  lda_world w;
  w.boxes.add_mailbox("bob@example.org", {});
  w.boxes.add_mailbox("carol@example.org", {});
  w.agent.set_full("carol@example.org");
  auto got = w.lmtp_at(sim::at_millis(0), transaction("alice@sender.test",
                                                      {"bob@example.org", "carol@example.org", "nobody@example.org"},
                                                      sample));
  w.run();
  const std::vector<std::string> want_codes{"220", "250", "250", "250", "250", "550", "354", "250", "452", "221"};
  REQUIRE(got->size() == want_codes.size());
  for (std::size_t i = 0; i < want_codes.size(); ++i) {
    INFO("reply " << i << ": " << (*got)[i]);
    CHECK((*got)[i].substr(0, 3) == want_codes[i]);
  }
  CHECK(starts_with((*got)[5], "550 5.1.1 <nobody@example.org>"));
  CHECK(starts_with((*got)[7], "250 2.0.0 <bob@example.org>"));
  CHECK(starts_with((*got)[8], "452 4.2.2 <carol@example.org>"));
  CHECK(w.boxes.messages("bob@example.org").size() == 1);
  CHECK(w.boxes.messages("carol@example.org").empty());
  auto rejects = w.events("lda.reject");
  REQUIRE(rejects.size() == 2);
  CHECK(rejects[0]["mailbox"] == "nobody@example.org");
  CHECK(rejects[0]["status"] == "5.1.1");
  CHECK(rejects[1]["mailbox"] == "carol@example.org");
  CHECK(rejects[1]["status"] == "4.2.2");
}

TEST_CASE("lda: Return-Path and Delivered-To go on top, the Received chain and body stay byte for byte") {
  lda_world w;
  w.boxes.add_mailbox("bob@example.org", {});
  w.lmtp_at(sim::at_millis(0), transaction("alice@sender.test", {"Bob@Example.org"}, sample));
  w.run();
  const auto& box = w.boxes.messages("bob@example.org");
  REQUIRE(box.size() == 1);
  CHECK(box[0].raw == added_fields("alice@sender.test", "Bob@example.org") + sample_unstuffed);
  auto msg = sim::message::message::parse(box[0].raw);
  CHECK(msg.count("Received") == 2);
  auto delivered = w.events("lda.deliver");
  REQUIRE(delivered.size() == 1);
  CHECK(delivered[0]["return_path"] == "alice@sender.test");
  CHECK(delivered[0]["size"] == box[0].raw.size());
  CHECK(delivered[0]["message_id"] == "<lunch@sender.test>");
}

TEST_CASE("lda: a bounce (null reverse path) is filed with Return-Path <>") {
  lda_world w;
  w.boxes.add_mailbox("alice@sender.test", {});
  w.lmtp_at(sim::at_millis(0), transaction("", {"alice@sender.test"}, sample));
  w.run();
  const auto& box = w.boxes.messages("alice@sender.test");
  REQUIRE(box.size() == 1);
  CHECK(starts_with(box[0].raw, "Return-Path: <>\r\nDelivered-To: alice@sender.test\r\nReceived: "));
}

TEST_CASE("lda: the quota counts the message as filed, at the quota it fits, one octet over it is 452 4.2.2") {
  const std::size_t filed = added_fields("alice@sender.test", "bob@example.org").size() + sample_unstuffed.size();
  for (std::size_t quota : {filed, filed - 1}) {
    lda_world w;
    w.boxes.add_mailbox("bob@example.org", {std::nullopt, quota});
    auto got = w.lmtp_at(sim::at_millis(0), transaction("alice@sender.test", {"bob@example.org"}, sample));
    w.run();
    INFO("quota " << quota << ", message as filed " << filed);
    REQUIRE(got->size() == 7);
    if (quota == filed) {
      CHECK(starts_with((*got)[5], "250 2.0.0"));
      CHECK(w.boxes.used_bytes("bob@example.org") == quota);
    } else {
      CHECK(starts_with((*got)[5], "452 4.2.2"));
      CHECK(w.boxes.used_bytes("bob@example.org") == 0);
    }
  }
}

TEST_CASE("lda: a mailbox that is already full refuses the next message, other mailboxes are not affected") {
  lda_world w;
  const std::size_t filed = added_fields("alice@sender.test", "bob@example.org").size() + sample_unstuffed.size();
  w.boxes.add_mailbox("bob@example.org", {std::nullopt, filed + 10});
  w.boxes.add_mailbox("dave@example.org", {});
  w.lmtp_at(sim::at_millis(0), transaction("alice@sender.test", {"bob@example.org"}, sample));
  auto second = w.lmtp_at(sim::at_millis(1000), transaction("alice@sender.test", {"bob@example.org", "dave@example.org"}, sample));
  w.run();
  REQUIRE(second->size() == 9);
  CHECK(starts_with((*second)[6], "452 4.2.2"));
  CHECK(starts_with((*second)[7], "250 2.0.0"));
  CHECK(w.boxes.messages("bob@example.org").size() == 1);
  CHECK(w.boxes.messages("dave@example.org").size() == 1);
}

TEST_CASE("lda: a crash before the mailbox write is durable loses the message, and no 250 was sent") {
  lda_world w(1s);  // the simulated fsync takes a second
  w.boxes.add_mailbox("bob@example.org", {});
  auto got = w.lmtp_at(sim::at_millis(0), transaction("alice@sender.test", {"bob@example.org"}, sample));
  w.clk.call_at(sim::at_millis(500), [&] { w.crash(); });
  w.clk.call_at(sim::at_millis(5000), [&] { w.recover(); });
  w.run();
  for (const auto& reply : *got) CHECK_FALSE(starts_with(reply, "250 2.0.0"));
  CHECK(w.events("lda.deliver").empty());
  CHECK(w.boxes.messages("bob@example.org").empty());
}

TEST_CASE("lda: after the 250 a crash loses nothing: recover() finds the message as it was filed") {
  lda_world w(1s);
  w.boxes.add_mailbox("bob@example.org", {});
  auto got = w.lmtp_at(sim::at_millis(0), transaction("alice@sender.test", {"bob@example.org"}, sample));
  w.run();
  REQUIRE(got->size() == 7);
  REQUIRE(starts_with((*got)[5], "250 2.0.0"));
  std::string filed = w.boxes.messages("bob@example.org").at(0).raw;
  w.crash();
  CHECK(w.boxes.messages("bob@example.org").empty());  // the index died with the host
  w.recover();
  w.run();
  const auto& box = w.boxes.messages("bob@example.org");
  REQUIRE(box.size() == 1);
  CHECK(box[0].uid == "00000001");
  CHECK(box[0].raw == filed);
}

TEST_CASE("lda: the exchange is the same when the network splits every write into random pieces") {
  auto play = [](std::optional<std::uint64_t> split) {
    lda_world w;
    if (split) w.net.set_split_writes(sim::random_stream(*split));
    w.boxes.add_mailbox("bob@example.org", {});
    auto got = w.lmtp_at(sim::at_millis(0), transaction("alice@sender.test", {"bob@example.org", "x@example.org"}, sample));
    w.run();
    return std::make_pair(*got, w.boxes.messages("bob@example.org").at(0).raw);
  };
  auto want = play(std::nullopt);
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    INFO("split seed " << seed);
    CHECK(play(seed) == want);
  }
}

TEST_CASE("lda: the LMTP decisions answered at once are the awaitable hooks' answers with the same events") {
  lda_world w;
  w.boxes.add_mailbox("bob@example.org", {});
  auto hooks = w.agent.lmtp_hooks();
  sim::smtp::session_info info;
  sim::smtp::envelope env;
  std::vector<sim::smtp::decision_request> asks(6);
  asks[0].what = sim::smtp::ask::connect;
  asks[1].what = sim::smtp::ask::helo;
  asks[1].argument = "mail.sender.test";
  asks[2].what = sim::smtp::ask::mail;
  asks[2].mail = sim::smtp::mail_command{*sim::smtp::parse_mailbox("alice@sender.test"), {}};
  asks[3].what = sim::smtp::ask::rcpt;
  asks[3].rcpt = sim::smtp::rcpt_command{*sim::smtp::parse_mailbox("bob@example.org"), {}};
  asks[4].what = sim::smtp::ask::rcpt;
  asks[4].rcpt = sim::smtp::rcpt_command{*sim::smtp::parse_mailbox("nobody@example.org"), {}};
  asks[5].what = sim::smtp::ask::auth;
  asks[5].credentials = sim::smtp::auth_credentials{"PLAIN", "", "bob@example.org", "x"};
  std::vector<std::optional<sim::smtp::reply>> now, awaited;
  for (const auto& req : asks) {
    auto q = hooks->answer_now(info, env, req);
    REQUIRE(q.ready);
    now.push_back(q.answer);
  }
  auto rejects_now = w.events("lda.reject");
  // The coroutine takes what it uses as parameters: a capturing lambda would
  // be gone before its frame runs.
  w.tasks.spawn([](sim::smtp::server_hooks& h, const sim::smtp::session_info& s, const sim::smtp::envelope& e,
                   const std::vector<sim::smtp::decision_request>& a,
                   std::vector<std::optional<sim::smtp::reply>>& out) -> asio::awaitable<void> {
    out.push_back(co_await h.on_connect(s));
    out.push_back(co_await h.on_helo(s, a[1].argument));
    out.push_back(co_await h.on_mail(s, *a[2].mail));
    out.push_back(co_await h.on_rcpt(s, e, *a[3].rcpt));
    out.push_back(co_await h.on_rcpt(s, e, *a[4].rcpt));
    out.push_back(co_await h.check_auth(s, *a[5].credentials));
  }(*hooks, info, env, asks, awaited));
  w.run();
  CHECK(now == awaited);
  CHECK(!now[3]);
  REQUIRE(now[4]);
  CHECK(now[4]->code == 550);
  REQUIRE(now[5]);
  CHECK(now[5]->code == 502);
  // The message's decision always waits (the filing is durable first).
  sim::smtp::decision_request message;
  message.what = sim::smtp::ask::message;
  CHECK(!hooks->answer_now(info, env, message).ready);
  auto rejects = w.events("lda.reject");
  REQUIRE(rejects_now.size() == 1);
  REQUIRE(rejects.size() == 2);
  CHECK(rejects[0]["mailbox"] == rejects[1]["mailbox"]);
  CHECK(rejects[0]["reason"] == rejects[1]["reason"]);
}
