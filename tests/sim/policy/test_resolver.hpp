// tests/sim/policy/test_resolver.hpp - a small dns::resolver over an in-memory zone.
//
// Names are matched case-insensitively without a trailing dot.  Entries of
// a name are kept in order: records and failures.  A failure (timeout,
// SERVFAIL, ...) answers every query for the name unless a record of the
// asked type came before it; nothing after it is served (the pyspf suite
// driver's TIMEOUT rule).  Unknown names are NXDOMAIN; known names without
// the asked type are NODATA.  CNAMEs are followed; a loop is SERVFAIL.
#pragma once

#include <exception>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fake_dns/resolver.hpp"

namespace sim::policy::test {

class test_resolver : public dns::resolver {
 public:
  void add(dns::record record);
  void add_failure(const std::string& name, dns::rcode code);
  // Convenience: "A", "AAAA", "PTR", "CNAME" with their data; TXT with strings.
  void add(const std::string& name, dns::rr_type type, const std::string& data);
  void add_txt(const std::string& name, std::vector<std::string> strings);
  void add_mx(const std::string& name, std::uint16_t preference, const std::string& exchange);

  asio::awaitable<dns::answer> query(std::string asker, std::string name, dns::rr_type type) override;

  std::vector<std::string> queries;  // "name TYPE-number", in order

 private:
  struct entry {
    bool is_failure = false;
    dns::rcode failure = dns::rcode::noerror;
    dns::record record;
  };
  dns::answer answer(const std::string& name, dns::rr_type type, int depth) const;
  std::map<std::string, std::vector<entry>> zone_;
};

std::string canonical(std::string name);

// Runs one coroutine to completion on its own io_context.
template <typename T>
T run(asio::awaitable<T> task) {
  asio::io_context io;
  std::optional<T> got;
  asio::co_spawn(io, std::move(task), [&](std::exception_ptr error, T value) {
    if (error) std::rethrow_exception(error);
    got = std::move(value);
  });
  io.run();
  return std::move(*got);
}

}  // namespace sim::policy::test
