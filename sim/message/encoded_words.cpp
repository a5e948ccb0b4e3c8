// sim/message/encoded_words.cpp - RFC 2047 encoding and decoding.
#include "sim/message/encoded_words.hpp"

#include <optional>
#include <vector>

#include "sim/message/mime.hpp"
#include "sim/message/text.hpp"

namespace sim::message {

namespace {

constexpr std::string_view word_prefix = "=?UTF-8?";
constexpr std::size_t word_overhead = 12;  // "=?UTF-8?B?" + "?="

bool needs_encoding(std::string_view word) {
  if (word.find("=?") != std::string_view::npos) return true;  // would read as an encoded-word
  for (char c : word) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) return true;
  }
  return false;
}

// Length of the UTF-8 character starting at text[i] (1 for stray bytes).
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t n = 1;
  if (lead >= 0xf0) n = 4; else if (lead >= 0xe0) n = 3; else if (lead >= 0xc0) n = 2;
  return std::min(n, text.size() - i);
}

// RFC 2047 section 5 (3): the safest Q set, valid in every header position.
bool q_literal(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '!' || c == '*' || c == '+' || c == '-' || c == '/';
}

std::string q_encode(std::string_view bytes) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (c == ' ') out += '_';
    else if (q_literal(c)) out += c;
    else { out += '='; out += hex[u >> 4]; out += hex[u & 15]; }
  }
  return out;
}

std::string encode_chunk(std::string_view bytes, word_encoding encoding) {
  if (encoding == word_encoding::b) return std::string(word_prefix) + "B?" + base64_encode(bytes, 0) + "?=";
  return std::string(word_prefix) + "Q?" + q_encode(bytes) + "?=";
}

std::size_t encoded_size(std::string_view bytes, word_encoding encoding) {
  if (encoding == word_encoding::b) return (bytes.size() + 2) / 3 * 4;
  return q_encode(bytes).size();
}

// Splits a run into encoded-words of at most max_encoded_word characters.
std::string encode_run(std::string_view run, word_encoding encoding) {
  std::string out;
  std::size_t start = 0;
  while (start < run.size()) {
    std::size_t end = start;
    while (end < run.size()) {
      const std::size_t next = end + utf8_length(run, end);
      if (encoded_size(run.substr(start, next - start), encoding) + word_overhead > max_encoded_word) break;
      end = next;
    }
    if (!out.empty()) out += ' ';
    out += encode_chunk(run.substr(start, end - start), encoding);
    start = end;
  }
  return out;
}

}  // namespace

std::string encode_words(std::string_view utf8_text, word_encoding encoding) {
  std::vector<std::string_view> words;
  for (std::size_t start = 0;;) {
    const auto space = utf8_text.find(' ', start);
    words.push_back(utf8_text.substr(start, space - start));
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  std::string out;
  for (std::size_t i = 0; i < words.size();) {
    if (i > 0) out += ' ';
    if (!needs_encoding(words[i])) {
      out += words[i++];
      continue;
    }
    // The run goes on across spaces while a later word needs encoding too;
    // it takes in the empty words of doubled spaces on the way, since white
    // space between two encoded-words is dropped (RFC 2047 section 6.2).
    const char* begin = words[i].data();
    std::size_t j = i;
    for (std::size_t k = i + 1; k < words.size() && (words[k].empty() || needs_encoding(words[k])); ++k) {
      if (!words[k].empty()) j = k;
    }
    const char* end = words[j].data() + words[j].size();
    out += encode_run(std::string_view(begin, static_cast<std::size_t>(end - begin)), encoding);
    i = j + 1;
  }
  return out;
}

namespace {

std::optional<std::string> q_decode_word(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '_') { out += ' '; continue; }
    if (text[i] != '=') { out += text[i]; continue; }
    if (i + 2 >= text.size()) return std::nullopt;
    const auto byte = decode_hex_pair(text.substr(i + 1, 2));
    if (!byte) return std::nullopt;
    out += static_cast<char>(*byte);
    i += 2;
  }
  return out;
}

std::string latin1_to_utf8(std::string_view bytes) {
  std::string out;
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80) { out += c; continue; }
    out += static_cast<char>(0xc0 | (u >> 6));
    out += static_cast<char>(0x80 | (u & 0x3f));
  }
  return out;
}

// "=?charset?e?text?=" at the start of `text`: decoded bytes and its length.
std::optional<std::pair<std::string, std::size_t>> decode_one(std::string_view text) {
  if (!text.starts_with("=?")) return std::nullopt;
  const auto q1 = text.find('?', 2);
  if (q1 == std::string_view::npos || q1 + 2 >= text.size() || text[q1 + 2] != '?') return std::nullopt;
  const auto end = text.find("?=", q1 + 3);
  if (end == std::string_view::npos) return std::nullopt;
  auto charset = to_lower(text.substr(2, q1 - 2));
  charset = charset.substr(0, charset.find('*'));  // RFC 2231 section 5 language tag
  const char e = text[q1 + 1];
  const auto payload = text.substr(q1 + 3, end - q1 - 3);
  if (payload.find(' ') != std::string_view::npos) return std::nullopt;
  std::optional<std::string> bytes;
  if (e == 'B' || e == 'b') bytes = base64_decode(payload);
  else if (e == 'Q' || e == 'q') bytes = q_decode_word(payload);
  if (!bytes) return std::nullopt;
  if (charset == "iso-8859-1" || charset == "latin1") *bytes = latin1_to_utf8(*bytes);
  return std::pair{std::move(*bytes), end + 2};
}

}  // namespace

std::string decode_words(std::string_view header_text) {
  std::string out;
  std::string pending_space;  // white space after an encoded-word, kept if no word follows
  bool after_word = false;
  std::size_t i = 0;
  while (i < header_text.size()) {
    if (auto word = decode_one(header_text.substr(i))) {
      out += word->first;
      i += word->second;
      after_word = true;
      pending_space.clear();
      continue;
    }
    const char c = header_text[i];
    if (after_word && (c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
      pending_space += c;
      ++i;
      continue;
    }
    out += pending_space;
    pending_space.clear();
    after_word = false;
    out += c;
    ++i;
  }
  out += pending_space;
  return out;
}

}  // namespace sim::message
