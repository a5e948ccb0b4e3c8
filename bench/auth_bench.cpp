// bench_auth - what DKIM costs: signing and verifying, and deriving keys from a seed.
//
// Per operation, in microseconds (real time; nothing here feeds a simulation):
//   RSA-2048 and Ed25519: sign a SHA-256 digest, verify it; sign and
//   verify a whole 2 KB message (canonicalization and hashing included);
//   deriving an RSA-2048 key from a seed (a new seed each time, so the
//   process cache does not help) and an Ed25519 key.
//   bench_auth [rounds] [keygen-rounds]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench_util.hpp"
#include "sim/auth/dkim_signer.hpp"
#include "sim/auth/dkim_verifier.hpp"
#include "sim/auth/keygen.hpp"

using namespace sim::auth;

namespace {

std::string sample_message() {
  std::string m =
      "From: Alice <alice@sender.test>\r\nTo: bob@example.org\r\nSubject: A benchmark\r\n"
      "Date: Mon, 05 Jan 2026 09:00:00 +0000\r\nMessage-ID: <bench@sender.test>\r\n\r\n";
  while (m.size() < 2048) m += "A line of text in the body of the message, sixty-odd bytes.\r\n";
  return m;
}

void per_operation(const char* what, int rounds, double seconds) {
  std::printf("%-44s %8d in %7.3f s = %9.1f us each\n", what, rounds, seconds, seconds * 1e6 / rounds);
}

void bench_algorithm(const char* name, const private_key& key, int rounds) {
  const auto digest = sha256("benchmark");
  std::string signature;
  per_operation((std::string(name) + " sign digest").c_str(), rounds,
                bench::seconds_for([&] {
                  for (int i = 0; i < rounds; ++i) signature = key.sign_digest(digest);
                }));
  const auto data = key.public_key_data();
  int valid = 0;
  per_operation((std::string(name) + " verify digest").c_str(), rounds, bench::seconds_for([&] {
                  for (int i = 0; i < rounds; ++i)
                    valid += verify_digest(key.algorithm(), data, digest, signature).outcome == signature_check::status::valid;
                }));
  signer_config config;
  config.domain = "sender.test";
  config.selector = "s1";
  config.algorithm = key.algorithm();
  const auto request = make_sign_request(config, 1767603600);
  const auto message = sample_message();
  std::string signed_message;
  per_operation((std::string(name) + " sign 2 KB message").c_str(), rounds, bench::seconds_for([&] {
                  for (int i = 0; i < rounds; ++i) signed_message = add_signature(message, sign_message(message, request, key));
                }));
  const auto record = key.dns_record();
  auto lookup = [&](const std::string&) { return key_lookup{key_lookup::outcome::found, {record}, ""}; };
  per_operation((std::string(name) + " verify 2 KB message").c_str(), rounds, bench::seconds_for([&] {
                  for (int i = 0; i < rounds; ++i)
                    valid += verify_message(signed_message, 1767603600, lookup)[0].result == dkim_result::pass;
                }));
  if (valid != 2 * rounds) std::printf("  (%d of %d verifications failed)\n", 2 * rounds - valid, 2 * rounds);
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int keygen_rounds = argc > 2 ? std::atoi(argv[2]) : 20;
  bench_algorithm("RSA-2048", derive_key("bench", dkim_algorithm::rsa_sha256, 2048), rounds);
  bench_algorithm("Ed25519", derive_key("bench", dkim_algorithm::ed25519_sha256), rounds);
  per_operation("RSA-2048 key from a seed", keygen_rounds, bench::seconds_for([&] {
                  for (int i = 0; i < keygen_rounds; ++i)
                    derive_key("keygen " + std::to_string(i), dkim_algorithm::rsa_sha256, 2048);
                }));
  per_operation("RSA-2048 key from a seed, cached", rounds, bench::seconds_for([&] {
                  for (int i = 0; i < rounds; ++i) derive_key("keygen 0", dkim_algorithm::rsa_sha256, 2048);
                }));
  per_operation("Ed25519 key from a seed", rounds, bench::seconds_for([&] {
                  for (int i = 0; i < rounds; ++i)
                    derive_key("keygen " + std::to_string(i), dkim_algorithm::ed25519_sha256);
                }));
  return 0;
}
