// sim/http/negotiate.hpp - content negotiation, kept simple (RFC 9110 section 12.5.1).
//
// Each endpoint offers one or a few media types, its default first.  The
// Accept field's most specific matching range gives each offer its weight
// (type/subtype before type/* before */*); the heaviest offer wins, ties go
// to the endpoint's order.  Media type parameters other than q are ignored.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace sim::http {

// The chosen offer, or nullopt when the field accepts none of them (406).
// No Accept field (or an empty one) takes the first offer.
std::optional<std::string_view> negotiate(std::optional<std::string_view> accept,
                                          std::span<const std::string_view> offers);

}  // namespace sim::http
