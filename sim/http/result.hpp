// sim/http/result.hpp - a value, or the problem that prevented it.
//
// Every refusal in the HTTP core (a malformed target, a limit, an unknown
// mailbox, a fault the world does not accept) is a `problem`: an HTTP status
// and one line saying what was wrong.  The server answers it as an RFC 9457
// problem document.  No exceptions for expected outcomes.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace sim::http {

struct problem {
  int status = 400;
  std::string detail;  // one line, for people: "no mailbox carol@example.org"
};

inline problem bad_request(std::string detail) { return {400, std::move(detail)}; }
inline problem not_found(std::string detail) { return {404, std::move(detail)}; }
inline problem conflict(std::string detail) { return {409, std::move(detail)}; }

template <typename T>
class result {
 public:
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  result(problem p) : v_(std::in_place_index<1>, std::move(p)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const { return std::get<0>(v_); }
  T& value() { return std::get<0>(v_); }
  const problem& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, problem> v_;
};

}  // namespace sim::http
