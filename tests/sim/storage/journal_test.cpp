// journal: records round-trip; reading stops at the first record a crash
// tore, whatever byte it was cut at; other generations and damage are not
// read as records.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "sim/storage/journal.hpp"

namespace fs = std::filesystem;
using sim::storage::decode_records;
using sim::storage::encode_record;
using sim::storage::journal_block;
using sim::storage::journal_file;
using sim::storage::journal_record;
using kind = journal_record::kind;

namespace {

struct temp_file {
  fs::path path;
  explicit temp_file(std::string_view test)
      : path(fs::temp_directory_path() / ("mailsim-journal-" + std::string(test) + "-" + std::to_string(::getpid()))) {
    fs::remove(path);
  }
  ~temp_file() { fs::remove(path); }
};

// Two batches: three records, then one, each padded to a block.
std::string two_batches(std::uint64_t generation) {
  std::string out;
  encode_record(out, generation, kind::put, "h/queue/A", "message A\r\n");
  encode_record(out, generation, kind::put, "h/mbox/bob/0001", std::string("8-bit \0\xff", 8));
  encode_record(out, generation, kind::remove, "h/queue/A", "");
  sim::storage::pad_to_block(out);
  encode_record(out, generation, kind::put, "h/queue/B", "b");
  sim::storage::pad_to_block(out);
  return out;
}

}  // namespace

TEST_CASE("journal: records round-trip across padded batches") {
  auto got = decode_records(two_batches(7), 7);
  REQUIRE(got.size() == 4);
  CHECK(got[0].path == "h/queue/A");
  CHECK(got[0].value == "message A\r\n");
  CHECK(got[1].value == std::string("8-bit \0\xff", 8));
  CHECK(got[2].what == kind::remove);
  CHECK(got[3].path == "h/queue/B");
  CHECK(two_batches(7).size() == 2 * journal_block);
}

// A batch whose last record ends 0 to 40 bytes before its block's end
// (1 to 3: fewer padding bytes than a record's magic), then another batch:
// both are read, whatever the padding left.
TEST_CASE("journal: a batch ending a few bytes before its block's end does not hide the next one") {
  const std::string path = "h/mbox/bob/0001";
  for (std::size_t tail = 0; tail <= 40; ++tail) {
    INFO("padding bytes: " << tail);
    std::string out;
    std::size_t value = journal_block - sim::storage::journal_record_fixed - path.size() - tail;
    encode_record(out, 3, kind::put, path, std::string(value, 'v'));
    REQUIRE(out.size() == journal_block - tail);
    sim::storage::pad_to_block(out);
    encode_record(out, 3, kind::put, "h/queue/B", "b");
    encode_record(out, 3, kind::remove, "h/queue/A", "");
    sim::storage::pad_to_block(out);
    auto got = decode_records(out, 3);
    REQUIRE(got.size() == 3);
    CHECK(got[0].value.size() == value);
    CHECK(got[1].path == "h/queue/B");
    CHECK(got[2].what == kind::remove);
  }
}

TEST_CASE("journal: a tail cut at every byte gives whole records only and in order") {
  auto data = two_batches(3);
  auto all = decode_records(data, 3);
  std::size_t last = 0;
  for (std::size_t cut = 0; cut <= data.size(); ++cut) {
    auto got = decode_records(std::string_view(data).substr(0, cut), 3);
    REQUIRE(got.size() <= all.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].path == all[i].path);
      CHECK(got[i].value == all[i].value);
    }
    CHECK(got.size() >= last);  // a longer prefix never reads fewer records
    last = got.size();
  }
  CHECK(last == all.size());
}

TEST_CASE("journal: a torn record stops reading even when later bytes look valid") {
  auto data = two_batches(3);
  // Damage one byte of the second record's value: the first record stays.
  std::string damaged = data;
  damaged[24 + 9 + 11 + 24 + 16 + 2] ^= 0x40;
  CHECK(decode_records(damaged, 3).size() == 1);
  // Zeros where the first batch should be (its write never reached the
  // disk): nothing is read, not even the second batch.
  std::string lost = data;
  std::fill(lost.begin(), lost.begin() + journal_block, '\0');
  CHECK(decode_records(lost, 3).empty());
}

TEST_CASE("journal: records of another generation are not read") {
  CHECK(decode_records(two_batches(3), 4).empty());
  // A new generation written over an old one: the old records after it end the reading.
  std::string data = two_batches(3);
  std::string fresh;
  encode_record(fresh, 4, kind::put, "h/queue/C", "c");
  sim::storage::pad_to_block(fresh);
  data.replace(0, fresh.size(), fresh);
  auto got = decode_records(data, 4);
  REQUIRE(got.size() == 1);
  CHECK(got[0].path == "h/queue/C");
}

TEST_CASE("journal: headers round-trip and damage is refused") {
  auto h = sim::storage::decode_header(sim::storage::encode_header(42, true));
  REQUIRE(h);
  CHECK(h->generation == 42);
  CHECK(h->live);
  auto bytes = sim::storage::encode_header(42, false);
  CHECK_FALSE(sim::storage::decode_header(bytes)->live);
  bytes[10] ^= 1;
  CHECK_FALSE(sim::storage::decode_header(bytes));
  CHECK_FALSE(sim::storage::decode_header(std::string(24, '\0')));
}

TEST_CASE("journal: a file reads back its live generation, and nothing once reset") {
  temp_file f("file");
  {
    journal_file j(f.path);
    CHECK_FALSE(j.header().live);
    j.prepare(4 * journal_block);
    CHECK(j.prepared() == 4 * journal_block);
    j.begin(9);
    std::string batch;
    encode_record(batch, 9, kind::put, "q/A", "a");
    sim::storage::pad_to_block(batch);
    j.append(batch);
    j.sync();
    CHECK(j.used() == 2 * journal_block);
  }
  {
    journal_file j(f.path);
    CHECK(j.header().live);
    CHECK(j.header().generation == 9);
    auto got = j.read_all();
    REQUIRE(got.size() == 1);
    CHECK(got[0].value == "a");
    j.reset(4 * journal_block);
  }
  journal_file j(f.path);
  CHECK_FALSE(j.header().live);
  CHECK(j.header().generation == 9);
  CHECK(j.read_all().empty());
  CHECK(fs::file_size(f.path) == 4 * journal_block);
}

TEST_CASE("crc32 is the IEEE one") {
  CHECK(sim::storage::crc32("123456789") == 0xcbf43926u);
  CHECK(sim::storage::crc32("") == 0u);
  // Eight bytes at a time and one at a time agree, at every length and
  // split (zlib: crc32 of "The quick brown fox jumps over the lazy dog").
  std::string fox = "The quick brown fox jumps over the lazy dog";
  CHECK(sim::storage::crc32(fox) == 0x414fa339u);
  for (std::size_t cut = 0; cut <= fox.size(); ++cut)
    CHECK(sim::storage::crc32(std::string_view(fox).substr(cut), sim::storage::crc32(std::string_view(fox).substr(0, cut))) ==
          0x414fa339u);
}
