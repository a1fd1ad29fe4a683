// Shared shape of fupin's subcommands.
//
// Each module adds its subcommands to the root CLI11 app with an Add...Command(root, ctx)
// function. Parsing only records the options; the chosen subcommand's callback stores the
// action in ctx.action, and main runs it after a successful parse, so that parse errors and
// run errors map to exit codes in one place. Output goes to stdout, errors to stderr.
// Thread-safety: used from main's thread only.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "audit/audit.h"
#include "base/error.h"

namespace CLI {
class App;
}

namespace fupin::cli {

// Exit codes of the fupin binary (a contract: scripts rely on them).
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 1;         // bad command line (CLI11 parse errors too)
inline constexpr int kExitInvalidInput = 2;  // the input file or value is wrong
inline constexpr int kExitFailure = 3;       // anything else went wrong
inline constexpr int kExitFindings = 4;      // fupin check: error-severity findings

// Maps an error to the exit code above: kInvalidArgument/kAlreadyExists/kNotFound of an
// input → 2, everything else → 3.
int ExitCodeFor(const Error& error);

// Prints "fupin: <message>" and each detail as "  row R, column C, value 'V': reason" to
// stderr and returns ExitCodeFor(error).
int ReportError(const Error& error);
// An error as the --json output of a command shows it: {"error": {code, message, details}}.
nlohmann::json ErrorJson(const Error& error);
// ErrorJson on stdout when `json` (the command's --json), else ReportError; the exit code.
int ReportErrorAs(bool json, const Error& error);

// Whether readable output is in Chinese: LC_ALL, LC_MESSAGES or LANG (the first one set)
// starts with "zh".
bool ChineseOutput();
// The English or the Chinese label, by ChineseOutput().
std::string Localized(const char* en, const char* zh);

class Settings;

// Who the audit log names for a command-line action: "cli:<operating-system user>".
audit::Actor CliActor();

struct CommandContext {
  // Set by the chosen subcommand's callback; returns the exit code.
  std::function<int()> action;
  // Settings from the environment and the config file (flags take precedence over both).
  const Settings* settings = nullptr;
};

}  // namespace fupin::cli
