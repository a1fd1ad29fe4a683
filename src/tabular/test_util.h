// Helpers for the tabular unit tests: a scratch directory, whole-file I/O, building and
// inspecting zip archives with libzip, and reading a whole table through TableReader.
// Thread-safety: test code, single-threaded.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "tabular/reader.h"

namespace fupin::tabular::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it at destruction.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
                          "/fupin-tabular-test-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string Path(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << path;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Writes a zip archive holding `entries` (name, content), deflated.
inline void WriteZip(const std::string& path,
                     const std::vector<std::pair<std::string, std::string>>& entries) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  ASSERT_NE(archive, nullptr) << "zip_open " << error;
  for (const auto& [name, content] : entries) {
    // libzip reads the buffer at zip_close(); `entries` outlives that.
    zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
    ASSERT_NE(source, nullptr);
    ASSERT_GE(zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8), 0) << name;
  }
  ASSERT_EQ(zip_close(archive), 0) << zip_strerror(archive);
}

// The content of one entry of a zip archive; empty when it is missing.
inline std::string ReadZipEntry(const std::string& path, const std::string& name) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &error);
  if (archive == nullptr) return "";
  std::string content;
  if (zip_file_t* file = zip_fopen(archive, name.c_str(), 0)) {
    char buffer[4096];
    zip_int64_t n = 0;
    while ((n = zip_fread(file, buffer, sizeof buffer)) > 0) {
      content.append(buffer, static_cast<size_t>(n));
    }
    zip_fclose(file);
  }
  zip_discard(archive);
  return content;
}

struct Table {
  std::vector<std::string> header;
  std::vector<Row> rows;
  std::string format;
};

// Reads a whole table; the first error of Open() or Next() is returned.
inline Result<Table> ReadAll(const std::string& path, ReadOptions options = {}) {
  auto reader = TableReader::Open(path, std::move(options));
  if (!reader) return std::unexpected(reader.error());
  Table table;
  table.header = (*reader)->header();
  table.format = std::string((*reader)->format());
  Row row;
  while (true) {
    auto more = (*reader)->Next(row);
    if (!more) return std::unexpected(more.error());
    if (!*more) break;
    table.rows.push_back(row);
  }
  return table;
}

// True in AddressSanitizer builds, whose quarantine of freed memory makes peak-RSS
// measurements meaningless; tests of memory use skip themselves there.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif

// Resets the process's peak resident memory to its current value (Linux: clear_refs 5), so
// that a measurement is not hidden under the peak of an earlier test. Best effort.
inline void ResetPeakRss() {
  std::ofstream clear_refs("/proc/self/clear_refs");
  clear_refs << "5";
}

// Peak resident memory of this process (since the last ResetPeakRss()), in bytes.
inline long PeakRssBytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss * 1024L;
}

}  // namespace fupin::tabular::testing
