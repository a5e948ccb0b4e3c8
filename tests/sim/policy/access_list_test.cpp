// tests/sim/policy/access_list_test.cpp - allow and block lists at a host
// and at a mailbox: entry forms, precedence, replies, placement.
#include <catch2/catch.hpp>

#include "sim/policy/access_list.hpp"

using namespace sim::policy;

namespace {

access_list lists(const std::vector<std::string>& allow, const std::vector<std::string>& block) {
  access_list out;
  const auto errors = parse_access_lists(allow, block, out);
  REQUIRE(errors.empty());
  return out;
}

std::optional<ip_address> listed_ip(const char* text) { return parse_ip(text); }

access_action sender_action(const access_list& l, std::string_view sender) {
  return check_host_access(l, std::nullopt, sender).action;
}

}  // namespace

TEST_CASE("entry forms") {
  using k = access_entry::kind;
  CHECK(parse_access_entry("203.0.113.7")->type == k::client);
  CHECK(parse_access_entry("203.0.113.0/24")->network.prefix_length == 24);
  CHECK(parse_access_entry("2001:db8::/32")->type == k::client);
  CHECK(parse_access_entry("Alice@Example.COM")->value == "alice@example.com");
  CHECK(parse_access_entry("Alice@Example.COM")->text == "Alice@Example.COM");
  CHECK(parse_access_entry("postmaster@")->type == k::local_part);
  CHECK(parse_access_entry("example.com")->type == k::domain);
  CHECK(parse_access_entry(".example.com")->type == k::subdomains);
  CHECK(parse_access_entry(".example.com")->value == "example.com");
  CHECK(parse_access_entry("<>")->type == k::null_sender);

  const std::pair<const char*, const char*> bad[] = {
      {"", "an empty entry"},
      {"203.0.113", "\"203.0.113\" is not an IP address or CIDR network (as 192.0.2.0/24)"},
      {"203.0.113.0/33", "\"203.0.113.0/33\" is not an IP address or CIDR network (as 192.0.2.0/24)"},
      {"@example.com", "\"@example.com\": write example.com for a whole domain"},
      {"a b@example.com", "\"a b@example.com\" is not an address"},
      {"alice@exa mple.com", "\"alice@exa mple.com\": exa mple.com is not a domain name"},
      {"exa..mple.com", "\"exa..mple.com\" is not an address, a domain or a CIDR network"},
  };
  for (const auto& [text, why] : bad) {
    std::string got;
    INFO(text);
    CHECK_FALSE(parse_access_entry(text, &got));
    CHECK(got == why);
  }
  access_list out;
  CHECK(parse_access_lists({"example.com", "nope..x"}, {"1.2.3"}, out) ==
        std::vector<config_error>{{"/allow/1", "\"nope..x\" is not an address, a domain or a CIDR network"},
                                  {"/block/0", "\"1.2.3\" is not an IP address or CIDR network (as 192.0.2.0/24)"}});
}

TEST_CASE("a domain entry covers its subdomains, a dotted one only them") {
  const access_list l = lists({"partner.example"}, {".spam.example"});
  CHECK(sender_action(l, "bob@partner.example") == access_action::allow);
  CHECK(sender_action(l, "bob@mail.PARTNER.example") == access_action::allow);
  CHECK(sender_action(l, "bob@notpartner.example") == access_action::none);
  CHECK(sender_action(l, "bob@spam.example") == access_action::none);
  CHECK(sender_action(l, "bob@x.spam.example") == access_action::block);
}

TEST_CASE("the most specific entry decides, in access(5)'s lookup order") {
  const access_list l = lists({"ceo@corp.example", "postmaster@"}, {"corp.example", "eu.corp.example"});
  CHECK(sender_action(l, "ceo@corp.example") == access_action::allow);       // address before domain
  CHECK(sender_action(l, "sales@corp.example") == access_action::block);
  CHECK(sender_action(l, "postmaster@corp.example") == access_action::block); // domain before local-part@
  CHECK(sender_action(l, "postmaster@other.example") == access_action::allow);
  const access_list nested = lists({"eu.corp.example"}, {"corp.example"});
  CHECK(sender_action(nested, "a@eu.corp.example") == access_action::allow);  // the closest parent first
  CHECK(sender_action(nested, "a@us.corp.example") == access_action::block);
  const access_list both = lists({"corp.example"}, {"corp.example"});
  CHECK(sender_action(both, "a@corp.example") == access_action::block);       // a tie blocks
}

TEST_CASE("clients by address and prefix, the longest prefix wins") {
  const access_list l = lists({"198.51.100.0/24", "2001:db8::/32"}, {"198.51.100.66", "203.0.113.0/24"});
  CHECK(check_host_access(l, listed_ip("198.51.100.7"), std::nullopt).action == access_action::allow);
  CHECK(check_host_access(l, listed_ip("198.51.100.66"), std::nullopt).action == access_action::block);
  CHECK(check_host_access(l, listed_ip("::ffff:198.51.100.7"), std::nullopt).action == access_action::allow);
  CHECK(check_host_access(l, listed_ip("2001:db8::25"), std::nullopt).action == access_action::allow);
  CHECK(check_host_access(l, listed_ip("192.0.2.1"), std::nullopt).action == access_action::none);
}

TEST_CASE("a client entry and a sender entry that disagree block") {
  const access_list l = lists({"198.51.100.0/24", "partner.example"}, {"spam.example", "203.0.113.66"});
  auto d = check_host_access(l, listed_ip("198.51.100.7"), "x@spam.example");
  CHECK(d.action == access_action::block);
  CHECK(d.entry == "spam.example");
  d = check_host_access(l, listed_ip("203.0.113.66"), "bob@partner.example");
  CHECK(d.action == access_action::block);
  CHECK(d.entry == "203.0.113.66");
  d = check_host_access(l, listed_ip("192.0.2.1"), "bob@partner.example");
  CHECK(d.action == access_action::allow);
}

TEST_CASE("host decisions: details, replies and trace results") {
  const access_list l = lists({"198.51.100.0/24"}, {"spam.example", "203.0.113.66", "<>"});
  auto d = check_host_access(l, listed_ip("198.51.100.7"), "a@b.example");
  CHECK(d.detail == "client [198.51.100.7] is on the allow list (entry 198.51.100.0/24)");
  CHECK_FALSE(d.reply);
  CHECK(d.as_check_result().result == "allow");

  d = check_host_access(l, listed_ip("192.0.2.1"), "Mallory@Spam.Example");
  REQUIRE(d.reply);
  CHECK(*d.reply == reply{554, "5.7.1", "<Mallory@Spam.Example>: Sender address rejected: Access denied (block list "
                                        "entry spam.example)"});
  CHECK(d.detail == "sender <Mallory@Spam.Example> is on the block list (entry spam.example)");

  d = check_host_access(l, listed_ip("203.0.113.66"), std::nullopt);
  CHECK(d.reply->text == "Client host [203.0.113.66] rejected: Access denied (block list entry 203.0.113.66)");
  const check_result r = d.as_check_result();
  CHECK(r.check == "access");
  CHECK(r.result == "block");
  CHECK(r.reply == d.reply);

  CHECK(check_host_access(l, listed_ip("192.0.2.1"), "").action == access_action::block);  // <> listed
  const check_result none = check_host_access(l, listed_ip("192.0.2.1"), "a@b.example").as_check_result();
  CHECK(none.result == "none");
  CHECK(none.detail == "on no allow or block list");
  CHECK(access_action_name(access_action::allow) == "allow");
}

TEST_CASE("a mailbox's own lists decide its folder") {
  const access_list l = lists({"friend.example", "boss@corp.example"}, {"corp.example", "newsletter@"});
  auto p = place_in_mailbox(l, std::nullopt, "pal@friend.example", true);
  CHECK(p.folder == inbox_folder);  // allow: INBOX whatever the filter said
  CHECK(p.reason == "allow list entry friend.example");
  p = place_in_mailbox(l, std::nullopt, "boss@corp.example", true);
  CHECK(p.folder == "INBOX");
  p = place_in_mailbox(l, std::nullopt, "hr@corp.example", false);
  CHECK(p.folder == junk_folder);  // block: Junk whatever the filter said
  CHECK(p.reason == "block list entry corp.example");
  p = place_in_mailbox(l, std::nullopt, "newsletter@shop.example", false);
  CHECK(p.folder == "Junk");
  CHECK(place_in_mailbox(l, std::nullopt, "x@other.example", true).folder == "Junk");
  CHECK(place_in_mailbox(l, std::nullopt, "x@other.example", true).reason == "spam filter verdict junk");
  CHECK(place_in_mailbox(l, std::nullopt, "x@other.example", false).folder == "INBOX");
  CHECK(place_in_mailbox({}, std::nullopt, "x@other.example", false).reason == "not junk");
  const access_list by_client = lists({}, {"203.0.113.0/24"});
  CHECK(place_in_mailbox(by_client, listed_ip("203.0.113.9"), "x@other.example", false).folder == "Junk");
}
