// sim/storage/journal.cpp - journal records and files (format in journal.hpp).
#include "sim/storage/journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "sim/storage/store.hpp"

namespace sim::storage {

namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t record_magic = 0x314a534d;  // "MSJ1" read as little-endian bytes
constexpr std::string_view header_magic = "MSJHDR01";
constexpr std::size_t header_bytes = 24;

[[noreturn]] void fail_with(int error, const std::string& what, const fs::path& path) {
  throw store_error(std::error_code(error, std::system_category()), what + " " + path.string());
}

// Slicing by 8 (eight tables: table k gives a byte's CRC followed by k
// zero bytes), so that the committer spends little time on it while it
// holds the appending: the same CRC as one table, byte at a time.
using crc_tables = std::array<std::array<std::uint32_t, 256>, 8>;

const crc_tables& crc_table() {
  static const auto tables = [] {
    crc_tables t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[0][i] = c;
    }
    for (std::uint32_t i = 0; i < 256; ++i)
      for (std::size_t k = 1; k < 8; ++k) t[k][i] = t[0][t[k - 1][i] & 0xff] ^ (t[k - 1][i] >> 8);
    return t;
  }();
  return tables;
}

void put_le(std::string& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint64_t get_le(std::string_view in, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= std::uint64_t(static_cast<unsigned char>(in[at + i])) << (8 * i);
  return v;
}

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) {
  const auto& t = crc_table();
  crc = ~crc;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint32_t lo = crc ^ (std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
                              std::uint32_t(p[3]) << 24);
    crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^ t[3][p[4]] ^
          t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]];
  }
  for (; n > 0; ++p, --n) crc = t[0][(crc ^ *p) & 0xff] ^ (crc >> 8);
  return ~crc;
}

void encode_record(std::string& out, std::uint64_t generation, journal_record::kind what, std::string_view path,
                   std::string_view value) {
  std::size_t start = out.size();
  put_le(out, record_magic, 4);
  put_le(out, 0, 4);  // the CRC, filled in below
  put_le(out, generation, 8);
  out.push_back(static_cast<char>(what));
  out.push_back(0);
  put_le(out, path.size(), 2);
  put_le(out, value.size(), 4);
  out.append(path);
  out.append(value);
  std::uint32_t crc = crc32(std::string_view(out).substr(start + 8));
  for (int i = 0; i < 4; ++i) out[start + 4 + i] = static_cast<char>((crc >> (8 * i)) & 0xff);
}

void pad_to_block(std::string& out) { out.resize((out.size() + journal_block - 1) / journal_block * journal_block, '\0'); }

// A zero where a record should start, inside a block, is the padding that
// ends a batch: the next batch starts at the next block.  Only the bytes
// left in this block are looked at: a batch whose last record ends 1 to 3
// bytes before the block's end has fewer padding bytes than a magic, and
// the next batch's magic follows them (read as one number, neither zero nor
// a magic, it would end the reading there, and every later batch with it).
std::vector<journal_record> decode_records(std::string_view data, std::uint64_t generation) {
  std::vector<journal_record> out;
  std::size_t at = 0;
  while (at + journal_record_fixed <= data.size()) {
    if (at % journal_block != 0) {
      auto block_end = (at / journal_block + 1) * journal_block;
      auto rest = data.substr(at, std::min<std::size_t>(4, block_end - at));
      if (rest.find_first_not_of('\0') == std::string_view::npos) {
        at = block_end;
        continue;
      }
    }
    auto magic = get_le(data, at, 4);
    if (magic != record_magic || get_le(data, at + 8, 8) != generation) break;
    auto kind = static_cast<unsigned char>(data[at + 16]);
    std::size_t path_len = get_le(data, at + 18, 2), value_len = get_le(data, at + 20, 4);
    std::size_t end = at + journal_record_fixed + path_len + value_len;
    if ((kind != 1 && kind != 2) || end > data.size()) break;
    if (crc32(data.substr(at + 8, end - at - 8)) != get_le(data, at + 4, 4)) break;
    journal_record r;
    r.what = static_cast<journal_record::kind>(kind);
    r.path = data.substr(at + journal_record_fixed, path_len);
    r.value = data.substr(at + journal_record_fixed + path_len, value_len);
    out.push_back(std::move(r));
    at = end;
  }
  return out;
}

std::string encode_header(std::uint64_t generation, bool live) {
  std::string out(header_magic);
  put_le(out, generation, 8);
  put_le(out, live ? 1 : 0, 4);
  put_le(out, crc32(out), 4);
  return out;
}

std::optional<journal_header> decode_header(std::string_view block) {
  if (block.size() < header_bytes || block.substr(0, 8) != header_magic) return std::nullopt;
  if (crc32(block.substr(0, 20)) != get_le(block, 20, 4)) return std::nullopt;
  auto state = get_le(block, 16, 4);
  if (state > 1) return std::nullopt;
  return journal_header{get_le(block, 8, 8), state == 1};
}

journal_file::journal_file(fs::path path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) fail_with(errno, "open journal", path_);
  for (auto& fd : sync_fds_) {
    fd = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) {
      int error = errno;
      for (int other : sync_fds_)
        if (other >= 0) ::close(other);
      ::close(fd_);
      fail_with(error, "open journal", path_);
    }
  }
  struct stat st {};
  if (::fstat(fd_, &st) != 0) fail_with(errno, "stat journal", path_);
  prepared_ = static_cast<std::size_t>(st.st_size);
  std::string block(header_bytes, '\0');
  if (::pread(fd_, block.data(), block.size(), 0) == static_cast<ssize_t>(block.size()))
    header_ = decode_header(block).value_or(journal_header{});
}

journal_file::~journal_file() {
  if (fd_ >= 0) ::close(fd_);
  for (int fd : sync_fds_)
    if (fd >= 0) ::close(fd);
}

std::vector<journal_record> journal_file::read_all() const {
  if (!header_.live || prepared_ <= journal_block) return {};
  std::string data(prepared_ - journal_block, '\0');
  std::size_t got = 0;
  while (got < data.size()) {
    auto n = ::pread(fd_, data.data() + got, data.size() - got, static_cast<off_t>(journal_block + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_with(errno, "read journal", path_);
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  data.resize(got);
  return decode_records(data, header_.generation);
}

void journal_file::begin(std::uint64_t generation) {
  header_ = {generation, true};
  header_pending_ = true;
  end_ = journal_block;
}

void journal_file::write_at(std::string_view bytes, std::size_t offset) {
  while (!bytes.empty()) {
    auto n = ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_with(errno, "write journal", path_);
    bytes.remove_prefix(static_cast<std::size_t>(n));
    offset += static_cast<std::size_t>(n);
  }
}

void journal_file::append(std::string_view bytes) {
  if (header_pending_) {
    write_at(encode_header(header_.generation, true), 0);
    header_pending_ = false;
  }
  write_at(bytes, end_);
  end_ += bytes.size();
  prepared_ = std::max(prepared_, end_);
}

void journal_file::sync() {
  if (::fdatasync(fd_) != 0) fail_with(errno, "fdatasync journal", path_);
}

void journal_file::sync(std::size_t k) {
  if (::fdatasync(sync_fds_[k]) != 0) fail_with(errno, "fdatasync journal", path_);
}

void journal_file::reset(std::size_t keep) {
  write_at(encode_header(header_.generation, false), 0);
  header_.live = false;
  header_pending_ = false;
  end_ = journal_block;
  if (prepared_ > keep && ::ftruncate(fd_, static_cast<off_t>(keep)) == 0) prepared_ = keep;
  sync();
}

void journal_file::prepare(std::size_t size) {
  if (prepared_ >= size) return;
  static const std::string zeros(1 << 20, '\0');
  while (prepared_ < size) {
    auto n = std::min(zeros.size(), size - prepared_);
    write_at(std::string_view(zeros).substr(0, n), prepared_);
    prepared_ += n;
  }
  if (::fsync(fd_) != 0) fail_with(errno, "fsync journal", path_);
}

}  // namespace sim::storage
