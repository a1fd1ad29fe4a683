// The installation's secret key: 32 random bytes (hex) in a file of its own, readable only by
// its owner. It keys the HMACs that stand for sensitive values (ID numbers, phones, bank
// accounts, health) in the audit log, so that whoever obtains the database alone cannot test
// guesses against them. Kept out of the database on purpose; back it up with the database
// (docs/operations.md).
//
// Where it lives: --secret-file / FUPIN_SECRET_FILE / `secret_file` in the config file; by
// default next to an SQLite database (`PATH.secret`), and for PostgreSQL in
// ~/.config/fupin/ named after the server and database. A missing file is created.
// The database remembers a fingerprint of the key it was first used with, and a different key
// is refused, since HMACs made with it could not be matched against the older ones.
// Thread-safety: call from one thread at start-up.
#pragma once

#include <string>

#include "base/error.h"
#include "storage/database.h"

namespace fupin::cli {

// The default key file for a database URL.
std::string DefaultSecretFile(const storage::DatabaseUrl& url);

// Reads the key from `path`, creating the file (mode 0600) with a fresh key when it does not
// exist. kInvalidArgument for a file that does not hold a key, or one others may read.
Result<std::string> LoadOrCreateSecretKey(const std::string& path);

// A fingerprint of the key that can be stored openly (an HMAC of a fixed label).
std::string SecretKeyFingerprint(const std::string& key);

// Records the key's fingerprint in the database on first use; kFailedPrecondition naming
// `path` when the database was used with another key.
Status CheckSecretKey(storage::Database& db, const std::string& key, const std::string& path);

}  // namespace fupin::cli
