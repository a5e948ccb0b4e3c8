// bench_report - how long the HTML report takes to build, and how large it is.
//
//   bench_report [NAME [N]]     the approved trace and timeline of reports/NAME (default newsletter), N times
//   bench_report --synthetic M  a made-up run of M messages, each submitted over SMTP and filed
//
// Run from the repository root.  The first form is the figure the report's
// issue asks for (the largest starter scenario); the second shows the bounds
// at work: time grows with the trace, the page does not.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "bench_util.hpp"
#include "sim/report/html.hpp"

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

int approved(const std::string& name, long times) {
  std::string trace = slurp("reports/" + name + ".trace.jsonl");
  if (trace.empty()) {
    std::fprintf(stderr, "cannot read reports/%s.trace.jsonl (run from the repository root)\n", name.c_str());
    return 2;
  }
  sim::report::report_input in;
  in.scenario.id = name;
  std::istringstream lines(slurp("reports/" + name + ".timeline.txt"));
  for (std::string l; std::getline(lines, l);) in.timeline.push_back(l);
  std::size_t bytes = 0;
  double s = bench::seconds_for([&] {
    for (long i = 0; i < times; ++i) {
      std::istringstream stream(trace);
      bytes = sim::report::report_html(in, stream).size();
    }
  });
  std::printf("%s: %zu trace bytes, %zu timeline lines -> page of %zu bytes\n", name.c_str(), trace.size(),
              in.timeline.size(), bytes);
  bench::report("reports built", static_cast<double>(times), s);
  std::printf("%.2f ms per report\n", s * 1000 / static_cast<double>(times));
  return 0;
}

int synthetic(long messages) {
  sim::report::report_input in;
  in.scenario.id = "synthetic";
  std::size_t bytes = 0;
  long events = 0;
  double s = bench::seconds_for([&] {
    sim::report::report_builder b;
    auto add = [&](std::string text) {
      b.add_line(text);
      ++events;
    };
    for (long i = 0; i < messages; ++i) {
      std::string id = fmt::format("<{}@x>", i), session = fmt::format("s{}", i);
      add(fmt::format(R"({{"seq":0,"t":{},"host":"pc","agent":"mua","event":"mua.compose","from":"a@x","to":["r{}@y"],"subject":"n{}","message_id":"{}"}})", i, i, i, id));
      add(fmt::format(R"({{"seq":0,"t":{},"host":"pc","agent":"net","event":"net.connect","session":"{}","peer":"mx","port":587}})", i, session));
      add(fmt::format(R"({{"seq":0,"t":{},"host":"pc","agent":"mua","event":"smtp.command","session":"{}","peer":"mx","line":"RCPT TO:<r{}@y>"}})", i, session, i));
      add(fmt::format(R"({{"seq":0,"t":{},"host":"mx","agent":"mta","event":"queue.enqueue","queue_id":"Q{}","from":"a@x","rcpts":["r{}@y"],"size":9,"message_id":"{}"}})", i, i, i, id));
      add(fmt::format(R"({{"seq":0,"t":{},"host":"mx","agent":"mta","event":"smtp.reply","session":"{}","peer":"pc","code":250,"text":"Ok","phase":"dot"}})", i, session));
      add(fmt::format(R"({{"seq":0,"t":{},"host":"pc","agent":"net","event":"net.close","session":"{}","peer":"mx"}})", i, session));
      add(fmt::format(R"({{"seq":0,"t":{},"host":"mx","agent":"lda","event":"lda.deliver","mailbox":"r{}@y","size":9,"message_id":"{}"}})", i, i, id));
    }
    bytes = b.html(in).size();
  });
  std::printf("synthetic: %ld messages, %ld events -> page of %zu bytes\n", messages, events, bytes);
  bench::report("events read", static_cast<double>(events), s);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string first = argc > 1 ? argv[1] : "newsletter";
  if (first == "--synthetic") return synthetic(argc > 2 ? std::atol(argv[2]) : 100'000);
  return approved(first, argc > 2 ? std::atol(argv[2]) : 20);
}
