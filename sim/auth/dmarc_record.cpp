// sim/auth/dmarc_record.cpp - DMARC record tags and their defaults (RFC 7489 §6.3).
#include "sim/auth/dmarc_record.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "sim/auth/tag_list.hpp"
#include "sim/message/text.hpp"

namespace sim::auth {

namespace {

std::optional<dmarc_policy> parse_policy(std::string_view text) {
  const auto lower = message::to_lower(text);
  if (lower == "none") return dmarc_policy::none;
  if (lower == "quarantine") return dmarc_policy::quarantine;
  if (lower == "reject") return dmarc_policy::reject;
  return std::nullopt;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    items.emplace_back(message::trim(text.substr(start, end - start)));
    start = end + 1;
  }
  return items;
}

// §6.4 dmarc-uri: URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ], the URI
// with a scheme (RFC 3986 §3.1) and something after it.
bool is_dmarc_uri(std::string_view text) {
  const auto bang = text.find('!');
  const auto uri = text.substr(0, bang);
  const auto colon = uri.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == uri.size()) return false;
  if (!std::isalpha(static_cast<unsigned char>(uri[0]))) return false;
  for (char c : uri.substr(0, colon))
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  if (bang == std::string_view::npos) return true;
  auto size = text.substr(bang + 1);
  if (!size.empty() && std::string_view("kmgt").find(size.back()) != std::string_view::npos) size.remove_suffix(1);
  if (size.empty()) return false;
  for (char c : size)
    if (c < '0' || c > '9') return false;
  return true;
}

std::optional<long long> parse_number(std::string_view text, long long max) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > max) return std::nullopt;
  return value;
}

std::vector<std::string> read_uris(const std::string& name, std::string_view value, dmarc_record& r) {
  std::vector<std::string> uris;
  for (auto& uri : split(value, ',')) {
    if (is_dmarc_uri(uri)) uris.push_back(uri);
    else r.warnings.push_back(fmt::format("{}: \"{}\" is not a URI, ignored", name, uri));
  }
  return uris;
}

// Colon lists of known words (fo=, rf=); one unknown word discards the tag.
void read_words(const std::string& name, std::string_view value, std::vector<std::string_view> known,
                std::vector<std::string>& out, dmarc_record& r) {
  auto words = split(value, ':');
  for (auto& w : words) {
    w = message::to_lower(w);
    if (std::find(known.begin(), known.end(), w) == known.end()) {
      r.warnings.push_back(fmt::format("{}={} is not valid, the default is used", name, value));
      return;
    }
  }
  out = std::move(words);
}

// One tag other than v, p and sp; bad values keep the default (§6.3).
void read_tag(const std::string& name, const std::string& value, dmarc_record& r) {
  auto bad = [&] { r.warnings.push_back(fmt::format("{}={} is not valid, the default is used", name, value)); };
  const auto lower = message::to_lower(value);
  if (name == "adkim" || name == "aspf") {
    auto& mode = name == "adkim" ? r.adkim : r.aspf;
    if (lower == "r") mode = alignment_mode::relaxed;
    else if (lower == "s") mode = alignment_mode::strict;
    else bad();
  } else if (name == "pct") {
    if (auto n = parse_number(value, 100)) r.pct = static_cast<int>(*n); else bad();
  } else if (name == "ri") {
    if (auto n = parse_number(value, UINT32_MAX)) r.ri = static_cast<std::uint32_t>(*n); else bad();
  } else if (name == "rua" || name == "ruf") {
    (name == "rua" ? r.rua : r.ruf) = read_uris(name, value, r);
  } else if (name == "fo") {
    read_words(name, value, {"0", "1", "d", "s"}, r.fo, r);
  } else if (name == "rf") {
    read_words(name, value, {"afrf", "iodef"}, r.rf, r);
  }  // other tags are ignored (§6.3)
}

}  // namespace

std::string_view policy_name(dmarc_policy policy) {
  switch (policy) {
    case dmarc_policy::none: return "none";
    case dmarc_policy::quarantine: return "quarantine";
    case dmarc_policy::reject: return "reject";
  }
  return "none";
}

bool is_dmarc_record(std::string_view text) {
  const auto first = text.substr(0, text.find(';'));
  const auto equals = first.find('=');
  if (equals == std::string_view::npos) return false;
  return message::iequals(message::trim(first.substr(0, equals)), "v") &&
         message::trim(first.substr(equals + 1)) == "DMARC1";
}

dmarc_record_parse parse_dmarc_record(std::string_view text) {
  if (!is_dmarc_record(text)) return {std::nullopt, "the record does not start with v=DMARC1"};
  auto parsed = parse_tag_list(text, true);
  if (!parsed.list) return {std::nullopt, "syntax error: " + parsed.error};
  dmarc_record r;
  std::optional<dmarc_policy> p;
  bool bad_sp = false;
  for (const auto& t : parsed.list->tags) {
    const auto name = message::to_lower(t.name);
    if (name == "p") p = parse_policy(t.value);
    else if (name == "sp") bad_sp = !(r.sp = parse_policy(t.value));
    else read_tag(name, t.value, r);
  }
  if (p && !bad_sp) {
    r.p = *p;
    return {std::move(r), {}};
  }
  // §6.6.3 step 6: without a valid p= (or with a bad sp=), a record with a
  // valid rua= counts as p=none; otherwise no DMARC processing.
  const std::string what = p ? "sp= is not none, quarantine or reject" : "no valid p= (none, quarantine or reject)";
  if (r.rua.empty()) return {std::nullopt, what};
  r.p = dmarc_policy::none;
  r.sp.reset();
  r.p_assumed = true;
  r.warnings.push_back(what + "; p=none assumed because rua= is given");
  return {std::move(r), {}};
}

}  // namespace sim::auth
