// fake_dns/dig_format.hpp - an answer shown as dig (BIND 9.18) shows it.
//
// For `mailsim dns`: the header's status, the question and the answer
// section, with dig's columns (see README.md for the exact text).
#pragma once

#include <string>
#include <string_view>

#include "fake_dns/answer.hpp"
#include "fake_dns/record.hpp"

namespace dns {

// ";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN" (dig also prints an id;
// the simulation has none).
std::string dig_status_line(rcode code);
// ";example.org.\t\t\tIN\tMX": name, then class at column 32, type at 40.
std::string dig_question_line(std::string_view name, rr_type type);
// "example.org.\t\t3600\tIN\tMX\t10 mx1.example.org.": TTL at column 24,
// class at 32, type at 40, RDATA at 48 (tabs of 8; one space when a field
// already reaches the column).
std::string dig_record_line(const record& r);
// The whole text, each line ending in '\n'; a timeout prints dig's
// ";; connection timed out; no servers could be reached" instead.
std::string format_dig(std::string_view name, rr_type type, const answer& a);

}  // namespace dns
