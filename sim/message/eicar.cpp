// sim/message/eicar.cpp - EICAR test string search through MIME parts.
#include "sim/message/eicar.hpp"

#include "sim/message/mime.hpp"

namespace sim::message {

static_assert(eicar_test_string.size() == 68);

namespace {

bool entity_contains_eicar(const mime_entity& node) {
  if (node.children.empty()) {
    return decode_body(node.entity).find(eicar_test_string) != std::string::npos;
  }
  for (const mime_entity& child : node.children) {
    if (entity_contains_eicar(child)) return true;
  }
  return false;
}

}  // namespace

bool contains_eicar(std::string_view raw_message) {
  if (raw_message.find(eicar_test_string) != std::string_view::npos) return true;
  return entity_contains_eicar(parse_mime(raw_message));
}

}  // namespace sim::message
