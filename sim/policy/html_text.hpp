// sim/policy/html_text.hpp - what a reader sees of an HTML part: its text
// and its links.  One linear pass, no DOM; sans-I/O.
//
// Tags are removed; <br>, <p>, <div>, <li>, <tr>, <h1>..<h6> and the other
// block tags end a line; <td> and <th> add a space; the content of
// <script>, <style>, <title> and comments is dropped; runs of white space
// become one space (as a browser shows them); the character references
// &amp; &lt; &gt; &quot; &apos; &nbsp; and &#N; / &#xH; are decoded, others
// kept as written.  A '<' that starts no tag is text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sim::policy {

// At most this many links are kept from one document.
inline constexpr std::size_t html_max_links = 256;

struct html_link {
  std::string href;  // the href of <a> or <area>, references decoded
  std::string text;  // the visible text inside <a>...</a>
};

struct html_content {
  std::string text;  // visible text, lines ending in "\n"
  std::vector<html_link> links;
};

html_content html_to_text(std::string_view html);

}  // namespace sim::policy
