// sim/http/negotiate.cpp - Accept (RFC 9110 section 12.5.1).
#include "sim/http/negotiate.hpp"

#include <string>
#include <vector>

#include "sim/message/text.hpp"

namespace sim::http {

namespace {

struct media_range {
  std::string type, subtype;  // lower case; "*" for a wildcard
  double q = 1.0;
};

// "type/subtype" of a media type or range, lower case, without parameters.
std::pair<std::string, std::string> type_of(std::string_view text) {
  auto bare = message::trim(text.substr(0, text.find(';')));
  auto slash = bare.find('/');
  if (slash == std::string_view::npos) return {message::to_lower(bare), ""};
  return {message::to_lower(message::trim(bare.substr(0, slash))), message::to_lower(message::trim(bare.substr(slash + 1)))};
}

// RFC 9110 section 12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ).
double q_of(std::string_view params) {
  std::size_t at = 0;
  while ((at = params.find(';', at)) != std::string_view::npos) {
    ++at;
    auto end = params.find(';', at);
    auto param = message::trim(params.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at));
    if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
      double q = 0;
      double scale = 1;
      bool fraction = false;
      for (char c : param.substr(2)) {
        if (c == '.' && !fraction) fraction = true;
        else if (c >= '0' && c <= '9') {
          if (fraction) {
            scale /= 10;
            q += (c - '0') * scale;
          } else {
            q = q * 10 + (c - '0');
          }
        } else {
          return 1.0;  // malformed: ignore the weight
        }
      }
      return q > 1.0 ? 1.0 : q;
    }
  }
  return 1.0;
}

std::vector<media_range> parse_accept(std::string_view accept) {
  std::vector<media_range> out;
  std::size_t start = 0;
  while (start <= accept.size()) {
    auto end = accept.find(',', start);
    auto item = message::trim(accept.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (!item.empty()) {
      auto [type, subtype] = type_of(item);
      auto semi = item.find(';');
      out.push_back({type, subtype, semi == std::string_view::npos ? 1.0 : q_of(item.substr(semi))});
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

// The weight of the most specific range matching `type/subtype`, or -1.
double weight(const std::vector<media_range>& ranges, const std::string& type, const std::string& subtype) {
  int best = -1;
  double q = -1;
  for (const auto& r : ranges) {
    int specificity = -1;
    if (r.type == type && r.subtype == subtype) specificity = 2;
    else if (r.type == type && r.subtype == "*") specificity = 1;
    else if (r.type == "*" && r.subtype == "*") specificity = 0;
    if (specificity > best) {
      best = specificity;
      q = r.q;
    }
  }
  return q;
}

}  // namespace

std::optional<std::string_view> negotiate(std::optional<std::string_view> accept,
                                          std::span<const std::string_view> offers) {
  if (offers.empty()) return std::nullopt;
  if (!accept || message::trim(*accept).empty()) return offers.front();
  auto ranges = parse_accept(*accept);
  std::optional<std::string_view> chosen;
  double chosen_q = 0;
  for (auto offer : offers) {
    auto [type, subtype] = type_of(offer);
    double q = weight(ranges, type, subtype);
    if (q > chosen_q) {
      chosen = offer;
      chosen_q = q;
    }
  }
  return chosen;
}

}  // namespace sim::http
