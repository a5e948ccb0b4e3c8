// sim/net/network.hpp - the simulated network: hosts, listeners, connect, faults.
//
// Hosts have a name and one IPv4 or IPv6 address.  A listener is a callback
// that receives each accepted stream (agents spawn a session coroutine on
// it).  connect() runs in virtual time and reports net.connect,
// net.connect.refused and net.connect.timeout; closing or resetting a stream
// reports net.close / net.reset.  Faults can be switched on and off while
// the simulation runs, and a whole host can crash and come back.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/clock.hpp"
#include "sim/core/random.hpp"
#include "sim/core/trace.hpp"
#include "sim/net/stream.hpp"
#include "sim/net/tls.hpp"

namespace sim::net {

class memory_stream;

struct connection_info {
  std::string session;
  endpoint client;
  endpoint server;
};

using accept_handler = std::function<void(std::shared_ptr<stream>, const connection_info&)>;

enum class connect_error { none, refused, timeout };

struct connect_result {
  std::shared_ptr<stream> conn;  // set when error == none
  connect_error error = connect_error::none;
};

// Transport-level faults on a host, optionally on one port.  (Faults at an
// SMTP phase - reply, reset at a phase, slow replies - belong to the SMTP
// server, which asks its own fault table.)
struct fault {
  enum class kind { refuse, timeout, reset, slow, tls };
  kind what = kind::refuse;
  std::optional<std::uint16_t> port;  // every port when empty
  duration delay{0};                  // slow: extra one-way delay per write
  tls_problem problem = tls_problem::handshake;  // tls: what goes wrong
};

// Opens a real connection to a host that is a real program (`mailsim
// world`): from_host, to_host, ip, port, connect timeout.  It reports the
// net.* events itself.
using outside_connector = std::function<asio::awaitable<connect_result>(std::string, std::string, std::string,
                                                                        std::uint16_t, duration)>;

class network {
 public:
  network(clock& clk, trace& tr);
  ~network();
  network(const network&) = delete;
  network& operator=(const network&) = delete;

  void add_host(const std::string& name, const std::string& ip);
  bool has_host(std::string_view name) const;
  // A host outside the simulation (a real program): connect() to it goes
  // through the outside connector; without one it is refused (no listener).
  void mark_outside(const std::string& name);
  bool is_outside(std::string_view name) const;
  void set_outside_connector(outside_connector c) { outside_ = std::move(c); }
  // The host with this address, if any.
  std::optional<std::string> host_by_ip(std::string_view ip) const;
  std::optional<std::string> ip_of(std::string_view host) const;

  void listen(const std::string& host, std::uint16_t port, accept_handler on_accept);
  void unlisten(const std::string& host, std::uint16_t port);

  // Opens a connection from `from_host` to ip:port.  Refused at once when
  // nothing listens (or a refuse fault is on); when no host has that
  // address, or a timeout fault is on, the attempt hangs until `timeout`.
  asio::awaitable<connect_result> connect(std::string from_host, std::string ip, std::uint16_t port,
                                          duration timeout);

  // One-way latency of every link (default 5ms).
  void set_latency(duration one_way) { latency_ = one_way; }
  duration latency() const { return latency_; }
  // Split every write into random pieces (tests of framing code).
  void set_split_writes(std::optional<random_stream> rng) { split_ = std::move(rng); }

  void add_fault(const std::string& host, fault f);
  void clear_faults(const std::string& host);
  // A `refuse` fault holds for host:port now (live mode's real listeners ask).
  bool refuses(const std::string& host, std::uint16_t port) const;
  // A `tls` fault on host:port now: what its TLS does wrong (both ends of a
  // simulated STARTTLS ask, so that they agree).
  std::optional<tls_problem> tls_fault(const std::string& host, std::uint16_t port) const;
  // Every stream of the host is reset and every listener is gone; connects
  // to it time out (the machine is down) until restart().
  void crash(const std::string& host);
  void restart(const std::string& host);
  bool is_down(std::string_view host) const;

  clock& get_clock() { return clock_; }
  trace& get_trace() { return trace_; }

  // Used by memory_stream: bytes written by `from` take this long to arrive.
  duration delay_for(const std::string& from_host, std::uint16_t server_port) const;
  std::optional<random_stream>& splitter() { return split_; }
  void forget(memory_stream* s);

 private:
  struct host_state {
    std::string ip;
    bool down = false;
    bool outside = false;
    std::map<std::uint16_t, accept_handler> listeners;
    std::vector<fault> faults;
  };
  const fault* find_fault(const host_state& h, std::uint16_t port, fault::kind k) const;
  std::shared_ptr<stream> open_pipe(const std::string& from_host, const std::string& to_host,
                                    const std::string& ip, std::uint16_t port, bool reset_at_once);

  clock& clock_;
  trace& trace_;
  duration latency_{5};
  std::optional<random_stream> split_;
  outside_connector outside_;
  std::map<std::string, host_state, std::less<>> hosts_;
  std::size_t fault_count_ = 0;  // faults over every host
  std::map<std::string, std::string, std::less<>> by_ip_;
  std::vector<memory_stream*> live_;  // open in-memory streams, for crash()
};

}  // namespace sim::net
