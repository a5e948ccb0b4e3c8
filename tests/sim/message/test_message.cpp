// Tests for sim/message/message: parse, serialize, fold, unfold.
#include <catch2/catch.hpp>

#include "sim/message/message.hpp"
#include "sim/message/text.hpp"

using namespace sim::message;

namespace {

const std::vector<std::string> samples = {
    "From: alice@sender.test\r\nTo: bob@example.org\r\nSubject: Hello\r\n\r\nHi Bob.\r\n",
    "From: alice@sender.test\nSubject: a long\n  folded\n\tsubject\n\nbody\nline two\n",
    "Received: from a (a [192.0.2.1])\r\n\tby b (mailsim) with ESMTP id 1;\r\n\tMon, 05 Jan 2026 09:00:00 +0000\r\n"
    "Subject: x\r\n\r\n",
    "Subject: headers only\r\nX-Empty:\r\n",
    "Subject: no final line end",
    "Subject : obsolete space before colon\r\n\r\nbody",
    "not a header line\r\nSubject: is body\r\n",
    "Subject: header then body without separator\r\nbody line\r\n",
    "",
    "\r\n\r\nbody after an empty header\r\n",
    "Subject: first\r\n continued\r\nsubject: second\r\n\tcontinued too\r\nTo: bob@example.org\r\n\r\nbody\r\n",
    "Received: from a\r\n by b; Mon\r\nreceived: from c by d\r\nRECEIVED : e\r\n\r\nReceived: in the body\r\n",
};

}  // namespace

TEST_CASE("message: every sample serializes back byte for byte") {
  for (const auto& raw : samples) {
    const std::string got = message::parse(raw).serialize();
    CHECK(got == raw);
  }
}

TEST_CASE("message: every prefix of every sample round-trips") {
  for (const auto& raw : samples) {
    for (std::size_t cut = 0; cut <= raw.size(); ++cut) {
      const std::string prefix = raw.substr(0, cut);
      REQUIRE(message::parse(prefix).serialize() == prefix);
    }
  }
}

TEST_CASE("message: the header alone and fields on top and their count give what a whole parse would on every prefix") {
  for (const auto& raw : samples) {
    for (std::size_t cut = 0; cut <= raw.size(); ++cut) {
      const std::string text = raw.substr(0, cut);
      INFO(text);
      auto whole = message::parse(text);
      auto header = message::parse(std::string_view(text).substr(0, header_end(text)));
      REQUIRE(header.fields().size() == whole.fields().size());
      for (auto name : {"subject", "From", "to", "Message-ID", "X-Absent", "", "Received"}) {
        CHECK(header_value(text, name) == whole.get(name));
        CHECK(header_count(text, name) == whole.count(name));
      }
      auto prepended = whole;
      prepended.prepend("Delivered-To", "bob@example.org");
      prepended.prepend("Return-Path", "<\"a long local part with spaces that goes on and on\"@sender.test>");
      const std::string want = prepended.serialize();
      std::initializer_list<new_field> fields{
          {"Return-Path", "<\"a long local part with spaces that goes on and on\"@sender.test>"},
          {"Delivered-To", "bob@example.org"}};
      CHECK(with_fields_on_top(text, fields) == want);
      CHECK(size_with_fields_on_top(text, fields) == want.size());
    }
  }
}

TEST_CASE("message: fields, body and case-insensitive lookup") {
  const auto m = message::parse(samples[1]);
  REQUIRE(m.fields().size() == 2);
  CHECK(m.fields()[1].name == "Subject");
  CHECK(m.get("SUBJECT") == std::optional<std::string>("a long  folded\tsubject"));
  CHECK(m.get("from") == std::optional<std::string>("alice@sender.test"));
  CHECK_FALSE(m.get("To").has_value());
  CHECK(m.body() == "body\nline two\n");
  CHECK(m.line_end() == "\n");
}

TEST_CASE("message: a line that is not a field starts the body") {
  const auto m = message::parse(samples[7]);
  CHECK(m.fields().size() == 1);
  CHECK(m.body() == "body line\r\n");
  const auto mbox = message::parse(samples[6]);
  CHECK(mbox.fields().empty());
  CHECK(mbox.body() == samples[6]);
}

TEST_CASE("message: get_all and count keep order") {
  auto m = message::parse("Received: one\r\nX: y\r\nreceived: two\r\n\r\n");
  const std::vector<std::string> want = {"one", "two"};
  CHECK(m.get_all("Received") == want);
  CHECK(m.count("RECEIVED") == 2);
  CHECK(m.remove("received") == 2);
  CHECK(m.count("Received") == 0);
  CHECK(m.serialize() == "X: y\r\n\r\n");
}

TEST_CASE("message: prepend goes on top with the message's line end") {
  auto m = message::parse("Subject: x\n\nbody\n");
  m.prepend("Received", "from a by b; date");
  m.append("X-Last", "z");
  CHECK(m.serialize() == "Received: from a by b; date\nSubject: x\nX-Last: z\n\nbody\n");
}

TEST_CASE("message: a field added to a message without header never swallows its first line") {
  // Found by fuzzing: " indented" would have become a continuation of Received.
  for (bool first : {true, false}) {
    auto m = message::parse(" indented text\r\nmore\r\n");
    REQUIRE(m.fields().empty());
    if (first) m.prepend("Received", "from a by b; date");
    else m.append("Received", "from a by b; date");
    CHECK(m.serialize() == "Received: from a by b; date\r\n\r\n indented text\r\nmore\r\n");
    auto back = message::parse(m.serialize());
    CHECK(back.get("Received") == std::optional<std::string>("from a by b; date"));
    CHECK(back.body() == " indented text\r\nmore\r\n");
  }
}

TEST_CASE("message: append after an unterminated last field and set_body add line ends") {
  auto m = message::parse("Subject: x");
  m.append("To", "bob@example.org");
  m.set_body("hello\r\n");
  CHECK(m.serialize() == "Subject: x\r\nTo: bob@example.org\r\n\r\nhello\r\n");
}

TEST_CASE("fold: long values fold at spaces within 78 columns and unfold back") {
  std::string value;
  for (int i = 0; i < 40; ++i) {
    if (i > 0) value += ' ';
    value += "word";
    value += std::to_string(i);
  }
  message m;
  m.append("Subject", value);
  const std::string raw = m.serialize();
  for (const auto line : split_lines(raw)) CHECK(line.size() <= fold_column);
  CHECK(split_lines(raw).size() > 3);
  CHECK(message::parse(raw).get("Subject") == value);
}

TEST_CASE("fold: a line of exactly 78 columns stays, 79 folds") {
  const std::string name = "X";
  const std::string first(40, 'a');
  const std::string exact = first + " " + std::string(78 - 3 - 41, 'b');  // "X: " + 75 chars
  CHECK(fold(name, exact, "\r\n").find('\n') == std::string::npos);
  const std::string over = exact + "b";
  CHECK(fold(name, over, "\r\n") == " " + first + "\r\n " + std::string(35, 'b'));
}

TEST_CASE("fold: a word longer than a line stays whole, pre-folded values keep their folds") {
  const std::string word(100, 'x');
  CHECK(fold("Subject", word, "\r\n") == " " + word);
  CHECK(fold("Subject", "a " + word, "\r\n") == " a\r\n " + word);
  CHECK(fold("Received", "from a\n\tby b", "\r\n") == " from a\r\n\tby b");
}

TEST_CASE("fold: a pre-folded value has each LF made the line end and every CR dropped") {
  auto by_byte = [](std::string_view value, std::string_view line_end) {
    std::string out = value.empty() || (value.front() != ' ' && value.front() != '\t') ? " " : "";
    for (char c : value) {
      if (c == '\n') out += line_end;
      else if (c != '\r') out += c;
    }
    return out;
  };
  for (std::string_view value : {"from a\n\tby b", "from a\r\n\tby b\r\n", "\n", "\r\n", "\n\n x\n",
                                 " lead\n\tx", "\tlead\n y", "bare\rcr\n\tx\r", "\r\r\n\r", "x\ny\nz"}) {
    for (std::string_view line_end : {"\r\n", "\n"}) {
      INFO(value);
      CHECK(fold("Received", value, line_end) == by_byte(value, line_end));
    }
  }
}

TEST_CASE("unfold: removes line ends before white space and trims") {
  CHECK(unfold(" a\r\n b\n\tc  ") == "a b\tc");
  CHECK(unfold("") == "");
}
