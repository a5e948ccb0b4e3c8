// sim/imap/search.cpp - SEARCH keys (RFC 9051 §6.4.4): the parser.
#include "sim/imap/search.hpp"

#include "sim/imap/limits.hpp"

namespace sim::imap {

namespace {

using kind = search_key::kind;

// Keys without arguments.
constexpr std::pair<std::string_view, kind> plain_keys[] = {
    {"ALL", kind::all},           {"ANSWERED", kind::answered},     {"DELETED", kind::deleted},
    {"DRAFT", kind::draft},       {"FLAGGED", kind::flagged},       {"SEEN", kind::seen},
    {"RECENT", kind::recent},     {"NEW", kind::new_},              {"OLD", kind::old},
    {"UNANSWERED", kind::unanswered}, {"UNDELETED", kind::undeleted}, {"UNDRAFT", kind::undraft},
    {"UNFLAGGED", kind::unflagged},   {"UNSEEN", kind::unseen},
};

// Keys with one astring argument.
constexpr std::pair<std::string_view, kind> string_keys[] = {
    {"BCC", kind::bcc},         {"CC", kind::cc},     {"FROM", kind::from}, {"TO", kind::to},
    {"SUBJECT", kind::subject}, {"BODY", kind::body}, {"TEXT", kind::text},
};

// Keys with one date argument.
constexpr std::pair<std::string_view, kind> date_keys[] = {
    {"BEFORE", kind::before},           {"ON", kind::on},           {"SINCE", kind::since},
    {"SENTBEFORE", kind::sent_before}, {"SENTON", kind::sent_on}, {"SENTSINCE", kind::sent_since},
};

class search_parser {
 public:
  explicit search_parser(parser& p) : p_(p) {}

  // Keys separated by SP until `close` (')' or the end of the command).
  std::optional<search_key> sequence(std::size_t depth, bool in_parens) {
    search_key all;
    all.what = kind::and_;
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
    if (c == '*' || (c >= '1' && c <= '9')) return with_set(kind::sequence);
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
    if (p_.word("UID")) return p_.space() ? with_set(kind::uid) : fail("UID needs a set");
    if (p_.word("NOT")) return operands(kind::not_, 1, depth);
    if (p_.word("OR")) return operands(kind::or_, 2, depth);
    if (p_.word("LARGER")) return k.what = kind::larger, size_arg(k);
    if (p_.word("SMALLER")) return k.what = kind::smaller, size_arg(k);
    if (p_.word("KEYWORD")) return k.what = kind::keyword, flag_arg(k);
    if (p_.word("UNKEYWORD")) return k.what = kind::unkeyword, flag_arg(k);
    if (p_.word("HEADER")) {
      k.what = kind::header;
      auto field = p_.space() ? p_.astring() : std::nullopt;
      if (!field) return fail("HEADER needs a field name");
      k.field = std::move(*field);
      return string_arg(k);
    }
    return fail("unknown search key");
  }

  std::optional<search_key> operands(kind what, int count, std::size_t depth) {
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

  std::optional<search_key> with_set(kind what) {
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
  if (key.what == kind::sequence) key.resolved = resolve(key.set, messages);
  if (key.what == kind::uid) key.resolved = resolve(key.set, largest_uid);
  for (auto& child : key.children) bind(child, messages, largest_uid);
}

}  // namespace sim::imap
