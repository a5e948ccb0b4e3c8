// sim/auth/dkim_result.cpp - names of DKIM results, algorithms and canonicalizations.
#include "sim/auth/dkim_result.hpp"

#include "sim/message/text.hpp"

namespace sim::auth {

std::string_view algorithm_name(dkim_algorithm algorithm) {
  return algorithm == dkim_algorithm::rsa_sha256 ? "rsa-sha256" : "ed25519-sha256";
}

std::optional<dkim_algorithm> parse_algorithm(std::string_view text) {
  // §3.5: the ABNF names lower case; upper case is taken as well, as
  // common verifiers do.
  const auto lower = message::to_lower(text);
  if (lower == "rsa-sha256") return dkim_algorithm::rsa_sha256;
  if (lower == "ed25519-sha256") return dkim_algorithm::ed25519_sha256;
  return std::nullopt;
}

std::string_view key_type_name(dkim_algorithm algorithm) {
  return algorithm == dkim_algorithm::rsa_sha256 ? "rsa" : "ed25519";
}

std::string_view canonicalization_name(canonicalization c) {
  return c == canonicalization::simple ? "simple" : "relaxed";
}

std::string canonicalization_text(canonicalization_pair pair) {
  return std::string(canonicalization_name(pair.header)) + "/" + std::string(canonicalization_name(pair.body));
}

namespace {

std::optional<canonicalization> parse_one(std::string_view text) {
  if (text == "simple") return canonicalization::simple;
  if (text == "relaxed") return canonicalization::relaxed;
  return std::nullopt;
}

}  // namespace

std::optional<canonicalization_pair> parse_canonicalization(std::string_view text) {
  const auto slash = text.find('/');
  const auto header = parse_one(text.substr(0, slash));
  if (!header) return std::nullopt;
  if (slash == std::string_view::npos) return canonicalization_pair{*header, canonicalization::simple};
  const auto body = parse_one(text.substr(slash + 1));
  if (!body) return std::nullopt;
  return canonicalization_pair{*header, *body};
}

}  // namespace sim::auth
