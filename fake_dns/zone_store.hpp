// fake_dns/zone_store.hpp - the records of the simulated world, and lookups.
//
// One store holds every zone (no delegation: the fake DNS is authoritative
// for everything).  Records keep their insertion order within a name, so
// answers are deterministic.  Sans-I/O: the resolver and the UDP server
// both answer from it.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "fake_dns/answer.hpp"
#include "fake_dns/record.hpp"

namespace dns {

class zone_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class zone_store {
 public:
  // RFC 1034 3.6.2 allows a chain of aliases; more than this many CNAMEs
  // in one answer (or a loop) is answered SERVFAIL, as resolvers do.
  static constexpr std::size_t max_cname_chain = 8;

  // Adds a record whose name is canonical (as parse_record() gives).
  // false when the same RR (ignoring TTL) is already there (RFC 2181 5).
  // Throws zone_error when a CNAME would share its owner with other data
  // (RFC 2181 10.1) or for type ANY.
  bool add(record r);
  void add_all(std::span<const record> records);
  // Removes the RRs equal to `r` ignoring TTL (RFC 2136 2.5.4); how many.
  std::size_t remove(const record& r);
  // Removes every RR of that type at the name (ANY: every RR); how many.
  std::size_t remove(std::string_view name, rr_type type);

  // Any record of that type (ANY: any record) at the name.
  bool has(std::string_view name, rr_type type) const;
  std::size_t size() const { return size_; }
  // Every record, by name (byte order), then in insertion order.
  std::vector<record> records() const;

  // The answer for a question: CNAMEs followed, NXDOMAIN when the name
  // has no records (and no names below it, RFC 8020), NOERROR with no
  // records (NODATA) when it has records of other types.  `name` is text
  // ("Example.ORG."); an invalid name is answered FORMERR.  A negative
  // answer carries the SOA of the closest enclosing zone, if the store has one.
  answer lookup(std::string_view name, rr_type type) const;
  // The same for a name already canonical (from the wire decoder).
  answer lookup_canonical(const std::string& name, rr_type type) const;

 private:
  void add_ancestors(const std::string& name, int delta);
  std::optional<record> enclosing_soa(const std::string& name) const;
  bool name_exists(const std::string& name) const;

  std::map<std::string, std::vector<record>, std::less<>> by_name_;
  std::map<std::string, int, std::less<>> non_terminals_;  // proper ancestors of owners, counted
  std::size_t size_ = 0;
};

}  // namespace dns
