// sim/message/compose.cpp - build the MUA's RFC 5322 / MIME message.
#include "sim/message/compose.hpp"

#include <set>

#include <fmt/format.h>

#include "sim/message/eicar.hpp"
#include "sim/message/encoded_words.hpp"
#include "sim/message/message.hpp"
#include "sim/message/mime.hpp"
#include "sim/message/text.hpp"

namespace sim::message {

namespace {

std::string_view domain_of(std::string_view address) {
  const auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view("localhost") : address.substr(at + 1);
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// Breaks after the last space that keeps the line within the limit, else at
// the last UTF-8 character boundary before it.
void append_wrapped(std::string& out, std::string_view line) {
  while (line.size() > max_line_octets) {
    std::size_t cut = line.rfind(' ', max_line_octets - 1);
    if (cut == std::string_view::npos) {
      cut = max_line_octets;
      while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xc0) == 0x80) --cut;
    } else {
      ++cut;
    }
    out += line.substr(0, cut);
    out += "\r\n";
    line.remove_prefix(cut);
  }
  out += line;
  out += "\r\n";
}

std::string normalize_body(std::string_view body) {
  const std::string crlf = to_crlf(body);
  std::string out;
  for (const std::string_view line : split_lines(crlf)) append_wrapped(out, line);
  return out;
}

// Readable filler of exactly `octets` octets (0 or at least 2), CRLF
// lines, appended to `out` (no copy of its own: a large `size` is built once):
// "mailsim filler line 000001: the quick brown fox jumps over the lazy dog."
void append_filler(std::string& out, std::size_t octets) {
  static constexpr std::string_view head = "mailsim filler line ";
  static constexpr std::string_view tail = ": the quick brown fox jumps over the lazy dog.";
  std::string line;
  for (std::size_t n = 1; octets >= 2; ++n) {
    std::string number = std::to_string(n);
    line.assign(head);
    if (number.size() < 6) line.append(6 - number.size(), '0');
    line.append(number).append(tail);
    line.resize(std::min(line.size(), octets - 2));
    out += line;
    out += "\r\n";
    octets -= line.size() + 2;
  }
}

std::string transfer_encoding(std::string_view text) { return is_ascii(text) ? "7bit" : "8bit"; }

std::string multipart_body(std::string_view text, std::string_view boundary) {
  std::string out = "This is a multi-part message in MIME format.\r\n\r\n";
  out += fmt::format("--{}\r\nContent-Type: text/plain; charset=utf-8\r\n", boundary);
  out += fmt::format("Content-Transfer-Encoding: {}\r\n\r\n{}", transfer_encoding(text), text);
  out += fmt::format("\r\n--{}\r\nContent-Type: application/octet-stream; name=\"eicar.com\"\r\n", boundary);
  out += "Content-Disposition: attachment; filename=\"eicar.com\"\r\n";
  out += "Content-Transfer-Encoding: base64\r\n\r\n";
  out += base64_encode(eicar_test_string) + "\r\n";
  out += fmt::format("--{}--\r\n", boundary);
  return out;
}

// The fields in composition order.  A field the request's `headers` names
// (in any case) replaces the composed field of that name where it stands,
// so a scenario can forge From or send text/html; the other extra fields
// follow Message-ID.
class composed_fields {
 public:
  explicit composed_fields(const compose_request& r) : extra_(r.headers), used_(r.headers.size(), false) {}

  void composed(message& m, std::string_view name, std::string value) {
    for (std::size_t i = 0; i < extra_.size(); ++i)
      if (!used_[i] && iequals(extra_[i].first, name)) {
        used_[i] = true;
        return m.append(extra_[i].first, encode_words(extra_[i].second));
      }
    m.append(std::string(name), std::move(value));
  }
  void remaining(message& m) {
    for (std::size_t i = 0; i < extra_.size(); ++i)
      if (!used_[i] && !names_composed_later(extra_[i].first)) {
        used_[i] = true;
        m.append(extra_[i].first, encode_words(extra_[i].second));
      }
  }

 private:
  static bool names_composed_later(std::string_view name) {
    for (std::string_view later : {"MIME-Version", "Content-Type", "Content-Transfer-Encoding"})
      if (iequals(name, later)) return true;
    return false;
  }
  const std::vector<std::pair<std::string, std::string>>& extra_;
  std::vector<bool> used_;
};

std::string assemble(const compose_request& request, const std::string& message_id, std::string_view text) {
  message m;
  composed_fields fields(request);
  fields.composed(m, "Date", format_rfc5322_date(request.date));
  fields.composed(m, "From", request.from);
  if (!request.to.empty()) fields.composed(m, "To", join(request.to));
  if (!request.cc.empty()) fields.composed(m, "Cc", join(request.cc));
  if (!request.subject.empty()) fields.composed(m, "Subject", encode_words(request.subject));
  fields.composed(m, "Message-ID", message_id);
  fields.remaining(m);
  fields.composed(m, "MIME-Version", "1.0");
  if (request.eicar) {
    const std::string boundary = make_boundary(message_id, text);
    fields.composed(m, "Content-Type", fmt::format("multipart/mixed; boundary=\"{}\"", boundary));
    fields.composed(m, "Content-Transfer-Encoding", transfer_encoding(text));
    m.set_body(multipart_body(text, boundary));
  } else {
    fields.composed(m, "Content-Type", "text/plain; charset=utf-8");
    fields.composed(m, "Content-Transfer-Encoding", transfer_encoding(text));
    m.set_body(std::string(text));
  }
  return m.serialize();
}

}  // namespace

std::string make_message_id(std::uint64_t sequence, std::string_view scenario, std::string_view sender) {
  return fmt::format("<{}.{}@{}>", sequence, scenario, domain_of(sender));
}

std::string compose(const compose_request& request) {
  const std::string message_id =
      !request.message_id.empty()
          ? request.message_id
          : fmt::format("<{}.mailsim@{}>", request.date.time_since_epoch().count(), domain_of(request.from));
  std::string text = normalize_body(request.body);
  std::string raw = assemble(request, message_id, text);
  if (!request.size || *request.size < raw.size() + 2) return raw;
  std::size_t missing = *request.size - raw.size();
  if (!request.eicar) {
    // The text is the end of the message: the filler goes straight after it.
    raw.reserve(*request.size);
    append_filler(raw, missing);
    return raw;
  }
  // In a multipart message the text sits inside: build it again around
  // the padded text.
  append_filler(text, missing);
  return assemble(request, message_id, text);
}

std::vector<std::string> envelope_recipients(const compose_request& request) {
  std::vector<std::string> out;
  std::set<std::string_view> seen;  // views of the request's strings, which outlive it
  for (const auto* list : {&request.to, &request.cc, &request.bcc})
    for (const auto& address : *list)
      if (seen.insert(address).second) out.push_back(address);
  return out;
}

}  // namespace sim::message
