// sim/imap/command_args.cpp - the arguments of each IMAP command (RFC 9051 §6, §9).
#include <algorithm>
#include <cctype>

#include "sim/imap/command.hpp"
#include "sim/imap/date.hpp"
#include "sim/imap/limits.hpp"
#include "sim/core/ascii.hpp"

namespace sim::imap {

namespace {

using args = std::optional<command_args>;

args fail(parser& p, std::string why) {
  p.fail(std::move(why));
  return std::nullopt;
}

// SP astring, as the mailbox argument of most commands.
std::optional<std::string> mailbox_arg(parser& p) { return p.space() ? p.astring() : std::nullopt; }

// "(" [flag *(SP flag)] ")", or flags without parentheses where STORE allows.
std::optional<flag_list> flags_arg(parser& p, bool parens_optional) {
  bool parens = p.skip('(');
  if (!parens && !parens_optional) return p.fail("flag list expected"), std::nullopt;
  flag_list out;
  if (parens && p.skip(')')) return out;
  do {
    bool system = p.skip('\\');
    auto name = p.atom();
    auto flag = name ? storable_flag((system ? "\\" : "") + *name) : std::nullopt;
    if (!flag) return p.fail("invalid flag (\\Recent and unknown \\flags cannot be set)"), std::nullopt;
    add_flags(out, {*flag});
  } while (p.space());
  if (parens && !p.skip(')')) return p.fail("unbalanced parentheses in flag list"), std::nullopt;
  return out;
}

// "(" atom *(SP atom) ")", upper-cased; empty parentheses allowed.
std::optional<std::vector<std::string>> atom_list(parser& p) {
  if (!p.skip('(')) return std::nullopt;
  std::vector<std::string> out;
  if (p.skip(')')) return out;
  do {
    auto a = p.atom();
    if (!a || out.size() >= limits::max_fetch_items) return std::nullopt;
    out.push_back(ascii::to_upper(*a));
  } while (p.space());
  if (!p.skip(')')) return std::nullopt;
  return out;
}

args login(parser& p) {
  auto user = p.astring();
  auto password = user && p.space() ? p.astring() : std::nullopt;
  if (!password) return fail(p, "LOGIN needs a user name and a password");
  return login_args{std::move(*user), std::move(*password)};
}

args authenticate(parser& p) {
  auto mechanism = p.atom();
  if (!mechanism) return fail(p, "AUTHENTICATE needs a mechanism");
  authenticate_args out{ascii::to_upper(*mechanism), std::nullopt};
  if (p.space()) {
    // RFC 4959: initial-response = base64 / "="
    auto ir = p.until(" ");
    if (ir.empty()) return fail(p, "invalid initial response");
    out.initial = std::string(ir);
  }
  return out;
}

// RFC 2971 §4: "ID" SP ("(" field SP value *(SP field SP value) ")" / NIL)
args id(parser& p) {
  id_args out;
  if (p.word("NIL")) return out;
  if (!p.skip('(')) return fail(p, "ID needs a parenthesized list or NIL");
  do {
    auto field = p.string();
    auto value = field && p.space() ? p.nstring() : std::nullopt;
    if (!value) return fail(p, "ID fields are pairs of strings");
    if (out.fields.size() >= limits::id_fields || field->size() > limits::id_field_length ||
        (*value && (*value)->size() > limits::id_value_length)) {
      return fail(p, "ID list too long (RFC 2971 section 3.3)");
    }
    out.fields.emplace_back(std::move(*field), std::move(*value));
  } while (p.space());
  if (!p.skip(')')) return fail(p, "unbalanced parentheses in ID");
  return out;
}

args enable(parser& p) {
  enable_args out;
  do {
    auto cap = p.atom();
    if (!cap) return fail(p, "ENABLE needs capability names");
    out.capabilities.push_back(ascii::to_upper(*cap));
  } while (p.space());
  return out;
}

args mailbox(parser& p) {
  auto name = p.astring();
  if (!name) return fail(p, "mailbox name expected");
  return mailbox_args{std::move(*name)};
}

args rename(parser& p) {
  auto from = p.astring();
  auto to = from ? mailbox_arg(p) : std::nullopt;
  if (!to) return fail(p, "RENAME needs two mailbox names");
  return rename_args{std::move(*from), std::move(*to)};
}

// LIST [SP "(" select-opts ")"] SP reference SP (pattern / "(" patterns ")") [SP RETURN SP "(" opts ")"]
args list(parser& p, bool lsub) {
  list_args out;
  if (!lsub && p.peek() == '(') {
    auto opts = atom_list(p);
    if (!opts || !p.space()) return fail(p, "invalid LIST selection options");
    out.select_options = std::move(*opts);
  }
  auto reference = p.astring();
  if (!reference || !p.space()) return fail(p, "LIST needs a reference and a mailbox pattern");
  out.reference = std::move(*reference);
  bool several = !lsub && p.skip('(');
  do {
    auto pattern = p.list_mailbox();
    if (!pattern) return fail(p, "invalid mailbox pattern");
    out.patterns.push_back(std::move(*pattern));
  } while (several && p.space());
  if (several && !p.skip(')')) return fail(p, "unbalanced parentheses in LIST patterns");
  if (!lsub && p.space()) {
    auto opts = p.word("RETURN") && p.space() ? atom_list(p) : std::nullopt;
    if (!opts) return fail(p, "invalid LIST return options");
    out.return_options = std::move(*opts);
  }
  return out;
}

args status(parser& p) {
  auto name = p.astring();
  auto items = name && p.space() ? atom_list(p) : std::nullopt;
  if (!items || items->empty()) return fail(p, "STATUS needs a mailbox and a list of items");
  return status_args{std::move(*name), std::move(*items)};
}

// APPEND mailbox [SP flag-list] [SP date-time] SP literal
args append(parser& p) {
  append_args out;
  auto name = p.astring();
  if (!name || !p.space()) return fail(p, "APPEND needs a mailbox and a message");
  out.mailbox = std::move(*name);
  if (p.peek() == '(') {
    auto flags = flags_arg(p, false);
    if (!flags || !p.space()) return fail(p, "invalid APPEND flags");
    out.flags = std::move(*flags);
  }
  if (p.peek() == '"') {
    auto text = p.quoted();
    out.date = text ? parse_date_time(*text) : std::nullopt;
    if (!out.date || !p.space()) return fail(p, "invalid APPEND date-time (\"05-Jan-2026 09:00:00 +0000\")");
  }
  if (p.peek() != '{') return fail(p, "APPEND needs the message as a literal");
  auto message = p.literal();
  if (!message) return fail(p, "invalid APPEND literal");
  out.message = std::move(*message);
  return out;
}

args search(parser& p) {
  search_args out;
  if (p.word("CHARSET")) {
    auto charset = p.space() ? p.astring() : std::nullopt;
    if (!charset || !p.space()) return fail(p, "CHARSET needs a name");
    out.charset = ascii::to_upper(*charset);
  }
  auto key = parse_search_keys(p);
  if (!key) return fail(p, "invalid search keys");
  out.key = std::move(*key);
  return out;
}

args fetch(parser& p) {
  auto set = parse_sequence_set(p);
  auto items = set && p.space() ? parse_fetch_items(p) : std::nullopt;
  if (!items) return fail(p, "FETCH needs a sequence set and data items");
  return fetch_args{std::move(*set), std::move(*items)};
}

// STORE set SP ["+" / "-"] "FLAGS" [".SILENT"] SP (flag-list / flag *(SP flag))
args store(parser& p) {
  store_args out;
  auto set = parse_sequence_set(p);
  if (!set || !p.space()) return fail(p, "STORE needs a sequence set");
  out.set = std::move(*set);
  if (p.skip('+')) out.how = store_args::mode::add;
  else if (p.skip('-')) out.how = store_args::mode::remove;
  if (p.word("FLAGS.SILENT")) out.silent = true;
  else if (!p.word("FLAGS")) return fail(p, "STORE takes FLAGS, +FLAGS or -FLAGS");
  auto flags = p.space() ? flags_arg(p, true) : std::nullopt;
  if (!flags) return fail(p, "invalid STORE flags");
  out.flags = std::move(*flags);
  return out;
}

args copy(parser& p) {
  auto set = parse_sequence_set(p);
  auto name = set ? mailbox_arg(p) : std::nullopt;
  if (!name) return fail(p, "COPY and MOVE need a sequence set and a mailbox");
  return copy_args{std::move(*set), std::move(*name)};
}

args dispatch(const command_head& head, parser& p) {
  const std::string& n = head.name;
  if (n == "LOGIN") return login(p);
  if (n == "AUTHENTICATE") return authenticate(p);
  if (n == "ID") return id(p);
  if (n == "ENABLE") return enable(p);
  if (n == "SELECT" || n == "EXAMINE" || n == "CREATE" || n == "DELETE" || n == "SUBSCRIBE" || n == "UNSUBSCRIBE")
    return mailbox(p);
  if (n == "RENAME") return rename(p);
  if (n == "LIST" || n == "LSUB") return list(p, n == "LSUB");
  if (n == "STATUS") return status(p);
  if (n == "APPEND") return append(p);
  if (n == "SEARCH") return search(p);
  if (n == "FETCH") return fetch(p);
  if (n == "STORE") return store(p);
  if (n == "COPY" || n == "MOVE") return copy(p);
  if (n == "EXPUNGE" && head.uid) {
    auto set = parse_sequence_set(p);
    if (!set) return fail(p, "UID EXPUNGE needs a UID set");
    return set_args{std::move(*set)};
  }
  return no_args{};
}

}  // namespace

std::optional<command_args> parse_arguments(const command_head& head, parser& p) {
  auto out = dispatch(head, p);
  if (!out) return std::nullopt;
  if (!p.at_end()) {
    p.fail(std::holds_alternative<no_args>(*out) ? head.name + " takes no arguments" : "unexpected text after the arguments");
    return std::nullopt;
  }
  return out;
}

}  // namespace sim::imap
