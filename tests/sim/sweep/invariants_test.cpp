// tests/sim/sweep/invariants_test.cpp - each invariant, held and broken, from hand-written events.
#include <catch2/catch.hpp>

#include <algorithm>

#include "sim/scenario/loader.hpp"
#include "sim/sweep/invariants.hpp"

using namespace sim::sweep;
using sim::event;

namespace {

const char* const world = R"({
  "scenario": "two-hops", "title": "t",
  "hosts": {
    "mail.sender.test": { "ip": "192.0.2.25", "local_domains": ["sender.test"], "mailboxes": ["alice@sender.test"],
                          "submission": true, "queue": { "lifetime": "1h" } },
    "mx.example.org": { "ip": "198.51.100.10", "local_domains": ["example.org"], "mailboxes": ["bob@example.org"] }
  }
})";

struct feed {
  sim::scenario::scenario s = sim::scenario::load_from_string(world, "two-hops.json");
  invariant_checker checker{s, true};
  std::uint64_t seq = 0;

  feed& at(std::int64_t t, const char* host, const char* name, event fields) {
    event e{{"seq", seq++}, {"t", t}, {"host", host}, {"agent", "mta"}, {"event", name}};
    for (auto& [k, v] : fields.items()) e[k] = v;
    sim::json_event_view view(e);
    checker.observe(view);
    return *this;
  }
  feed& enqueue(const char* host, const char* id, const char* from, const char* rcpt, const char* mid, std::int64_t t = 0) {
    return at(t, host, "queue.enqueue", {{"queue_id", id}, {"from", from}, {"rcpts", {rcpt}}, {"message_id", mid}});
  }
  feed& outcome(const char* name, const char* host, const char* id, const char* rcpt, std::int64_t t = 0) {
    return at(t, host, name, {{"queue_id", id}, {"rcpt", rcpt}});
  }
  feed& deliver(const char* host, const char* box, const char* mid) {
    return at(0, host, "lda.deliver", {{"mailbox", box}, {"message_id", mid}});
  }
  std::vector<std::string> failed() const {
    std::vector<std::string> out;
    for (const auto& v : checker.finish().violations) out.push_back(v.invariant);
    return out;
  }
};

using names = std::vector<std::string>;

}  // namespace

TEST_CASE("a message handed from hop to hop and delivered breaks nothing") {
  feed f;
  f.enqueue("mail.sender.test", "A", "alice@sender.test", "bob@example.org", "<m1>")
      .enqueue("mx.example.org", "B", "alice@sender.test", "bob@example.org", "<m1>")
      .outcome("queue.delivered", "mail.sender.test", "A", "bob@example.org")
      .deliver("mx.example.org", "bob@example.org", "<m1>")
      .outcome("queue.delivered", "mx.example.org", "B", "bob@example.org")
      .at(0, "mx.example.org", "queue.remove", {{"queue_id", "B"}});
  CHECK(f.failed().empty());
  CHECK(f.checker.finish().deliveries == 1);
}

TEST_CASE("a bounce without a DSN for the sender is a lost message") {
  feed f;
  f.enqueue("mail.sender.test", "A", "alice@sender.test", "bob@example.org", "<m1>")
      .outcome("queue.bounce", "mail.sender.test", "A", "bob@example.org");
  CHECK(f.failed() == names{"lost"});
}

TEST_CASE("a bounce with its DSN queued holds, and so does a null sender's dropped failure") {
  feed f;
  f.enqueue("mail.sender.test", "A", "alice@sender.test", "bob@example.org", "<m1>")
      .outcome("queue.bounce", "mail.sender.test", "A", "bob@example.org")
      .at(0, "mail.sender.test", "bounce.create",
          {{"queue_id", "D"}, {"original_queue_id", "A"}, {"rcpts", {"bob@example.org"}}, {"action", "failed"}})
      .enqueue("mail.sender.test", "D", "", "alice@sender.test", "<d1>")
      .outcome("queue.delivered", "mail.sender.test", "D", "alice@sender.test")
      .enqueue("mx.example.org", "N", "", "bob@example.org", "<n1>")
      .outcome("queue.bounce", "mx.example.org", "N", "bob@example.org");
  CHECK(f.failed().empty());
}

TEST_CASE("a queue file removed with a recipient open is a lost message") {
  feed f;
  f.enqueue("mail.sender.test", "A", "alice@sender.test", "bob@example.org", "<m1>")
      .at(5, "mail.sender.test", "queue.remove", {{"queue_id", "A"}});
  CHECK(f.failed() == names{"lost"});
}

TEST_CASE("a recipient still queued past its lifetime is lost, within it the idle queue is not empty") {
  feed late;
  late.enqueue("mail.sender.test", "A", "alice@sender.test", "bob@example.org", "<m1>")
      .outcome("queue.defer", "mail.sender.test", "A", "bob@example.org", 3 * 3'600'000);
  CHECK(late.failed() == names{"lost"});
  feed early;
  early.enqueue("mail.sender.test", "A", "alice@sender.test", "bob@example.org", "<m1>")
      .outcome("queue.defer", "mail.sender.test", "A", "bob@example.org", 60'000);
  CHECK(early.failed() == names{"queue"});
}

TEST_CASE("a recipient on a host left crashed is not judged") {
  feed f;
  f.enqueue("mail.sender.test", "A", "alice@sender.test", "bob@example.org", "<m1>")
      .at(10, "mail.sender.test", "host.crash", event::object());
  CHECK(f.failed().empty());
}

TEST_CASE("a second delivery is a duplicate unless the reply to the dot was lost") {
  feed twice;
  twice.deliver("mx.example.org", "bob@example.org", "<m1>").deliver("mx.example.org", "bob@example.org", "<m1>");
  CHECK(twice.failed() == names{"duplicate"});

  feed window;
  window.at(0, "mail.sender.test", "smtp.data", {{"session", "s2"}, {"peer", "mx.example.org"}})
      .enqueue("mx.example.org", "B", "alice@sender.test", "bob@example.org", "<m1>")
      .at(1, "mx.example.org", "net.reset", {{"session", "s2"}})
      .deliver("mx.example.org", "bob@example.org", "<m1>")
      .deliver("mx.example.org", "bob@example.org", "<m1>");
  auto v = window.checker.finish();
  CHECK(v.violations.size() == 1);  // B is still open: the idle queue is not empty
  CHECK(v.violations[0].invariant == "queue");
  CHECK(v.duplicates_in_window == 1);

  feed answered;
  answered.at(0, "mail.sender.test", "smtp.data", {{"session", "s2"}, {"peer", "mx.example.org"}})
      .enqueue("mx.example.org", "B", "alice@sender.test", "bob@example.org", "<m1>")
      .at(1, "mx.example.org", "smtp.reply", {{"session", "s2"}, {"code", 250}})
      .at(2, "mx.example.org", "net.reset", {{"session", "s2"}})
      .outcome("queue.delivered", "mx.example.org", "B", "bob@example.org")
      .deliver("mx.example.org", "bob@example.org", "<m1>")
      .deliver("mx.example.org", "bob@example.org", "<m1>");
  CHECK(answered.failed() == names{"duplicate"});
}

TEST_CASE("a 250 to the dot lost in a reset leaves the window open but lost mail still fails") {
  // The fault reset at "accepted": the server's 250 is traced with lost.
  feed lost_reply;
  lost_reply.at(0, "mail.sender.test", "smtp.data", {{"session", "s2"}, {"peer", "mx.example.org"}})
      .enqueue("mx.example.org", "B", "alice@sender.test", "bob@example.org", "<m1>")
      .at(1, "mx.example.org", "smtp.reply", {{"session", "s2"}, {"code", 250}, {"lost", true}})
      .at(1, "mx.example.org", "net.reset", {{"session", "s2"}})
      .enqueue("mx.example.org", "C", "alice@sender.test", "bob@example.org", "<m1>")
      .deliver("mx.example.org", "bob@example.org", "<m1>")
      .outcome("queue.delivered", "mx.example.org", "B", "bob@example.org")
      .deliver("mx.example.org", "bob@example.org", "<m1>")
      .outcome("queue.delivered", "mx.example.org", "C", "bob@example.org");
  auto v = lost_reply.checker.finish();
  CHECK(v.ok());
  CHECK(v.duplicates_in_window == 1);

  // The same window does not excuse a copy the server then forgets.
  feed forgotten;
  forgotten.at(0, "mail.sender.test", "smtp.data", {{"session", "s2"}, {"peer", "mx.example.org"}})
      .enqueue("mx.example.org", "B", "alice@sender.test", "bob@example.org", "<m1>")
      .at(1, "mx.example.org", "smtp.reply", {{"session", "s2"}, {"code", 250}, {"lost", true}})
      .at(1, "mx.example.org", "net.reset", {{"session", "s2"}})
      .at(2, "mx.example.org", "queue.remove", {{"queue_id", "B"}});
  CHECK(forgotten.failed() == names{"lost"});
}

TEST_CASE("a bounce of a bounce, and a DSN for a delivered recipient, break invariant 3") {
  feed f;
  f.enqueue("mail.sender.test", "D", "", "alice@sender.test", "<d1>")
      .outcome("queue.bounce", "mail.sender.test", "D", "alice@sender.test")
      .at(0, "mail.sender.test", "bounce.create",
          {{"queue_id", "E"}, {"original_queue_id", "D"}, {"rcpts", {"alice@sender.test"}}, {"action", "failed"}})
      .enqueue("mail.sender.test", "E", "", "", "<e1>");
  auto got = f.failed();
  CHECK(std::count(got.begin(), got.end(), "bounce") == 1);

  feed g;
  g.enqueue("mail.sender.test", "A", "alice@sender.test", "bob@example.org", "<m1>")
      .outcome("queue.delivered", "mail.sender.test", "A", "bob@example.org")
      .at(0, "mail.sender.test", "bounce.create",
          {{"queue_id", "D"}, {"original_queue_id", "A"}, {"rcpts", {"bob@example.org"}}, {"action", "failed"}});
  CHECK(g.failed() == names{"bounce"});
}
