// sim/http/router.cpp - template matching, 404 and 405.
#include "sim/http/router.hpp"

#include <array>
#include <stdexcept>

namespace sim::http {

namespace {

bool is_param(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

std::vector<std::string> template_segments(std::string_view path) {
  if (path.empty() || path.front() != '/') throw std::invalid_argument("route template must start with '/': " + std::string(path));
  std::vector<std::string> out;
  std::string_view rest = path.substr(1);
  if (rest.empty()) return out;
  std::size_t start = 0;
  while (true) {
    auto end = rest.find('/', start);
    auto segment = rest.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (segment.empty()) throw std::invalid_argument("empty segment in route template " + std::string(path));
    bool braces = segment.find_first_of("{}") != std::string_view::npos;
    if (braces && !is_param(segment)) throw std::invalid_argument("bad parameter in route template " + std::string(path));
    out.emplace_back(segment);
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

}  // namespace

std::string_view call::param(std::string_view name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string_view() : std::string_view(it->second);
}

void router::add(route r) {
  compiled c{template_segments(r.path)};
  for (const auto& existing : routes_)
    if (existing.method == r.method && existing.path == r.path)
      throw std::invalid_argument("route given twice: " + r.method + " " + r.path);
  routes_.push_back(std::move(r));
  templates_.push_back(std::move(c));
}

bool router::matches(const compiled& c, const std::vector<std::string>& segments,
                     std::map<std::string, std::string, std::less<>>* params) const {
  if (c.segments.size() != segments.size()) return false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto& t = c.segments[i];
    if (is_param(t)) {
      if (segments[i].empty()) return false;
      if (params) (*params)[t.substr(1, t.size() - 2)] = segments[i];
    } else if (t != segments[i]) {
      return false;
    }
  }
  return true;
}

router::match router::find(std::string_view method, const std::vector<std::string>& segments) const {
  match m;
  std::string_view wanted = method == "HEAD" ? "GET" : method;
  bool methods[4] = {false, false, false, false};  // GET, POST, PUT, DELETE
  static constexpr std::array<std::string_view, 4> names = {"GET", "POST", "PUT", "DELETE"};
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (!matches(templates_[i], segments, nullptr)) continue;
    for (std::size_t n = 0; n < names.size(); ++n)
      if (routes_[i].method == names[n]) methods[n] = true;
    if (routes_[i].method == wanted && !m.hit) {
      m.hit = &routes_[i];
      matches(templates_[i], segments, &m.params);
    }
  }
  bool any = methods[0] || methods[1] || methods[2] || methods[3];
  if (!any) return m;
  for (std::size_t n = 0; n < names.size(); ++n) {
    if (!methods[n]) continue;
    if (!m.allow.empty()) m.allow += ", ";
    m.allow += names[n];
    if (n == 0) m.allow += ", HEAD";
  }
  m.allow += ", OPTIONS";
  m.what = m.hit ? match::kind::found : match::kind::no_method;
  return m;
}

}  // namespace sim::http
