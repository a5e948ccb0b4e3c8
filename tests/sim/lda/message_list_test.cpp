// Tests for sim/lda/message_list.hpp: a vector that drops from the front.
#include <catch2/catch.hpp>

#include <string>

#include "sim/lda/message_list.hpp"

using sim::lda::front_dropping_vector;

namespace {

front_dropping_vector<std::string> numbers(int n) {
  front_dropping_vector<std::string> v;
  for (int i = 1; i <= n; ++i) v.push_back(std::to_string(i));
  return v;
}

std::string joined(const front_dropping_vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
  return out;
}

}  // namespace

TEST_CASE("dropping a prefix leaves the rest in order and indexed from zero") {
  auto v = numbers(6);
  v.erase(v.begin(), v.begin() + 2);
  CHECK(v.size() == 4);
  CHECK(v.front() == "3");
  CHECK(v[0] == "3");
  CHECK(v.at(3) == "6");
  CHECK(v.back() == "6");
  CHECK(joined(v) == "3 4 5 6");
  CHECK_THROWS(v.at(4));
}

TEST_CASE("drops from the front one at a time until empty then fill again") {
  auto v = numbers(5);
  for (int i = 0; i < 5; ++i) v.erase(v.begin(), v.begin() + 1);
  CHECK(v.empty());
  CHECK(v.begin() == v.end());
  v.push_back("7");
  CHECK(joined(v) == "7");
}

TEST_CASE("erasing in the middle and erase_if see only live messages") {
  auto v = numbers(8);
  v.erase(v.begin(), v.begin() + 3);  // 4..8 live
  v.erase(v.begin() + 1, v.begin() + 2);
  CHECK(joined(v) == "4 6 7 8");
  CHECK(v.erase_if([](const std::string& s) { return s == "6" || s == "1"; }) == 1);
  CHECK(joined(v) == "4 7 8");
  v.insert(v.begin() + 1, "5");
  CHECK(joined(v) == "4 5 7 8");
  v.clear();
  CHECK(v.empty());
}
