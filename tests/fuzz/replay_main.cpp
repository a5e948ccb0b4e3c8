// tests/fuzz/replay_main.cpp - runs fuzz targets over files, without libFuzzer.
//
//   fuzz_replay TARGET PATH...
//
// Calls TARGET's LLVMFuzzerTestOneInput once per file under each PATH (a
// file, or a folder read recursively; names starting with "." skipped), in
// name order, so that the ordinary test suite replays the seed corpora and
// every input that once crashed.  Each target's entry point is compiled
// under the name mailsim_fuzz_<target> (tests/fuzz/CMakeLists.txt), which
// lets one program hold them all.  A broken invariant aborts, as it does
// under libFuzzer; the file being run is printed first.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#define MAILSIM_FUZZ_TARGET(name) extern "C" int mailsim_fuzz_##name(const std::uint8_t*, std::size_t);
#include "fuzz_targets.inc"
#undef MAILSIM_FUZZ_TARGET

namespace {

using entry_point = int (*)(const std::uint8_t*, std::size_t);

struct target {
  std::string_view name;
  entry_point run;
};

const target targets[] = {
#define MAILSIM_FUZZ_TARGET(name) {#name, &mailsim_fuzz_##name},
#include "fuzz_targets.inc"
#undef MAILSIM_FUZZ_TARGET
};

std::vector<std::filesystem::path> files_under(const std::filesystem::path& path) {
  std::vector<std::filesystem::path> out;
  if (std::filesystem::is_regular_file(path)) return {path};
  if (!std::filesystem::is_directory(path)) return out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(path)) {
    if (e.is_regular_file() && e.path().filename().string().front() != '.') out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: fuzz_replay TARGET PATH...\n");
    return 2;
  }
  std::string_view name = argv[1];
  auto t = std::find_if(std::begin(targets), std::end(targets), [&](const target& x) { return x.name == name; });
  if (t == std::end(targets)) {
    std::fprintf(stderr, "fuzz_replay: no target named %s\n", argv[1]);
    return 2;
  }
  std::size_t count = 0;
  for (int i = 2; i < argc; ++i) {
    for (const auto& file : files_under(argv[i])) {
      std::string data = read_all(file);
      std::fprintf(stderr, "%s\n", file.string().c_str());
      t->run(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
      ++count;
    }
  }
  std::printf("%s: %zu inputs replayed\n", argv[1], count);
  if (count == 0) {
    std::fprintf(stderr, "fuzz_replay: no input files for %s (its seed corpus is missing)\n", argv[1]);
    return 1;
  }
  return 0;
}
