// sim/auth/signer_config.cpp - default signed fields and configuration checks.
#include "sim/auth/signer_config.hpp"

#include <fmt/format.h>

#include "sim/auth/domain_name.hpp"
#include "sim/message/text.hpp"

namespace sim::auth {

std::vector<std::string> default_signed_headers() {
  return {"From", "Reply-To", "Sender", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
          "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "List-Id", "List-Unsubscribe"};
}

namespace {

bool is_field_name(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126 || c == ':') return false;  // RFC 5322 §3.6.8 ftext
  }
  return true;
}

}  // namespace

std::string check_signer_config(const signer_config& config) {
  if (!is_domain_name(config.domain)) return fmt::format("domain: \"{}\" is not a domain name", config.domain);
  if (!is_domain_name(config.selector)) return fmt::format("selector: \"{}\" is not a selector", config.selector);
  if (config.algorithm == dkim_algorithm::rsa_sha256 && !config.private_key_pem &&
      (config.bits < min_generated_rsa_bits || config.bits > max_generated_rsa_bits || config.bits % 16 != 0))
    return fmt::format("bits: {} is not a multiple of 16 from {} to {}", config.bits, min_generated_rsa_bits,
                       max_generated_rsa_bits);
  bool from = false;
  for (const auto& name : config.headers) {
    if (!is_field_name(name)) return fmt::format("headers: \"{}\" is not a header field name", name);
    from = from || message::iequals(name, "From");
  }
  // RFC 6376 §5.4: the From field MUST be signed.
  if (!from) return "headers: From must be signed (RFC 6376 section 5.4)";
  for (const auto& name : config.oversigned)
    if (!is_field_name(name)) return fmt::format("oversigned: \"{}\" is not a header field name", name);
  return {};
}

}  // namespace sim::auth
