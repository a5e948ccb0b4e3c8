// sim/policy/links.hpp - link targets and the domains text shows: URL hosts,
// domain names spotted in words, URL shorteners.  Sans-I/O.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::policy {

// Link shorteners whose links hide the real destination (URL_SHORTENER).
// A host matches when it is one of these or a subdomain of one.
inline constexpr std::array<std::string_view, 20> url_shortener_domains = {
    "bit.ly", "bl.ink", "buff.ly", "cutt.ly", "goo.gl", "is.gd", "lnkd.in", "ow.ly", "rb.gy", "rebrand.ly",
    "s.id", "short.link", "shorturl.at", "t.co", "t.ly", "tiny.cc", "tinyurl.com", "trib.al", "v.gd", "x.co"};

// The lower-case host of an http, https or ftp URL (RFC 3986 section 3.2.2):
// user information before '@' and the port are dropped, a backslash ends
// the host as browsers treat it.  nullopt for other schemes and relative links.
std::optional<std::string> url_host(std::string_view url);

// The http:// and https:// URLs written in plain text, at most `max`.
std::vector<std::string> urls_in_text(std::string_view text, std::size_t max);

// Domain names a reader sees in `text`: words of two or more labels
// ([A-Za-z0-9-], separated by dots) whose last label is a known top-level
// domain (a two-letter country code, a common generic one such as com,
// net, org, info, or one reserved for examples by RFC 2606: test, example,
// invalid, localhost).  "www.paypal.com", "support@paypal.com" and
// "https://paypal.com/login" all show paypal.com; "index.html" and "v1.2"
// show none.  Lower case, in order, without repeats.
std::vector<std::string> domains_in_text(std::string_view text);

// True when the names are equal or one is a subdomain of the other.
bool same_site(std::string_view a, std::string_view b);

bool is_url_shortener(std::string_view host);

}  // namespace sim::policy
