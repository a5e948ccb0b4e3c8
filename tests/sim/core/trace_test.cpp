// Tests for sim/core/trace: stable fields, order and formatting; events
// streamed to sinks, never kept; lines byte for byte as JSON objects gave.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/core/random.hpp"
#include "sim/core/trace.hpp"
#include "sim/core/trace_jsonl.hpp"
#include "sim/core/trace_recorder.hpp"
#include "sim/core/virtual_clock.hpp"

using namespace std::chrono_literals;
using json = nlohmann::ordered_json;

namespace {

// What the trace wrote when events were nlohmann::ordered_json objects.
std::string json_line(const json& e) { return e.dump(-1, ' ', false, json::error_handler_t::replace); }

// The lines a trace writes for what `emit` emits.
template <typename Emit>
std::vector<std::string> lines_of(Emit emit) {
  sim::trace tr;
  std::vector<std::string> got;
  tr.on_event([&](const sim::event_view& e) { got.push_back(sim::trace::to_line(e)); });
  emit(tr);
  return got;
}

}  // namespace

TEST_CASE("events carry the common fields first, then their own in order") {
  asio::io_context ctx;
  sim::virtual_clock clk(ctx, *sim::parse_rfc3339("2026-01-05T09:00:00Z"));
  sim::recording_trace tr(&clk);
  tr.emit("sim", "sim", "sim.start", {{"scenario", "x"}, {"seed", 1}});
  clk.call_at(sim::at_millis(1500), [&] { tr.emit("mx1", "mta", "queue.enqueue", {{"queue_id", "A1"}, {"from", "a@b"}}); });
  clk.run();
  std::ostringstream out;
  tr.write_jsonl(out);
  CHECK(out.str() ==
        "{\"seq\":0,\"t\":0,\"host\":\"sim\",\"agent\":\"sim\",\"event\":\"sim.start\",\"scenario\":\"x\",\"seed\":1}\n"
        "{\"seq\":1,\"t\":1500,\"host\":\"mx1\",\"agent\":\"mta\",\"event\":\"queue.enqueue\",\"queue_id\":\"A1\","
        "\"from\":\"a@b\"}\n");
}

TEST_CASE("sinks see every event as it happens, without sinks events are only numbered") {
  sim::trace tr;
  tr.emit("h", "net", "net.listen");
  std::vector<std::string> got;
  auto id = tr.on_event([&](const sim::event_view& e) { got.push_back(std::string(e.name()) + "@" + std::to_string(e.seq())); });
  tr.emit("h", "net", "net.connect");
  tr.emit("h", "net", "net.close");
  tr.remove_sink(id);
  tr.emit("h", "net", "net.reset");
  CHECK(got == std::vector<std::string>{"net.connect@1", "net.close@2"});
  CHECK(tr.emitted() == 4);
  CHECK(tr.next_session_id() == "s1");
  CHECK(tr.next_session_id() == "s2");
  tr.close();
  tr.emit("h", "net", "net.close");
  CHECK(tr.emitted() == 4);  // a closed trace drops events unnumbered
}

TEST_CASE("invalid UTF-8 from the wire still gives a valid JSON line") {
  auto got = lines_of([](sim::trace& tr) { tr.emit("h", "mta", "smtp.command", {{"line", std::string("MAIL \xff\xfe")}}); });
  REQUIRE(got.size() == 1);
  CHECK_NOTHROW(nlohmann::json::parse(got[0]));
}

TEST_CASE("lines are byte for byte what the same event as a JSON object dumps to") {
  const std::vector<std::string> strings{
      "plain", "", "quote \" and backslash \\", "tab\tnewline\ncr\rback\bfeed\f", std::string("nul \0 x", 7),
      "\x01\x1f\x7f del", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xa7", "bad \xff\xfe utf-8", "cut \xe2\x82", "\xc0\xaf"};
  for (const auto& s : strings) {
    INFO(json(s).dump(-1, ' ', true, json::error_handler_t::replace));
    auto got = lines_of([&](sim::trace& tr) { tr.emit(s, "mta", "x.y", {{s.empty() ? "k" : s, s}, {"list", std::vector<std::string>{s, "b"}}}); });
    json want = {{"seq", 0}, {"t", 0}, {"host", s}, {"agent", "mta"}, {"event", "x.y"}};
    want[s.empty() ? "k" : s] = s;
    want["list"] = {s, "b"};
    CHECK(got.at(0) == json_line(want));
  }
}

TEST_CASE("every kind of value writes as JSON writes it") {
  json free_form = {{"kind", "reply"}, {"code", 451}, {"x", {1.5, nullptr, true}}};
  std::vector<sim::trace_object> candidates{{{"preference", 10}, {"host", "mx1"}}, {{"preference", 20}, {"host", "mx2"}}};
  sim::trace_object nested{{"a", 1}, {"b", std::optional<std::string>()}, {"c", "z"}};
  std::vector<std::string_view> views{"x", "y"};
  std::optional<std::string> none, some = "here";
  auto got = lines_of([&](sim::trace& tr) {
    tr.emit("h", "mta", "x", {{"null", nullptr}, {"yes", true}, {"no", false}, {"neg", -5}, {"big", std::uint64_t{18446744073709551615u}},
                              {"port", std::uint16_t{25}}, {"char", 'A'}, {"none", none}, {"some", some},
                              {"views", views}, {"empty", std::vector<std::string>{}}, {"candidates", candidates},
                              {"nested", nested}, {"json", free_form}});
  });
  json want = {{"seq", 0}, {"t", 0}, {"host", "h"}, {"agent", "mta"}, {"event", "x"}, {"null", nullptr}, {"yes", true},
               {"no", false}, {"neg", -5}, {"big", 18446744073709551615u}, {"port", 25}, {"char", 65}, {"some", "here"},
               {"views", {"x", "y"}}, {"empty", json::array()},
               {"candidates", {{{"preference", 10}, {"host", "mx1"}}, {{"preference", 20}, {"host", "mx2"}}}},
               {"nested", {{"a", 1}, {"c", "z"}}}, {"json", free_form}};
  CHECK(got.at(0) == json_line(want));
}

TEST_CASE("a field named like a common one replaces it, of two with one name the first counts") {
  auto got = lines_of([](sim::trace& tr) {
    tr.emit("mx1", "sim", "fault.on", {{"host", "mx1.example.org"}, {"kind", "refuse"}, {"kind", "timeout"}});
    tr.emit("dns", "sim", "fault.on", json{{"dns", "example.org"}, {"host", "other"}});
  });
  CHECK(got.at(0) == R"({"seq":0,"t":0,"host":"mx1.example.org","agent":"sim","event":"fault.on","kind":"refuse"})");
  CHECK(got.at(1) == R"({"seq":1,"t":0,"host":"other","agent":"sim","event":"fault.on","dns":"example.org"})");
}

TEST_CASE("a sink reads fields by name and by dotted path, a recorder keeps them as JSON") {
  std::vector<sim::trace_object> candidates{{{"preference", 10}, {"host", "mx1"}}, {{"preference", 20}, {"host", "mx2"}}};
  sim::recording_trace tr;
  std::vector<std::string> seen;
  tr.on_event([&](const sim::event_view& e) {
    seen.push_back(std::string(e.get("event").string()) + " " + std::string(e.path("candidates.1.host").string()) + " " +
                   std::to_string(e.path("candidates.0.preference").integer()) + " " +
                   (e.path("candidates.2.host").absent() ? "absent" : "present") + " " +
                   (e.get("seq").equals(json(0u)) ? "seq0" : "?"));
  });
  tr.emit("h", "mta", "mx.select", {{"candidates", candidates}, {"implicit", false}});
  CHECK(seen == std::vector<std::string>{"mx.select mx2 10 absent seq0"});
  REQUIRE(tr.events().size() == 1);
  CHECK(tr.events()[0]["candidates"][1]["host"] == "mx2");
  CHECK(tr.events()[0]["implicit"] == false);
  sim::json_event_view back(tr.events()[0]);
  CHECK(back.view().path("candidates.1.host").string() == "mx2");
  CHECK(sim::trace::to_line(back.view()) == sim::trace::to_line(tr.events()[0]));
}

TEST_CASE("values compare with JSON as nlohmann::json does") {
  CHECK(sim::trace_value(25).equals(json(25u)));
  CHECK(sim::trace_value(std::uint16_t{25}).equals(json(25)));
  CHECK(sim::trace_value(25).equals(json(25.0)));
  CHECK_FALSE(sim::trace_value(-1).equals(json(18446744073709551615u)));
  CHECK_FALSE(sim::trace_value(25).equals(json("25")));
  CHECK(sim::trace_value("x").equals(json("x")));
  CHECK(sim::trace_value(nullptr).equals(json(nullptr)));
  CHECK_FALSE(sim::trace_value().equals(json(nullptr)));
  std::vector<std::string> list{"a", "b"};
  CHECK(sim::trace_value(list).equals(json{"a", "b"}));
  CHECK_FALSE(sim::trace_value(list).equals(json{"b", "a"}));
}

TEST_CASE("every approved trace line reads back and writes again byte for byte") {
  std::size_t lines = 0;
  for (const auto& entry : std::filesystem::directory_iterator(MAILSIM_SOURCE_DIR "/reports")) {
    if (!entry.path().string().ends_with(".trace.jsonl")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      ++lines;
      auto e = json::parse(line);
      sim::json_event_view view(e);
      std::string again;
      sim::append_json_line(again, view);
      INFO(entry.path().filename().string() << ": " << line);
      REQUIRE(again == line);
    }
  }
  CHECK(lines > 1000);
}

TEST_CASE("a JSON Lines sink writes every event, one a line") {
  std::ostringstream out;
  sim::trace tr;
  {
    sim::jsonl_sink sink(tr, out);
    tr.emit("h", "mta", "a", {{"n", 1}});
    tr.emit("h", "mta", "b");
    CHECK(sink.lines() == 2);
  }
  tr.emit("h", "mta", "c");  // the sink is gone
  CHECK(out.str() == "{\"seq\":0,\"t\":0,\"host\":\"h\",\"agent\":\"mta\",\"event\":\"a\",\"n\":1}\n"
                     "{\"seq\":1,\"t\":0,\"host\":\"h\",\"agent\":\"mta\",\"event\":\"b\"}\n");
}

namespace {
// A workload with random delays: each of 20 workers sleeps random times.
std::string run_workload(std::uint64_t seed) {
  asio::io_context ctx;
  sim::virtual_clock clk(ctx, *sim::parse_rfc3339("2026-01-05T09:00:00Z"));
  sim::recording_trace tr(&clk);
  sim::random_source src(seed);
  for (int w = 0; w < 20; ++w) {
    std::string name = fmt::format("w{}", w);
    asio::co_spawn(ctx, [&, name, rng = src.stream("worker/" + name)]() mutable -> asio::awaitable<void> {
      for (int i = 0; i < 10; ++i) {
        co_await clk.sleep_for(sim::duration{rng.between(0, 5000)});
        tr.emit(name, "sim", "tick", {{"i", i}});
      }
    }, asio::detached);
  }
  clk.run();
  std::ostringstream out;
  tr.write_jsonl(out);
  return out.str();
}
}  // namespace

TEST_CASE("a workload with random delays gives a byte-identical trace for one seed") {
  auto a = run_workload(1), b = run_workload(1), c = run_workload(2);
  CHECK(a == b);
  CHECK(a != c);
}
