// sim/storage/store.hpp - durable named blobs: the MTA's queue and the LDA's mailboxes.
//
// One interface, two twins: memory_store (simulation: durability takes
// virtual time, crash() loses what was in flight) and file_store (live mode:
// files under a directory, made durable in batches by a storage thread).
// Names are relative paths such as "queue/4F2A1C0B9D" or
// "mbox/bob@example.org/0001".
//
// What a crash (or a power loss) may do, for callers to rely on:
//   - a put() that returned survives with exactly its bytes;
//   - a remove() that returned may be undone: the name comes back with its
//     last durable bytes.  Remove a name only once what it held is safe
//     elsewhere (then a crash means work done twice, never data lost);
//   - an operation that had not returned may or may not have happened, and
//     a put in progress leaves the old or the new bytes, never a mix.
// memory_store keeps the stricter promise (removals are durable too);
// file_store keeps exactly this one, which costs no sync for a removal
// (see group_commit.hpp).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "sim/core/asio.hpp"

namespace sim::storage {

// Why an operation did not complete.  `crashed`: the host died while it was
// in flight, so nothing it promised happened; callers treat it as their own
// death, never as success.
enum class store_errc { crashed = 1, bad_name = 2 };
const std::error_category& store_category();
std::error_code make_error_code(store_errc e);

// Thrown by store operations: store_errc codes, or the system's errno for a
// failed file operation.
class store_error : public std::system_error {
 public:
  using std::system_error::system_error;
};

class store {
 public:
  virtual ~store() = default;

  // Returns once `bytes` is durable under `name` (replacing any old value).
  virtual asio::awaitable<void> put(std::string name, std::string bytes) = 0;
  // The same, for bytes that `make` gives (the same bytes whenever it is
  // called): a store that keeps them in memory may make them only when they
  // are read, which for a queue file removed before any restart is never.
  // Others make them at once.
  using bytes_maker = std::function<std::string()>;
  virtual asio::awaitable<void> put_made(std::string name, bytes_maker make) {
    co_await put(std::move(name), make());
  }
  // Returns once the name is gone; removing a missing name is not an error.
  virtual asio::awaitable<void> remove(std::string name) = 0;
  virtual asio::awaitable<std::optional<std::string>> get(std::string name) = 0;
  // Every name that starts with `prefix`, in byte-wise sorted order.
  virtual asio::awaitable<std::vector<std::string>> list(std::string prefix) = 0;
};

// A valid name: non-empty '/'-separated components, none empty, ".", ".."
// or starting with '.' (reserved for temp files), no NUL or backslash.
bool valid_name(std::string_view name);

// `dir` made absolute and normal, without a trailing '/'.
std::filesystem::path absolute_directory(const std::filesystem::path& dir);

}  // namespace sim::storage

template <>
struct std::is_error_code_enum<sim::storage::store_errc> : std::true_type {};
