// tests/sim/auth/dkim_tool.cpp - sign and verify files with sim/auth, for the dkimpy interop test.
//
//   dkim_tool key ALGORITHM MATERIAL BITS OUT      writes OUT.pem (PKCS#8), OUT.txt (the key record),
//                                                  OUT.seed (Ed25519 only: the 32 bytes in base64)
//   dkim_tool sign PEM CANON DOMAIN SELECTOR TIME IN OUT
//   dkim_tool verify TIME IN NAME=RECORD_FILE...   one line per signature, "result reason";
//                                                  exit 0 when every signature passes
// ALGORITHM is rsa-sha256 or ed25519-sha256, CANON "relaxed/simple" and so on,
// TIME seconds since the epoch (the caller's clock: sim/auth reads none).
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "sim/auth/dkim_signer.hpp"
#include "sim/auth/dkim_verifier.hpp"
#include "sim/auth/keygen.hpp"
#include "sim/message/mime.hpp"

using namespace sim::auth;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

int make_key(char** argv) {
  const auto algorithm = parse_algorithm(argv[2]);
  if (!algorithm) return 2;
  const auto key = derive_key(argv[3], *algorithm, std::stoi(argv[4]));
  const std::string out = argv[5];
  write_file(out + ".pem", key.to_pem());
  write_file(out + ".txt", key.dns_record());
  if (*algorithm == dkim_algorithm::ed25519_sha256)
    write_file(out + ".seed", sim::message::base64_encode(key.ed25519_seed(), 0));
  return 0;
}

int sign(char** argv) {
  std::string error;
  const auto key = private_key::from_pem(read_file(argv[2]), error);
  const auto canon = parse_canonicalization(argv[3]);
  if (!key || !canon) {
    std::fprintf(stderr, "dkim_tool: %s\n", key ? "bad canonicalization" : error.c_str());
    return 2;
  }
  signer_config config;
  config.domain = argv[4];
  config.selector = argv[5];
  config.algorithm = key->algorithm();
  config.canonicalization = *canon;
  const auto message = read_file(argv[7]);
  const auto request = make_sign_request(config, std::stoll(argv[6]));
  write_file(argv[8], add_signature(message, sign_message(message, request, *key)));
  return 0;
}

int verify(int argc, char** argv) {
  std::map<std::string, std::string> records;
  for (int i = 4; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto equals = arg.find('=');
    records[arg.substr(0, equals)] = read_file(arg.substr(equals + 1));
  }
  auto lookup = [&](const std::string& name) {
    auto found = records.find(name);
    if (found == records.end()) return key_lookup{key_lookup::outcome::absent, {}, "NXDOMAIN"};
    return key_lookup{key_lookup::outcome::found, {found->second}, ""};
  };
  const auto results = verify_message(read_file(argv[3]), std::stoll(argv[2]), lookup);
  bool all_pass = !results.empty();
  for (const auto& r : results) {
    std::printf("%s %s\n", std::string(dkim_result_name(r.result)).c_str(), r.reason.c_str());
    all_pass = all_pass && r.result == dkim_result::pass;
  }
  return all_pass ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "key" && argc == 6) return make_key(argv);
  if (command == "sign" && argc == 9) return sign(argv);
  if (command == "verify" && argc >= 4) return verify(argc, argv);
  std::fprintf(stderr, "usage: dkim_tool key|sign|verify ... (see the source)\n");
  return 2;
}
