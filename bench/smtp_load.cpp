// smtp_load - an SMTP load client for live benchmarks (bench/live_bench.py).
//
// N sessions (one thread each, blocking sockets) send fixed-size messages to
// one SMTP server over loopback, one command at a time (no pipelining), as
// a simple MUA would: connect, greeting, EHLO, then MAIL / RCPT / DATA /
// content per message, QUIT after `--per-connection` messages (0: keep the
// connection for the whole run).  The same client drives mailsim and
// Postfix, so their figures compare.
//
// A message's latency runs from the first byte the client spends on it (the
// connect, for the first message of a connection; MAIL FROM otherwise) to
// the server's final 250.  Output: one line of key=value pairs.
//
//   smtp_load --port P [--host 127.0.0.1] [--sessions 10] [--per-connection 1]
//             [--seconds 5 | --messages M] [--warmup 1] [--size 1024]
//             [--from a@outside.test] [--to bob@example.org]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "sim/core/stopwatch.hpp"

namespace {

// Every time stamp: seconds since the program started.
const sim::stopwatch since_start;
double now() { return since_start.seconds(); }

struct options {
  std::string host = "127.0.0.1";
  int port = 0;
  int sessions = 10;
  int per_connection = 1;  // 0: persistent
  double seconds = 5;
  double warmup = 1;
  long messages = 0;  // > 0: send exactly this many, no time limit, no warmup
  int size = 1024;
  std::string from = "load@outside.test";
  std::string to = "bob@example.org";
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr, "smtp_load: %s\n", why);
  std::exit(2);
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (i + 1 >= argc) usage("every option takes a value");
    const char* v = argv[++i];
    if (a == "--host") o.host = v;
    else if (a == "--port") o.port = std::atoi(v);
    else if (a == "--sessions") o.sessions = std::atoi(v);
    else if (a == "--per-connection") o.per_connection = std::atoi(v);
    else if (a == "--seconds") o.seconds = std::atof(v);
    else if (a == "--warmup") o.warmup = std::atof(v);
    else if (a == "--messages") o.messages = std::atol(v);
    else if (a == "--size") o.size = std::atoi(v);
    else if (a == "--from") o.from = v;
    else if (a == "--to") o.to = v;
    else usage("unknown option");
  }
  if (o.port <= 0 || o.sessions <= 0 || o.per_connection < 0 || o.size < 200) usage("bad option value");
  return o;
}

// A message of exactly `size` octets (CRLF line ends, no line starting with a dot).
std::string make_content(const options& o) {
  std::string m = "From: <" + o.from + ">\r\nTo: <" + o.to + ">\r\nSubject: load\r\n\r\n";
  while (m.size() < static_cast<std::size_t>(o.size)) {
    std::size_t room = static_cast<std::size_t>(o.size) - m.size();
    std::size_t line = std::min<std::size_t>(room, 78);
    if (line < 3) {
      m.append(room, 'x');
      break;
    }
    m.append(line - 2, 'x');
    m += "\r\n";
  }
  return m;
}

// One connection with a buffered reply reader.
class connection {
 public:
  bool open(const options& o) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return false;
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<std::uint16_t>(o.port));
    ::inet_pton(AF_INET, o.host.c_str(), &sa.sin_addr);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) return false;
    begin_ = end_ = 0;
    return true;
  }
  ~connection() { close(); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
  // Reads one complete (possibly multiline) reply; returns its code, or -1.
  int reply() {
    for (;;) {
      std::string_view line;
      if (!next_line(line)) return -1;
      if (line.size() < 3) return -1;
      if (line.size() == 3 || line[3] == ' ') return std::atoi(std::string(line.substr(0, 3)).c_str());
    }
  }
  bool command(std::string_view line, int want) { return send(line) && reply() == want; }

 private:
  bool next_line(std::string_view& line) {
    for (;;) {
      auto* start = buf_ + begin_;
      auto* nl = static_cast<char*>(std::memchr(start, '\n', end_ - begin_));
      if (nl) {
        line = std::string_view(start, static_cast<std::size_t>(nl - start));
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        begin_ = static_cast<std::size_t>(nl - buf_) + 1;
        return true;
      }
      if (begin_ > 0) {
        std::memmove(buf_, buf_ + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
      }
      if (end_ == sizeof buf_) return false;
      ssize_t n = ::recv(fd_, buf_ + end_, sizeof buf_ - end_, 0);
      if (n <= 0) return false;
      end_ += static_cast<std::size_t>(n);
    }
  }

  int fd_ = -1;
  char buf_[8192];
  std::size_t begin_ = 0, end_ = 0;
};

struct shared_state {
  std::atomic<bool> measuring{false};
  std::atomic<bool> stop{false};
  std::atomic<long> remaining{0};  // --messages: how many are still to send
};

struct session_result {
  std::vector<std::uint32_t> latencies_us;  // messages completed while measuring
  long errors = 0;
};

// Sends messages until told to stop (or the count runs out).
void run_session(const options& o, const std::string& content, shared_state& s, session_result& out) {
  const std::string mail = "MAIL FROM:<" + o.from + ">\r\n";
  const std::string rcpt = "RCPT TO:<" + o.to + ">\r\n";
  const std::string body = content + ".\r\n";
  auto take = [&] { return o.messages > 0 ? s.remaining.fetch_sub(1) > 0 : !s.stop.load(); };
  while (take()) {
    connection c;
    double started = now();
    if (!c.open(o) || c.reply() != 220 || !c.command("EHLO load.outside.test\r\n", 250)) {
      ++out.errors;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    for (int k = 0;; ++k) {
      bool measured = s.measuring.load();
      if (!c.command(mail, 250) || !c.command(rcpt, 250) || !c.command("DATA\r\n", 354) || !c.command(body, 250)) {
        ++out.errors;
        break;
      }
      double took_us = (now() - started) * 1e6;
      if (measured && s.measuring.load()) out.latencies_us.push_back(static_cast<std::uint32_t>(took_us));
      if (o.per_connection > 0 && k + 1 >= o.per_connection) break;
      if (!take()) break;
      started = now();
    }
    c.command("QUIT\r\n", 221);
  }
}

std::uint32_t percentile(const std::vector<std::uint32_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  options o = parse(argc, argv);
  const std::string content = make_content(o);
  shared_state s;
  s.remaining = o.messages;
  if (o.messages > 0) s.measuring = true;
  std::vector<session_result> results(static_cast<std::size_t>(o.sessions));
  std::vector<std::thread> threads;
  double from = now(), to = 0;
  for (auto& r : results) threads.emplace_back([&o, &content, &s, &r] { run_session(o, content, s, r); });
  if (o.messages == 0) {
    std::this_thread::sleep_for(std::chrono::duration<double>(o.warmup));
    from = now();
    s.measuring = true;
    std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
    s.measuring = false;
    to = now();
    s.stop = true;
  }
  for (auto& t : threads) t.join();
  if (o.messages > 0) to = now();
  std::vector<std::uint32_t> all;
  long errors = 0;
  for (auto& r : results) {
    all.insert(all.end(), r.latencies_us.begin(), r.latencies_us.end());
    errors += r.errors;
  }
  std::sort(all.begin(), all.end());
  double seconds = to - from;
  std::printf("messages=%zu seconds=%.3f msg_per_s=%.0f p50_us=%" PRIu32 " p99_us=%" PRIu32 " errors=%ld\n",
              all.size(), seconds, static_cast<double>(all.size()) / seconds, percentile(all, 0.50),
              percentile(all, 0.99), errors);
  return errors > 0 && all.empty() ? 1 : 0;
}
