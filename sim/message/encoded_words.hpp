// sim/message/encoded_words.hpp - RFC 2047 encoded-words for non-ASCII header text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sim::message {

// RFC 2047 section 2: an encoded-word is at most 75 characters.
inline constexpr std::size_t max_encoded_word = 75;

enum class word_encoding { b, q };  // RFC 2047 sections 4.1 and 4.2

// Unstructured header text (UTF-8) ready for a header field: printable ASCII
// stays as it is; each run of words that needs encoding becomes one or more
// "=?UTF-8?B?...?=" words separated by spaces, split only between UTF-8
// characters.  Adjacent encoded-words absorb the spaces between them
// (section 6.2), so runs are encoded with their inner spaces.
std::string encode_words(std::string_view utf8_text, word_encoding encoding = word_encoding::b);

// Decodes every encoded-word (B or Q; UTF-8, US-ASCII and ISO-8859-1 become
// UTF-8, other charsets are passed through as bytes); white space between
// adjacent encoded-words is dropped; malformed words are kept as written.
std::string decode_words(std::string_view header_text);

}  // namespace sim::message
