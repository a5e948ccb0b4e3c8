// sim/imap/command.hpp - IMAP commands as the server receives them (RFC 9051 §6).
//
// A command is "tag SP name [SP arguments]", "UID" prefixing FETCH, STORE,
// SEARCH, COPY, MOVE and EXPUNGE.  split_command() finds the tag and the
// name (so that the server can check the state before anything else);
// parse_arguments() reads the rest into the command's own structure.  Mailbox
// names stay in their wire form here: each command decides what an
// unusable name means for it (mailbox_name.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/imap/fetch_items.hpp"
#include "sim/imap/flags.hpp"
#include "sim/imap/parser.hpp"
#include "sim/imap/search.hpp"
#include "sim/imap/sequence_set.hpp"

namespace sim::imap {

struct no_args {};
struct set_args {  // UID EXPUNGE
  sequence_set set;
};
struct login_args {
  std::string user;
  std::string password;
};
struct authenticate_args {
  std::string mechanism;                // upper case
  std::optional<std::string> initial;   // RFC 4959 SASL-IR, still base64 ("=" is empty)
};
struct id_args {  // RFC 2971; NIL is an empty list
  std::vector<std::pair<std::string, std::optional<std::string>>> fields;
};
struct enable_args {  // RFC 5161
  std::vector<std::string> capabilities;
};
struct mailbox_args {  // SELECT, EXAMINE, CREATE, DELETE, SUBSCRIBE, UNSUBSCRIBE
  std::string mailbox;
};
struct rename_args {
  std::string from;
  std::string to;
};
struct list_args {  // LIST (with RFC 5258 options as far as RFC 6154 needs) and LSUB
  std::vector<std::string> select_options;  // upper case
  std::string reference;
  std::vector<std::string> patterns;
  std::vector<std::string> return_options;  // upper case
};
struct status_args {
  std::string mailbox;
  std::vector<std::string> items;  // upper case
};
struct append_args {
  std::string mailbox;
  flag_list flags;
  std::optional<wall_time> date;
  std::string message;
};
struct search_args {
  std::optional<std::string> charset;
  search_key key;
};
struct fetch_args {
  sequence_set set;
  std::vector<fetch_item> items;
};
struct store_args {
  enum class mode { replace, add, remove };
  sequence_set set;
  mode how = mode::replace;
  bool silent = false;
  flag_list flags;
};
struct copy_args {  // COPY and MOVE
  sequence_set set;
  std::string mailbox;
};

using command_args = std::variant<no_args, set_args, login_args, authenticate_args, id_args, enable_args,
                                  mailbox_args, rename_args, list_args, status_args, append_args, search_args,
                                  fetch_args, store_args, copy_args>;

// The head of a command: its tag and name (upper case; "UID" is a flag).
struct command_head {
  std::string tag;
  std::string name;
  bool uid = false;
};

struct split_result {
  std::optional<std::string> tag;  // nullopt: no valid tag (answer "* BAD")
  std::optional<command_head> head;
  std::size_t arguments_at = 0;  // where the arguments start (after the SP)
  std::string error;
};
split_result split_command(std::string_view text);

// Reads the arguments of `head.name` from `p` (positioned after the SP, or
// at the end when there are none) to the end of the command.  nullopt with
// p.error() set on a syntax error; unknown names are the caller's business.
std::optional<command_args> parse_arguments(const command_head& head, parser& p);

// The command line for a trace: literals shown as their "{n}" announcement,
// LOGIN's password and AUTHENTICATE's initial response as "********".
std::string display_command(std::string_view text);

}  // namespace sim::imap
