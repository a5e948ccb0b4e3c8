// sim/scenario/loader_auth.cpp - mail authentication settings of a host: the `dkim` signers,
// the `policy` keys `dkim`, `dmarc` and `dmarc_reject_text`, and `rewrite`.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "sim/auth/keygen.hpp"
#include "sim/message/text.hpp"
#include "sim/scenario/loader_parts.hpp"

namespace sim::scenario::detail {
namespace {

auth::dkim_algorithm read_algorithm(const node& n) {
  auto text = n.as_string();
  if (auto a = auth::parse_algorithm(text)) return *a;
  n.fail(fmt::format("{} is not a DKIM signing algorithm (\"rsa-sha256\" or \"ed25519-sha256\")", quote(text)));
}

auth::canonicalization_pair read_canonicalization(const node& n) {
  auto text = n.as_string();
  // RFC 6376 section 3.5 c=: "header/body"; one name is the header's, with simple for the body.
  if (auto c = auth::parse_canonicalization(text)) return *c;
  n.fail(fmt::format("{} is not a canonicalization (\"relaxed/relaxed\", \"simple/simple\", \"relaxed/simple\" or "
                     "\"simple/relaxed\")",
                     quote(text)));
}

// The PEM file of `private_key`, relative to the scenario file; the key in
// it must be readable and of the signer's algorithm.
std::string read_private_key(const node& n, const std::filesystem::path& base_dir, std::string& path_out) {
  std::string written = n.as_string();
  if (written.empty()) n.fail("expected a file name, got \"\"");
  auto path = (base_dir / written).lexically_normal();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) n.fail(fmt::format("{}: no such file ({})", quote(written), path.string()));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) n.fail(fmt::format("{}: cannot be read ({})", quote(written), path.string()));
  path_out = path.string();
  return text.str();
}

const std::vector<std::string_view> signer_keys{"domain",  "selector",         "algorithm",
                                                "bits",    "headers",          "canonicalization",
                                                "private_key"};

auth::signer_config read_signer(const node& n, const std::filesystem::path& base_dir, std::string& key_file) {
  auto r = n.as_object(signer_keys);
  auth::signer_config c;
  c.domain = r.at("domain").as_domain();
  c.selector = message::to_lower(r.at("selector").as_string());
  if (auto v = r.find("algorithm")) c.algorithm = read_algorithm(*v);
  if (auto v = r.find("bits")) {
    if (c.algorithm != auth::dkim_algorithm::rsa_sha256) v->fail("bits applies to rsa-sha256 only");
    c.bits = static_cast<int>(v->as_uint(auth::min_generated_rsa_bits, auth::max_generated_rsa_bits));
  }
  if (auto v = r.find("headers")) {
    c.headers = v->as_string_array();
    if (c.headers.empty()) v->fail("expected at least the From field");
  }
  if (auto v = r.find("canonicalization")) c.canonicalization = read_canonicalization(*v);
  if (auto v = r.find("private_key")) c.private_key_pem = read_private_key(*v, base_dir, key_file);
  if (auto problem = auth::check_signer_config(c); !problem.empty()) {
    // "field: what is wrong": point at that field when the scenario wrote it.
    auto colon = problem.find(':');
    std::string key = colon == std::string::npos ? "" : problem.substr(0, colon);
    if (auto v = r.find(key)) v->fail(problem.substr(colon + 2));
    n.fail(problem);
  }
  if (c.private_key_pem) {
    std::string error;
    auto key = auth::signer_key(c, 0, error);
    if (!key) r.at("private_key").fail(error);
  }
  return c;
}

}  // namespace

void read_dkim_signers(const node& n, const std::filesystem::path& base_dir, host& h) {
  auto items = n.as_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string key_file;
    auto c = read_signer(items[i], base_dir, key_file);
    for (const auto& other : h.dkim)
      if (other.domain == c.domain && other.selector == c.selector)
        items[i].fail(fmt::format("selector {} of {} is listed twice", quote(c.selector), c.domain));
    h.dkim.push_back(std::move(c));
    h.dkim_key_files.push_back(std::move(key_file));
  }
}

dkim_mode read_dkim_mode(const node& n) {
  return read_choice<dkim_mode>(n, "a DKIM mode", {{"off", dkim_mode::off}, {"verify", dkim_mode::verify}});
}

dmarc_mode read_dmarc_mode(const node& n) {
  return read_choice<dmarc_mode>(n, "a DMARC mode",
                                 {{"off", dmarc_mode::off}, {"report", dmarc_mode::report}, {"enforce", dmarc_mode::enforce}});
}

std::string read_reject_text(const node& n) {
  auto text = n.as_string();
  if (text.empty()) n.fail("expected a reply text, got \"\"");
  // RFC 5321 section 4.5.3.1.5: a reply line is at most 512 octets.
  if (text.size() > 400) n.fail("at most 400 characters (an SMTP reply line is at most 512 octets)");
  for (char c : text)
    if (c == '\r' || c == '\n' || static_cast<unsigned char>(c) < 0x20)
      n.fail("a reply text is one line without control characters");
  return text;
}

relay_rewrite read_rewrite(const node& n) {
  auto r = n.as_object({"subject_prefix", "footer"});
  relay_rewrite w;
  if (auto v = r.find("subject_prefix")) w.subject_prefix = v->as_string();
  if (auto v = r.find("footer")) w.footer = v->as_string();
  for (char c : w.subject_prefix)
    if (c == '\r' || c == '\n') r.at("subject_prefix").fail("a subject prefix is one line");
  return w;
}

}  // namespace sim::scenario::detail
