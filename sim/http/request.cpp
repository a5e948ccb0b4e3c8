// sim/http/request.cpp - field lookup.
#include "sim/http/request.hpp"

#include "sim/message/text.hpp"

namespace sim::http {

std::optional<std::string_view> request::field(std::string_view name) const {
  for (const auto& f : fields)
    if (message::iequals(f.name, name)) return std::string_view(f.value);
  return std::nullopt;
}

std::size_t request::count(std::string_view name) const {
  std::size_t n = 0;
  for (const auto& f : fields)
    if (message::iequals(f.name, name)) ++n;
  return n;
}

}  // namespace sim::http
