// sim/auth/dkim_sign.cpp - building a DKIM-Signature field (RFC 6376 §3.5, §5.4).
#include "sim/auth/dkim_sign.hpp"

#include <fmt/format.h>

#include "sim/auth/dkim_hash_input.hpp"
#include "sim/auth/dkim_signature.hpp"
#include "sim/auth/domain_name.hpp"
#include "sim/message/mime.hpp"
#include "sim/message/text.hpp"

namespace sim::auth {

namespace {

// Lays tags out on lines of at most signature_fold_column characters; a
// break is CRLF SP, which is FWS wherever a tag-list allows it (§3.2).
class folder {
 public:
  explicit folder(std::size_t column) : column_(column) {}
  folder(std::string text, std::size_t column) : out_(std::move(text)), column_(column) {}

  // `space`: one SP before the text unless the line breaks there.
  void add(std::string_view text, bool space) {
    const std::size_t width = (space ? 1 : 0) + text.size();
    if (column_ + width > signature_fold_column && column_ > 1) {
      out_ += "\r\n ";
      column_ = 1;
    } else if (space) {
      out_ += ' ';
      ++column_;
    }
    out_ += text;
    column_ += text.size();
  }
  // Text that may break anywhere (base64, §3.5 b=).
  void add_breakable(std::string_view text) {
    while (!text.empty()) {
      if (column_ >= signature_fold_column) {
        out_ += "\r\n ";
        column_ = 1;
      }
      const auto take = std::min(text.size(), signature_fold_column - column_);
      out_ += text.substr(0, take);
      column_ += take;
      text.remove_prefix(take);
    }
  }
  const std::string& text() const { return out_; }
  std::size_t column() const { return column_; }

 private:
  std::string out_;
  std::size_t column_;
};

std::vector<std::string> names_to_sign(const message::message& m, const sign_request& request) {
  std::vector<std::string> names;
  for (const auto& wanted : request.headers) {
    const std::string lower = message::to_lower(wanted);
    std::size_t present = 0;
    for (const auto& f : m.fields()) present += message::iequals(message::trim(f.name), wanted) ? 1 : 0;
    bool oversign = false;
    for (const auto& o : request.oversigned) oversign = oversign || message::iequals(o, wanted);
    for (std::size_t i = 0; i < present + (oversign ? 1 : 0); ++i) names.push_back(lower);
  }
  return names;
}

void add_header_list(folder& f, const std::vector<std::string>& names) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    const bool first = i == 0;
    const bool last = i + 1 == names.size();
    f.add((first ? "h=" : "") + names[i] + (last ? ";" : ":"), first);
  }
}

}  // namespace

sign_request make_sign_request(const signer_config& config, std::int64_t now) {
  sign_request r;
  r.domain = normalize_domain(config.domain);
  r.selector = normalize_domain(config.selector);
  r.algorithm = config.algorithm;
  r.canon = config.canonicalization;
  r.headers = config.headers;
  r.oversigned = config.oversigned;
  r.timestamp = now;
  return r;
}

prepared_signature prepare_signature(const message::message& m, const sign_request& request,
                                     std::string_view body_hash) {
  prepared_signature p;
  p.signed_headers = names_to_sign(m, request);
  folder f(dkim_signature_field.size() + 1);
  f.add("v=1;", true);
  f.add(fmt::format("a={};", algorithm_name(request.algorithm)), true);
  f.add(fmt::format("c={};", canonicalization_text(request.canon)), true);
  f.add(fmt::format("d={};", request.domain), true);
  f.add(fmt::format("s={};", request.selector), true);
  if (!request.identity.empty()) f.add(fmt::format("i={};", request.identity), true);
  f.add(fmt::format("t={};", request.timestamp), true);
  if (request.expiration) f.add(fmt::format("x={};", *request.expiration), true);
  if (request.body_length) f.add(fmt::format("l={};", *request.body_length), true);
  add_header_list(f, p.signed_headers);
  f.add(fmt::format("bh={};", message::base64_encode(body_hash, 0)), true);
  f.add("b=", true);
  p.value_prefix = f.text();
  p.column = f.column();
  const auto selected = select_headers(m.fields(), p.signed_headers);
  p.signing_input = header_hash_input(selected, request.canon.header, dkim_signature_field, p.value_prefix);
  return p;
}

std::string finish_signature(const prepared_signature& prepared, std::string_view signature) {
  folder f(prepared.value_prefix, prepared.column);
  f.add_breakable(message::base64_encode(signature, 0));
  return f.text();
}

}  // namespace sim::auth
