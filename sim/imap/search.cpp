// sim/imap/search.cpp - SEARCH keys (RFC 9051 §6.4.4): the parser.
#include "sim/imap/search.hpp"

#include "sim/imap/limits.hpp"

namespace sim::imap {

namespace {

using key_kind = search_key::kind;

// Keys without arguments.
constexpr std::pair<std::string_view, key_kind> plain_keys[] = {
    {"ALL", key_kind::all},           {"ANSWERED", key_kind::answered},     {"DELETED", key_kind::deleted},
    {"DRAFT", key_kind::draft},       {"FLAGGED", key_kind::flagged},       {"SEEN", key_kind::seen},
    {"RECENT", key_kind::recent},     {"NEW", key_kind::new_},              {"OLD", key_kind::old},
    {"UNANSWERED", key_kind::unanswered}, {"UNDELETED", key_kind::undeleted}, {"UNDRAFT", key_kind::undraft},
    {"UNFLAGGED", key_kind::unflagged},   {"UNSEEN", key_kind::unseen},
};

// Keys with one astring argument.
constexpr std::pair<std::string_view, key_kind> string_keys[] = {
    {"BCC", key_kind::bcc},         {"CC", key_kind::cc},     {"FROM", key_kind::from}, {"TO", key_kind::to},
    {"SUBJECT", key_kind::subject}, {"BODY", key_kind::body}, {"TEXT", key_kind::text},
};

// Keys with one date argument.
constexpr std::pair<std::string_view, key_kind> date_keys[] = {
    {"BEFORE", key_kind::before},           {"ON", key_kind::on},           {"SINCE", key_kind::since},
    {"SENTBEFORE", key_kind::sent_before}, {"SENTON", key_kind::sent_on}, {"SENTSINCE", key_kind::sent_since},
};

class search_parser {
 public:
  explicit search_parser(parser& p) : p_(p) {}

  // Keys separated by SP until `close` (')' or the end of the command).
  std::optional<search_key> sequence(std::size_t depth, bool in_parens) {
    search_key all;
    all.what = key_kind::and_;
    do {
      auto k = key(depth);
      if (!k) return std::nullopt;
      all.children.push_back(std::move(*k));
    } while (p_.space());
    if (in_parens ? !p_.skip(')') : !p_.at_end()) return fail("unbalanced parentheses or stray text in search keys");
    return all;
  }

 private:
  std::optional<search_key> fail(std::string why) {
    p_.fail(std::move(why));
    return std::nullopt;
  }

  std::optional<search_key> key(std::size_t depth) {
    if (++keys_ > limits::max_search_keys) return fail("too many search keys");
    if (depth > limits::max_nesting) return fail("search keys nested too deep");
    if (p_.skip('(')) return sequence(depth + 1, true);
    char c = p_.peek();
    if (c == '*' || (c >= '1' && c <= '9')) return with_set(key_kind::sequence);
    search_key k;
    for (auto [name, what] : plain_keys) {
      if (p_.word(name)) return k.what = what, k;
    }
    for (auto [name, what] : string_keys) {
      if (p_.word(name)) return k.what = what, string_arg(k);
    }
    for (auto [name, what] : date_keys) {
      if (p_.word(name)) return k.what = what, date_arg(k);
    }
    if (p_.word("UID")) return p_.space() ? with_set(key_kind::uid) : fail("UID needs a set");
    if (p_.word("NOT")) return operands(key_kind::not_, 1, depth);
    if (p_.word("OR")) return operands(key_kind::or_, 2, depth);
    if (p_.word("LARGER")) return k.what = key_kind::larger, size_arg(k);
    if (p_.word("SMALLER")) return k.what = key_kind::smaller, size_arg(k);
    if (p_.word("KEYWORD")) return k.what = key_kind::keyword, flag_arg(k);
    if (p_.word("UNKEYWORD")) return k.what = key_kind::unkeyword, flag_arg(k);
    if (p_.word("HEADER")) {
      k.what = key_kind::header;
      auto field = p_.space() ? p_.astring() : std::nullopt;
      if (!field) return fail("HEADER needs a field name");
      k.field = std::move(*field);
      return string_arg(k);
    }
    return fail("unknown search key");
  }

  std::optional<search_key> operands(key_kind what, int count, std::size_t depth) {
    search_key k;
    k.what = what;
    for (int i = 0; i < count; ++i) {
      if (!p_.space()) return fail("NOT and OR need search keys");
      auto sub = key(depth + 1);
      if (!sub) return std::nullopt;
      k.children.push_back(std::move(*sub));
    }
    return k;
  }

  std::optional<search_key> with_set(key_kind what) {
    auto set = parse_sequence_set(p_);
    if (!set) return fail("invalid sequence set");
    search_key k;
    k.what = what;
    k.set = std::move(*set);
    return k;
  }

  std::optional<search_key> string_arg(search_key& k) {
    auto s = p_.space() ? p_.astring() : std::nullopt;
    if (!s) return fail("search key needs a string");
    k.value = std::move(*s);
    return std::move(k);
  }

  std::optional<search_key> date_arg(search_key& k) {
    auto s = p_.space() ? p_.astring() : std::nullopt;
    auto d = s ? parse_date(*s) : std::nullopt;
    if (!d) return fail("search key needs a date like 1-Feb-2026");
    k.day = *d;
    return std::move(k);
  }

  std::optional<search_key> size_arg(search_key& k) {
    auto n = p_.space() ? p_.number64() : std::nullopt;
    if (!n) return fail("LARGER and SMALLER need a number");
    k.size = *n;
    return std::move(k);
  }

  std::optional<search_key> flag_arg(search_key& k) {
    auto f = p_.space() ? p_.atom() : std::nullopt;
    if (!f) return fail("KEYWORD needs a flag");
    k.field = std::move(*f);
    return std::move(k);
  }

  parser& p_;
  std::size_t keys_ = 0;
};

}  // namespace

std::optional<search_key> parse_search_keys(parser& p) { return search_parser(p).sequence(0, false); }

void bind(search_key& key, std::uint32_t messages, std::uint32_t largest_uid) {
  if (key.what == key_kind::sequence) key.resolved = resolve(key.set, messages);
  if (key.what == key_kind::uid) key.resolved = resolve(key.set, largest_uid);
  for (auto& child : key.children) bind(child, messages, largest_uid);
}

}  // namespace sim::imap
