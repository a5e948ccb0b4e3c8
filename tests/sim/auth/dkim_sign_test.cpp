// tests/sim/auth/dkim_sign_test.cpp - building the DKIM-Signature field (RFC 6376 §3.5, §5.4).
#include <catch2/catch.hpp>

#include "sim/auth/dkim_hash_input.hpp"
#include "sim/auth/dkim_sign.hpp"
#include "sim/auth/dkim_signature.hpp"
#include "sim/message/text.hpp"

using namespace sim::auth;

namespace {

const std::string message_text =
    "From: Alice <alice@sender.test>\r\nTo: bob@example.org\r\nCc: carol@example.org\r\nSubject: Hello\r\n"
    "Date: Mon, 05 Jan 2026 09:00:00 +0000\r\nMessage-ID: <1@sender.test>\r\n\r\nHi Bob.\r\n";

sign_request request() {
  signer_config config;
  config.domain = "Sender.Test";
  config.selector = "s1";
  return make_sign_request(config, 1767603600);
}

}  // namespace

TEST_CASE("every present field of the default set is signed, From once more") {
  const auto m = dkim_view(message_text);
  const auto p = prepare_signature(m, request(), std::string(32, 'x'));
  CHECK(p.signed_headers ==
        std::vector<std::string>{"from", "from", "to", "cc", "subject", "date", "message-id"});
}

TEST_CASE("the field is folded within 78 columns and parses back") {
  const auto m = dkim_view(message_text);
  auto r = request();
  r.expiration = 1767690000;
  r.body_length = 9;
  r.identity = "alice@sender.test";
  const auto p = prepare_signature(m, r, std::string(32, '\x01'));
  CHECK(p.value_prefix.substr(p.value_prefix.size() - 2) == "b=");
  const auto value = finish_signature(p, std::string(256, '\x7f'));
  const auto full = "DKIM-Signature:" + value;
  for (const auto line : sim::message::split_lines(full)) CHECK(line.size() <= signature_fold_column);
  auto parsed = parse_dkim_signature(value);
  REQUIRE(parsed.signature);
  CHECK(parsed.signature->domain == "sender.test");
  CHECK(parsed.signature->selector == "s1");
  CHECK(parsed.signature->canon == canonicalization_pair{canonicalization::relaxed, canonicalization::relaxed});
  CHECK(parsed.signature->timestamp == 1767603600);
  CHECK(parsed.signature->expiration == 1767690000);
  CHECK(parsed.signature->body_length == 9u);
  CHECK(parsed.signature->auid == "alice@sender.test");
  CHECK(parsed.signature->signature == std::string(256, '\x7f'));
  CHECK(parsed.signature->body_hash == std::string(32, '\x01'));
  CHECK(parsed.signature->signed_headers == p.signed_headers);
  // The signed bytes are those a verifier rebuilds from the finished field.
  CHECK(blank_b_value(value) == p.value_prefix);
}

TEST_CASE("the signing input: selected fields, then the new field with b= empty") {
  const auto m = dkim_view("From: a@sender.test\r\nSubject:  Hi \r\n\r\nx\r\n");
  auto r = request();
  r.headers = {"Subject", "From"};
  r.oversigned = {};
  r.canon = {canonicalization::relaxed, canonicalization::simple};
  const auto p = prepare_signature(m, r, "");
  CHECK(p.signing_input.rfind("subject:Hi\r\nfrom:a@sender.test\r\ndkim-signature:v=1; a=rsa-sha256; c=relaxed/simple;", 0) == 0);
  CHECK(p.signing_input.substr(p.signing_input.size() - 4) == "; b=");
}

TEST_CASE("signer configurations are checked") {
  signer_config c;
  c.domain = "sender.test";
  c.selector = "s1";
  CHECK(check_signer_config(c).empty());
  c.bits = 1000;
  CHECK(check_signer_config(c) == "bits: 1000 is not a multiple of 16 from 512 to 4096");
  c.bits = 2048;
  c.headers = {"To", "Subject"};
  CHECK(check_signer_config(c) == "headers: From must be signed (RFC 6376 section 5.4)");
  c.headers = {"From", "Bad Name"};
  CHECK(check_signer_config(c) == "headers: \"Bad Name\" is not a header field name");
  c.headers = default_signed_headers();
  c.selector = "a b";
  CHECK(check_signer_config(c) == "selector: \"a b\" is not a selector");
  c.selector = "s1";
  c.domain = "";
  CHECK(check_signer_config(c) == "domain: \"\" is not a domain name");
}
