#include "cli/secret_key.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "base/text.h"
#include "security/crypto.h"

namespace fupin::cli {

std::string DefaultSecretFile(const storage::DatabaseUrl& url) {
  if (url.backend == storage::Backend::kSqlite) return url.target + ".secret";
  const char* home = std::getenv("HOME");
  const std::string dir = std::string(home && *home ? home : ".") + "/.config/fupin";
  // Named after the database, without the password, so that one user can serve several.
  return dir + "/" + security::Sha256Hex(url.Redacted()).substr(0, 16) + ".secret";
}

Result<std::string> LoadOrCreateSecretKey(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    std::error_code ec;
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
      return InvalidArgument(fmt::format("cannot create the secret key file {}", path));
    }
    const std::string key = security::RandomHex(32) + "\n";
    const bool written = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
    ::close(fd);
    if (!written) return Internal(fmt::format("cannot write the secret key file {}", path));
    fmt::print(stderr, "created the secret key file {} — back it up with the database\n", path);
  } else if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return InvalidArgument(
        fmt::format("the secret key file {} may be read by others; chmod 600 it", path));
  }
  auto bytes = ReadFileBytes(path);
  if (!bytes) return std::unexpected(bytes.error());
  const std::string key(Trim(*bytes));
  if (key.size() < 32) {
    return InvalidArgument(fmt::format("the secret key file {} does not hold a key", path));
  }
  return key;
}

std::string SecretKeyFingerprint(const std::string& key) {
  return security::HmacSha256Hex(key, "fupin secret key fingerprint").substr(0, 16);
}

Status CheckSecretKey(storage::Database& db, const std::string& key, const std::string& path) {
  const std::string fingerprint = SecretKeyFingerprint(key);
  auto stored = db.GetMeta("secret_key_fingerprint");
  if (!stored) return std::unexpected(stored.error());
  if (!*stored) return db.SetMeta("secret_key_fingerprint", fingerprint);
  if (**stored != fingerprint) {
    return FailedPrecondition(
        fmt::format("the secret key in {} is not the one this database was used with; point "
                    "--secret-file (or FUPIN_SECRET_FILE) at that key file",
                    path));
  }
  return {};
}

}  // namespace fupin::cli
