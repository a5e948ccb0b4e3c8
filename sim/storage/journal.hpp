// sim/storage/journal.hpp - the spool's write-ahead journal: records in a preallocated file.
//
// A journal file is a header block and records appended after it, each
// batch of records padded to the next block so that a later batch never
// rewrites a block an earlier (acknowledged) batch lives in.  The file's
// blocks are written with zeros once (prepare), so that appending a batch
// overwrites blocks already allocated: its fdatasync then only writes the
// data and flushes the disk cache, with no file-system journal commit to
// wait for (none of the file's metadata that a read needs has changed).
//
// Header (first 24 bytes of block 0): magic "MSJHDR01", generation (u64),
// state (u32: 0 empty, 1 live), CRC-32 of the 20 bytes before it.
// Record: magic "MSJ1" (u32), CRC-32 of everything after this field (u32),
// generation (u64), kind (u8: 1 put, 2 remove), 0 (u8), path length (u16),
// value length (u32), then the path (relative to the journal's directory)
// and the value.  Little-endian.  Padding is zeros.
//
// Reading stops at the first record that is not whole, not of the header's
// generation or fails its CRC: a torn tail (a batch the kill or power loss
// cut short, never acknowledged) or what an earlier generation left.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::storage {

struct journal_record {
  enum class kind : std::uint8_t { put = 1, remove = 2 };
  kind what = kind::put;
  std::string path;   // relative to the journal's directory
  std::string value;  // a put's bytes
};

inline constexpr std::size_t journal_block = 4096;
inline constexpr std::size_t journal_record_fixed = 24;  // a record's bytes before its path

// CRC-32 (IEEE 802.3, as zlib's), continued from `crc`.
std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0);

// Appends one record to `out`.
void encode_record(std::string& out, std::uint64_t generation, journal_record::kind what, std::string_view path,
                   std::string_view value);
// Pads `out` with zeros to a whole number of blocks.
void pad_to_block(std::string& out);
// The records of `generation` at the start of `data` (which begins at a
// block boundary), up to the first one that is not valid.
std::vector<journal_record> decode_records(std::string_view data, std::uint64_t generation);

std::string encode_header(std::uint64_t generation, bool live);
// The generation of a valid header, and whether it is live.
struct journal_header {
  std::uint64_t generation = 0;
  bool live = false;
};
std::optional<journal_header> decode_header(std::string_view block);

// One journal file, open for reading and writing.  Not thread-safe: one
// thread at a time (the committer appends; the checkpointer resets a
// journal the committer no longer uses).
class journal_file {
 public:
  // Opens or creates `path`.  Throws store_error.
  explicit journal_file(std::filesystem::path path);
  ~journal_file();
  journal_file(const journal_file&) = delete;
  journal_file& operator=(const journal_file&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // The header as found on the disk when opened (nothing valid: empty).
  const journal_header& header() const { return header_; }
  // Every record the file holds for its live generation (none when empty).
  std::vector<journal_record> read_all() const;

  // Starts a new live generation: the header goes out with the first
  // append (and is durable with its sync).
  void begin(std::uint64_t generation);
  // Writes `bytes` (whole blocks) after the last append.  Not durable yet.
  void append(std::string_view bytes);
  // fdatasync.  Throws store_error (then nothing appended since the last
  // sync may be counted on).
  void sync();
  // The same through syncer `k`'s own descriptor (k < syncers): a write
  // error is reported to every open file description, so each of the
  // threads that sync concurrently learns of it (through one shared
  // descriptor, only the first to ask would).
  void sync(std::size_t k);
  static constexpr std::size_t syncers = 2;
  // Bytes used so far (header block included).
  std::size_t used() const { return end_; }
  // Marks the file empty (durably).  Grown past `keep` bytes, it is cut
  // back to them.
  void reset(std::size_t keep);
  // Writes zeros up to `size` bytes (durably), so that appends there
  // overwrite allocated blocks.
  void prepare(std::size_t size);
  // Bytes written so far (zeros or records): appends below this are cheap.
  std::size_t prepared() const { return prepared_; }
  int fd() const { return fd_; }

 private:
  void write_at(std::string_view bytes, std::size_t offset);

  std::filesystem::path path_;
  int fd_ = -1;
  int sync_fds_[syncers] = {-1, -1};
  journal_header header_;
  bool header_pending_ = false;
  std::size_t end_ = journal_block;
  std::size_t prepared_ = 0;  // bytes known written (zeros or records)
};

}  // namespace sim::storage
