// Spreadsheet downloads of the API: the `format` query parameter (xlsx, the default, or csv)
// and a table returned as a file named after what it holds.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "http/router.h"
#include "tabular/writer.h"

namespace fupin::http {

// The request's `format`: xlsx (default) or csv; kInvalidArgument naming `format` otherwise.
Result<tabular::Format> FormatOf(const ApiRequest& req);

// `header` and `rows` as an XLSX or CSV (UTF-8 with a BOM) file named `name` plus its extension.
Result<ApiResponse> Download(tabular::Format format, const std::vector<std::string>& header,
                             const std::vector<std::vector<std::string>>& rows,
                             const std::string& name);

}  // namespace fupin::http
