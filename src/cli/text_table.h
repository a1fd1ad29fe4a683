// Aligned text tables for the readable (non --json) output of the subcommands.
// Thread-safety: pure functions; PrintTable writes to stdout.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fupin::cli {

// Columns a terminal gives a UTF-8 string: 2 for East Asian wide and full-width characters,
// else 1.
size_t DisplayWidth(std::string_view s);

// `s` padded with spaces to `width` display columns, on the left when `right` (right-aligned).
std::string Pad(std::string_view s, size_t width, bool right);

// Prints the header, a rule and the rows: the first column left-aligned, the others right-
// aligned, two spaces between columns, trailing spaces trimmed.
void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows);

}  // namespace fupin::cli
