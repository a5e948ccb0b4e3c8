// sim/campaign/personalize.cpp - filling templates.
#include "sim/campaign/personalize.hpp"

#include <array>
#include <cctype>

namespace sim::campaign {
namespace {

constexpr std::array<std::string_view, 4> field_names{"name", "email", "local", "domain"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::string_view value_of(std::string_view field, const fields& f) {
  auto at = f.email.rfind('@');
  if (field == "name") return f.name;
  if (field == "email") return f.email;
  if (field == "local") return at == std::string_view::npos ? f.email : f.email.substr(0, at);
  return at == std::string_view::npos ? std::string_view() : f.email.substr(at + 1);
}

}  // namespace

std::optional<std::string> template_error(std::string_view text) {
  for (std::size_t at = text.find("{{"); at != std::string_view::npos; at = text.find("{{", at)) {
    auto end = text.find("}}", at + 2);
    if (end == std::string_view::npos) return "{{ at offset " + std::to_string(at) + " is not closed with }}";
    auto field = trim(text.substr(at + 2, end - at - 2));
    bool known = false;
    for (auto name : field_names) known = known || field == name;
    if (!known)
      return "unknown field {{" + std::string(field) + "}} (fields: name, email, local, domain)";
    at = end + 2;
  }
  return std::nullopt;
}

std::string render(std::string_view text, const fields& f) {
  std::string out;
  out.reserve(text.size() + 32);
  std::size_t from = 0;
  for (std::size_t at = text.find("{{"); at != std::string_view::npos; at = text.find("{{", from)) {
    auto end = text.find("}}", at + 2);
    if (end == std::string_view::npos) break;
    out.append(text.substr(from, at - from));
    out.append(value_of(trim(text.substr(at + 2, end - at - 2)), f));
    from = end + 2;
  }
  out.append(text.substr(from));
  return out;
}

std::string name_from_address(std::string_view address) {
  auto local = address.substr(0, address.rfind('@'));
  std::string out;
  bool start = true;
  for (char c : local) {
    if (c == '.' || c == '_' || c == '-' || c == '+') {
      if (!out.empty() && out.back() != ' ') out += ' ';
      start = true;
      continue;
    }
    out += start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    start = false;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace sim::campaign
