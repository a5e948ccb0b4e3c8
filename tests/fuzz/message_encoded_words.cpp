// message_encoded_words: sim/message's RFC 2047 encoded-words.
//
// Input: one byte choosing B or Q, then header text.
//
// Invariants: decode_words(encode_words(x)) is x, for any bytes; every
// encoded-word written is at most 75 characters and the output is printable
// ASCII (safe in a header field); text that needs no encoding is left as it
// is; decode_words() of any text never crashes and leaves text without
// "=?" unchanged.
#include <string>

#include "sim/message/encoded_words.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace sim::message;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::input in(data, size);
  word_encoding encoding = (in.byte() & 1) ? word_encoding::q : word_encoding::b;
  std::string_view text = in.rest();

  std::string encoded = encode_words(text, encoding);
  fuzz::check(decode_words(encoded) == text, "decoding gives back what was encoded", encoded);
  bool plain = text.find("=?") == std::string_view::npos;
  for (char c : text) plain = plain && c >= 0x20 && c <= 0x7e;
  if (plain) fuzz::check(encoded == text, "printable text needs no encoding", encoded);
  for (char c : encoded) fuzz::check(c >= 0x20 && c <= 0x7e, "the output is printable ASCII", encoded);
  for (std::size_t at = 0; (at = encoded.find("=?UTF-8?", at)) != std::string::npos;) {
    std::size_t end = encoded.find("?=", at + 10);
    fuzz::check(end != std::string::npos && end + 2 - at <= max_encoded_word, "encoded-words of at most 75 characters",
                encoded);
    at = end + 2;
  }
  std::string decoded = decode_words(text);
  if (text.find("=?") == std::string_view::npos) fuzz::check(decoded == text, "text without =? decodes to itself");
  return 0;
}
