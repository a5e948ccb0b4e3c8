// Commands: tag and name, every command's arguments, fetch items, search
// keys, and the trace's masked view of a line.
#include <catch2/catch.hpp>

#include "sim/imap/command.hpp"

using namespace sim::imap;

namespace {

std::optional<command_args> parse(std::string_view text, std::string* error = nullptr) {
  auto split = split_command(text);
  REQUIRE(split.head);
  parser p(text);
  p.seek(split.arguments_at);
  auto out = parse_arguments(*split.head, p);
  if (error) *error = p.error();
  return out;
}

template <typename T>
T args_of(std::string_view text) {
  auto a = parse(text);
  REQUIRE(a);
  REQUIRE(std::holds_alternative<T>(*a));
  return std::get<T>(*a);
}

std::vector<std::string> names(std::string_view items) {
  parser p(items);
  auto parsed = parse_fetch_items(p);
  REQUIRE(parsed);
  CHECK(p.at_end());
  std::vector<std::string> out;
  for (const auto& it : *parsed) out.push_back(response_name(it));
  return out;
}

}  // namespace

TEST_CASE("split_command: tags, names, UID, and what is wrong with the rest") {
  auto s = split_command("a1 uid fetch 1 FLAGS");
  REQUIRE(s.head);
  CHECK(s.head->tag == "a1");
  CHECK(s.head->name == "FETCH");
  CHECK(s.head->uid);
  CHECK(std::string_view("a1 uid fetch 1 FLAGS").substr(s.arguments_at) == "1 FLAGS");
  CHECK(split_command("a2 NOOP").head->name == "NOOP");
  auto no_tag = split_command("+ NOOP");
  CHECK_FALSE(no_tag.tag);
  CHECK_FALSE(no_tag.head);
  auto no_name = split_command("a3");
  CHECK(no_name.tag == "a3");
  CHECK_FALSE(no_name.head);
  auto bad_uid = split_command("a4 UID LOGIN x y");
  CHECK(bad_uid.tag == "a4");
  CHECK(bad_uid.error.starts_with("UID must be followed by"));
  CHECK_FALSE(split_command("a5 NO(OP").head);
  CHECK_FALSE(split_command(std::string(100, 't') + " NOOP").tag);
}

TEST_CASE("arguments: LOGIN, AUTHENTICATE, ID, ENABLE") {
  auto login = args_of<login_args>("a LOGIN \"bob smith\" {2}\r\npw");
  CHECK(login.user == "bob smith");
  CHECK(login.password == "pw");
  auto auth = args_of<authenticate_args>("a AUTHENTICATE plain AGJvYgBwdw==");
  CHECK(auth.mechanism == "PLAIN");
  CHECK(auth.initial == "AGJvYgBwdw==");
  CHECK_FALSE(args_of<authenticate_args>("a AUTHENTICATE PLAIN").initial);
  auto id = args_of<id_args>("a ID (\"name\" \"imaplib\" \"version\" NIL)");
  REQUIRE(id.fields.size() == 2);
  CHECK(id.fields[0].second == "imaplib");
  CHECK_FALSE(id.fields[1].second);
  CHECK(args_of<id_args>("a ID NIL").fields.empty());
  CHECK(args_of<enable_args>("a ENABLE condstore utf8=accept").capabilities ==
        std::vector<std::string>{"CONDSTORE", "UTF8=ACCEPT"});
  std::string error;
  CHECK_FALSE(parse("a LOGIN bob", &error));
  CHECK(error == "LOGIN needs a user name and a password");
  CHECK_FALSE(parse("a NOOP now", &error));
  CHECK(error == "NOOP takes no arguments");
  std::string many = "a ID (";
  for (int i = 0; i < 31; ++i) many += "\"f" + std::to_string(i) + "\" \"v\" ";
  many.back() = ')';
  CHECK_FALSE(parse(many, &error));
}

TEST_CASE("arguments: mailbox commands, LIST forms, STATUS, APPEND") {
  CHECK(args_of<mailbox_args>("a SELECT {5}\r\nINBOX").mailbox == "INBOX");
  CHECK(args_of<rename_args>("a RENAME old \"new name\"").to == "new name");
  auto list = args_of<list_args>("a LIST \"\" *");
  CHECK(list.patterns == std::vector<std::string>{"*"});
  auto ext = args_of<list_args>("a LIST (special-use) \"\" (\"%\" INBOX/*) RETURN (children subscribed)");
  CHECK(ext.select_options == std::vector<std::string>{"SPECIAL-USE"});
  CHECK(ext.patterns == std::vector<std::string>{"%", "INBOX/*"});
  CHECK(ext.return_options == std::vector<std::string>{"CHILDREN", "SUBSCRIBED"});
  CHECK_FALSE(parse("a LSUB (x) \"\" *"));
  auto status = args_of<status_args>("a STATUS INBOX (messages unseen)");
  CHECK(status.items == std::vector<std::string>{"MESSAGES", "UNSEEN"});
  auto append = args_of<append_args>("a APPEND Sent (\\Seen $Work) \"05-Jan-2026 10:00:00 +0100\" {4+}\r\nHi\r\n");
  CHECK(append.mailbox == "Sent");
  CHECK(append.flags == flag_list{"\\Seen", "$Work"});
  REQUIRE(append.date);
  CHECK(append.message == "Hi\r\n");
  std::string error;
  CHECK_FALSE(parse("a APPEND INBOX (\\Recent) {1}\r\nx", &error));
  CHECK_FALSE(parse("a APPEND INBOX \"yesterday\" {1}\r\nx", &error));
  CHECK_FALSE(parse("a APPEND INBOX hello", &error));
  CHECK(error == "APPEND needs the message as a literal");
}

TEST_CASE("arguments: STORE, COPY, UID EXPUNGE, SEARCH") {
  auto store = args_of<store_args>("a STORE 1:3 +FLAGS.SILENT (\\Deleted \\SEEN)");
  CHECK(store.how == store_args::mode::add);
  CHECK(store.silent);
  CHECK(store.flags == flag_list{"\\Deleted", "\\Seen"});
  CHECK(args_of<store_args>("a STORE 1 -FLAGS \\Seen $x").flags == flag_list{"\\Seen", "$x"});
  CHECK(args_of<store_args>("a STORE 1 FLAGS ()").flags.empty());
  CHECK_FALSE(parse("a STORE 1 +FLAGS (\\Bogus)"));
  CHECK_FALSE(parse("a STORE 1 LABELS (x)"));
  CHECK(args_of<copy_args>("a UID MOVE 4:* Trash").mailbox == "Trash");
  CHECK(args_of<set_args>("a UID EXPUNGE 3,5").set.ranges.size() == 2);
  CHECK(std::holds_alternative<no_args>(*parse("a EXPUNGE")));
  auto search = args_of<search_args>("a SEARCH CHARSET utf-8 OR (FROM alice SINCE 1-Jan-2026) SEEN NOT UID 1:5 LARGER 100");
  CHECK(search.charset == "UTF-8");
  REQUIRE(search.key.children.size() == 3);
  CHECK(search.key.children[0].what == search_key::kind::or_);
  CHECK(search.key.children[0].children[0].what == search_key::kind::and_);
  CHECK(search.key.children[1].children[0].what == search_key::kind::uid);
  CHECK(search.key.children[2].size == 100);
  CHECK(args_of<search_args>("a SEARCH 2,4:* HEADER X-Spam \"\"").key.children[1].field == "X-Spam");
  for (std::string_view bad : {"a SEARCH", "a SEARCH (SEEN", "a SEARCH SEEN)", "a SEARCH FOO", "a SEARCH OR SEEN",
                               "a SEARCH SINCE yesterday", "a SEARCH KEYWORD", "a SEARCH NOT"}) {
    INFO(bad);
    CHECK_FALSE(parse(bad));
  }
  std::string deep = "a SEARCH ";
  for (int i = 0; i < 40; ++i) deep += "(";
  deep += "ALL";
  for (int i = 0; i < 40; ++i) deep += ")";
  std::string error;
  CHECK_FALSE(parse(deep, &error));
  CHECK(error == "search keys nested too deep");
}

TEST_CASE("fetch items: macros, sections, partial ranges and their response names") {
  CHECK(names("ALL") == std::vector<std::string>{"FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE"});
  CHECK(names("FAST") == std::vector<std::string>{"FLAGS", "INTERNALDATE", "RFC822.SIZE"});
  CHECK(names("full").back() == "BODY");
  CHECK(names("(UID RFC822.SIZE BODYSTRUCTURE BODY)") ==
        std::vector<std::string>{"UID", "RFC822.SIZE", "BODYSTRUCTURE", "BODY"});
  CHECK(names("(BODY.PEEK[] BODY[TEXT]<0.100> BODY[1.2.HEADER.FIELDS (From \"To\")] BODY[2.MIME] "
              "body[header.fields.not (Received)] BODY[3]<10.5>)") ==
        std::vector<std::string>{"BODY[]", "BODY[TEXT]<0>", "BODY[1.2.HEADER.FIELDS (From To)]", "BODY[2.MIME]",
                                 "BODY[HEADER.FIELDS.NOT (Received)]", "BODY[3]<10>"});
  CHECK(names("RFC822.HEADER") == std::vector<std::string>{"RFC822.HEADER"});
  for (std::string_view bad : {"BODY[MIME]", "BODY[1.]", "BODY[0]", "BODY[HEADER", "BODY[TEXT]<5>", "BODY[]<1.0>",
                               "(FLAGS", "BODY[HEADER.FIELDS ()]", "ENVELOPE2", "BINARY[1]"}) {
    INFO(bad);
    parser p(bad);
    auto got = parse_fetch_items(p);
    CHECK((!got || !p.at_end()));
  }
}

TEST_CASE("display_command: literals as announced, credentials masked") {
  CHECK(display_command("a1 LOGIN bob secret") == "a1 LOGIN bob ********");
  CHECK(display_command("a1 LOGIN {3}\r\nbob {6}\r\nsecret") == "a1 LOGIN {3} ********");
  CHECK(display_command("a1 login \"bob\" \"s e c\"") == "a1 login \"bob\" ********");
  CHECK(display_command("a2 AUTHENTICATE PLAIN AGJvYgBwdw==") == "a2 AUTHENTICATE PLAIN ********");
  CHECK(display_command("a2 AUTHENTICATE PLAIN") == "a2 AUTHENTICATE PLAIN");
  CHECK(display_command("a3 APPEND INBOX {11}\r\nSubject: x\n") == "a3 APPEND INBOX {11}");
  CHECK(display_command("a4 SELECT {5+}\r\nINBOX") == "a4 SELECT {5+}");
}
