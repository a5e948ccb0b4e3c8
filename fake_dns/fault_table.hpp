// fake_dns/fault_table.hpp - DNS faults injected per (name, type).
//
// The scenario's `{"dns": NAME, "type": T, "rcode": R}` faults.  Shared by
// the fake resolver and the UDP server so both worlds fail alike.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "fake_dns/record.hpp"

namespace dns {

class fault_table {
 public:
  // `effect` is rcode::servfail, rcode::nxdomain or rcode::timeout (the
  // query gets no answer); `type` nullopt = every type.  Replaces a fault
  // already set on that key.  Throws std::invalid_argument for another
  // rcode or an invalid name.
  void set(std::string_view name, std::optional<rr_type> type, rcode effect);
  // Clears the fault set with exactly that key; false when there was none.
  bool clear(std::string_view name, std::optional<rr_type> type);
  // Clears every fault on the name (the scenario's `heal`); how many.
  std::size_t clear_name(std::string_view name);
  void clear_all() { faults_.clear(); }
  bool empty() const { return faults_.empty(); }

  // The fault for a question: the one set for that type, else the one set
  // for every type.  `name` is canonical.
  std::optional<rcode> find(const std::string& name, rr_type type) const;

 private:
  static constexpr int any_type = -1;
  std::map<std::pair<std::string, int>, rcode> faults_;
};

// "SERVFAIL", "NXDOMAIN", "timeout" (case-insensitive) as in scenario files.
std::optional<rcode> parse_fault_rcode(std::string_view text);

}  // namespace dns
