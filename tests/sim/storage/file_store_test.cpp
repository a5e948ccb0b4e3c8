// file_store: files under a directory, durable puts, leftover temp files
// discarded on open.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "sim/storage/file_store.hpp"
#include "tests/sim/storage/outcome.hpp"

namespace fs = std::filesystem;
using sim::storage::file_store;
using sim::storage::store_errc;
using sim::testing::run_now;

namespace {

// A fresh directory for one test, deleted afterwards.
struct temp_dir {
  fs::path path;
  explicit temp_dir(std::string_view test)
      : path(fs::temp_directory_path() / ("mailsim-file-store-" + std::string(test) + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
  }
  ~temp_dir() { fs::remove_all(path); }
};

void write_file(const fs::path& path, std::string_view bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace

TEST_CASE("file_store: put then get round-trips every byte") {
  temp_dir dir("roundtrip");
  std::string want("line 1\r\n\0\xff\x80 8-bit\r\n", 20);
  {
    file_store store(dir.path);
    run_now(store.put("mbox/bob@example.org/0001", want));
    CHECK(run_now(store.get("mbox/bob@example.org/0001")) == std::optional<std::string>(want));
    CHECK(run_now(store.get("mbox/bob@example.org/0002")) == std::nullopt);
    CHECK(run_now(store.get("mbox")) == std::nullopt);  // a directory is no entry
  }
  // A stopped store leaves the value as a plain file.
  std::ifstream in(dir.path / "mbox" / "bob@example.org" / "0001", std::ios::binary);
  CHECK(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()) == want);
}

TEST_CASE("file_store: put replaces, and leaves no temp file behind") {
  temp_dir dir("replace");
  {
    file_store store(dir.path);
    run_now(store.put("queue/A", "first version, longer"));
    run_now(store.put("queue/A", "second"));
    CHECK(run_now(store.get("queue/A")) == std::optional<std::string>("second"));
  }
  file_store store(dir.path);
  CHECK(run_now(store.get("queue/A")) == std::optional<std::string>("second"));
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::recursive_directory_iterator(dir.path / "queue")) ++files;
  CHECK(files == 1);
}

TEST_CASE("file_store: data survives reopening the store") {
  temp_dir dir("reopen");
  {
    file_store store(dir.path);
    run_now(store.put("queue/A", "a"));
  }
  file_store again(dir.path);
  CHECK(run_now(again.get("queue/A")) == std::optional<std::string>("a"));
  CHECK(again.discarded_temp_files() == 0);
}

TEST_CASE("file_store: temp files are discarded when the store is opened") {
  temp_dir dir("leftovers");
  {
    file_store store(dir.path);
    run_now(store.put("queue/A", "complete"));
  }
  write_file(dir.path / "queue" / ".tmp-B.7", "half writ");
  write_file(dir.path / "mbox" / "bob@example.org" / ".tmp-0003.9", "");
  file_store store(dir.path);
  CHECK(store.discarded_temp_files() == 2);
  CHECK_FALSE(fs::exists(dir.path / "queue" / ".tmp-B.7"));
  CHECK_FALSE(fs::exists(dir.path / "mbox" / "bob@example.org" / ".tmp-0003.9"));
  CHECK(run_now(store.list("")) == std::vector<std::string>{"queue/A"});
  CHECK(run_now(store.get("queue/A")) == std::optional<std::string>("complete"));
}

TEST_CASE("file_store: a file holds the value as it is, so a spool of plain files reads back unchanged") {
  temp_dir dir("plain");
  {
    file_store store(dir.path);
    run_now(store.put("queue/A", "some bytes"));
  }
  std::ifstream in(dir.path / "queue" / "A", std::ios::binary);
  CHECK(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()) == "some bytes");
  write_file(dir.path / "queue" / "B", "a queue file written by an older mailsim");
  file_store again(dir.path);
  CHECK(again.discarded_temp_files() == 0);
  CHECK(run_now(again.list("queue/")) == std::vector<std::string>{"queue/A", "queue/B"});
  CHECK(run_now(again.get("queue/B")) == std::optional<std::string>("a queue file written by an older mailsim"));
}

TEST_CASE("file_store: list returns the names under a prefix in sorted order") {
  temp_dir dir("list");
  file_store store(dir.path);
  for (auto name : {"queue/C", "mbox/bob@example.org/0002", "queue/A", "mbox/bob@example.org/0001", "queueX"}) {
    run_now(store.put(name, "."));
  }
  using names = std::vector<std::string>;
  CHECK(run_now(store.list("queue/")) == names{"queue/A", "queue/C"});
  CHECK(run_now(store.list("queue")) == names{"queue/A", "queue/C", "queueX"});
  CHECK(run_now(store.list("mbox/bob@example.org/")) == names{"mbox/bob@example.org/0001", "mbox/bob@example.org/0002"});
  CHECK(run_now(store.list("mbox/alice/")) == names{});
  CHECK(run_now(store.list("")).size() == 5);
}

TEST_CASE("file_store: remove deletes, removing a missing name is not an error") {
  temp_dir dir("remove");
  file_store store(dir.path);
  run_now(store.put("queue/A", "a"));
  run_now(store.remove("queue/A"));
  CHECK(run_now(store.get("queue/A")) == std::nullopt);
  CHECK_FALSE(fs::exists(dir.path / "queue" / "A"));
  CHECK_NOTHROW(run_now(store.remove("queue/A")));
  CHECK_NOTHROW(run_now(store.remove("never/existed")));
}

TEST_CASE("file_store: invalid names are refused and touch nothing outside the root") {
  temp_dir dir("names");
  file_store store(dir.path);
  for (auto name : {"", "/etc/x", "../escape", "queue/../../x", "queue/.tmp-A", "queue//A"}) {
    INFO(name);
    try {
      run_now(store.put(name, "x"));
      FAIL("accepted");
    } catch (const sim::storage::store_error& e) {
      CHECK(e.code() == store_errc::bad_name);
    }
  }
  CHECK(run_now(store.list("")).empty());
}

TEST_CASE("file_store: bytes put as a maker are made at once and written as they are") {
  temp_dir dir("made");
  file_store store(dir.path);
  int made = 0;
  run_now(store.put_made("queue/M", [&made] {
    ++made;
    return std::string("made bytes");
  }));
  CHECK(made == 1);
  CHECK(run_now(store.get("queue/M")) == std::optional<std::string>("made bytes"));
}
