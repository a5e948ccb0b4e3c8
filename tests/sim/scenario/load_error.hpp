// tests/sim/scenario/load_error.hpp - what loading a scenario document says, for the loader tests.
#pragma once

#include <filesystem>
#include <string>

#include "sim/scenario/loader.hpp"

namespace sim::scenario::testing {

// The load error's message for `doc` (named "x.json", files relative to
// `base_dir`), or "(loaded)".
inline std::string error_of(const json& doc, const std::filesystem::path& base_dir = ".") {
  try {
    load_from_string(doc.dump(), "x.json", base_dir);
  } catch (const load_error& e) {
    return e.what();
  }
  return "(loaded)";
}

// `base_text` with the value at `pointer` set, loaded.
inline std::string error_with(const char* base_text, const std::string& pointer, const json& value,
                              const std::filesystem::path& base_dir = ".") {
  json doc = json::parse(base_text);
  doc[json::json_pointer(pointer)] = value;
  return error_of(doc, base_dir);
}

}  // namespace sim::scenario::testing
