// message_received: sim/message's Received trace fields, written and read back.
//
// Input: lines giving the HELO name, the client's reverse name, its
// address, the recipient (each kept to the characters a domain, an address
// as the network gives it, or a path allows), then any text, read as a Received value and as a
// message whose Received fields give a path.
//
// Invariants: parse_received() of any value never crashes; a field written
// by format_received() reads back with the same from, reverse name,
// address, by, with, id and for, unfolded or folded; received_path() names
// one host per readable Received field.
#include <string>

#include "sim/message/message.hpp"
#include "sim/message/received.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::message;

namespace {

std::string atom(std::string_view text, std::string_view fallback, std::string_view extra = "") {
  std::string out;
  for (char c : text)
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
        extra.find(c) != std::string_view::npos)
      out += c;
  return out.empty() ? std::string(fallback) : out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  received_stamp s;
  s.helo = atom(in.until('\n'), "client.test");
  std::string reverse = atom(in.until('\n'), "");
  if (!reverse.empty()) s.reverse_name = reverse;
  s.ip = "";
  for (char c : in.until('\n'))  // an address as the network gives it: hex digits, '.' and ':'
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '.' || c == ':') s.ip += c;
  if (s.ip.empty()) s.ip = "192.0.2.1";
  std::string rcpt = atom(in.until('\n'), "", "@+_");
  if (!rcpt.empty()) s.recipients.push_back(rcpt);
  s.by_host = "mx.example.org";
  s.protocol = "ESMTP";
  s.queue_id = "4F2A9C01B7";
  s.date = sim::wall_time{std::chrono::seconds{1767603600}};

  std::string value = format_received(s);
  for (const std::string& shown : {value, unfold(value)}) {
    auto got = parse_received(shown);
    fuzz::check(got.has_value(), "a Received field reads back", shown);
    fuzz::check(got->from_host == s.helo, "from reads back", shown);
    fuzz::check(got->reverse_name == s.reverse_name.value_or("unknown"), "the reverse name reads back", shown);
    fuzz::check(got->ip == s.ip, "the address reads back", shown);
    fuzz::check(got->by_host == s.by_host && got->protocol == s.protocol && got->id == s.queue_id,
                "by, with and id read back", shown);
    fuzz::check(got->for_address == rcpt, "for reads back", shown);
    fuzz::check(got->date == "Mon, 05 Jan 2026 09:00:00 +0000", "the date reads back", got->date);
  }

  std::string_view rest = in.rest();
  (void)parse_received(rest);
  message m = message::parse(rest);
  std::size_t readable = 0;
  for (const auto& v : m.get_all("Received")) readable += parse_received(v) ? 1 : 0;
  fuzz::check(received_path(m).size() == readable, "one path entry per readable Received field");
  return 0;
}
