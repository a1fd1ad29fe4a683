// Test support: running the real fupin binary as a child process.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace fupin::test_support {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `args` (args[0] = the program) to completion with extra environment variables set
// (an empty value unsets the variable). stdin is /dev/null unless `input` is given.
RunResult Run(const std::vector<std::string>& args,
              const std::map<std::string, std::string>& env = {}, const std::string& input = "");

// A `fupin serve` child on a free port. Waits until it prints its URL.
class ServerProcess {
 public:
  ServerProcess(const std::vector<std::string>& args, const std::filesystem::path& log_dir);
  ~ServerProcess();
  int port() const { return port_; }
  // Sends SIGTERM and waits; returns the exit code (-1 on timeout, when it is then killed).
  int Stop(std::chrono::seconds timeout = std::chrono::seconds(10));
  std::string Log() const;  // everything it wrote to stderr so far

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::filesystem::path out_path_;
  std::filesystem::path err_path_;
};

// A fresh temporary directory, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

std::string ReadFile(const std::filesystem::path& path);
void WriteFile(const std::filesystem::path& path, const std::string& bytes);

}  // namespace fupin::test_support
