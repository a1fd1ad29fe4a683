// Spreadsheet downloads of the API: the `format` query parameter (xlsx, the default, or csv)
// and a table returned as a file named after what it holds; and uploaded spreadsheets opened
// for reading.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/error.h"
#include "http/router.h"
#include "tabular/reader.h"
#include "tabular/writer.h"

namespace fupin::http {

// The request's `format`: xlsx (default) or csv; kInvalidArgument naming `format` otherwise.
Result<tabular::Format> FormatOf(const ApiRequest& req);

// `header` and `rows` as an XLSX or CSV (UTF-8 with a BOM) file named `name` plus its extension.
Result<ApiResponse> Download(tabular::Format format, const std::vector<std::string>& header,
                             const std::vector<std::vector<std::string>>& rows,
                             const std::string& name);

// An uploaded CSV or XLSX file's bytes, opened for streaming: they go to a private temporary
// file that is unlinked at once (the open reader keeps it alive), so nothing is left behind.
// Errors name "the file", not the temporary path.
Result<std::unique_ptr<tabular::TableReader>> OpenUpload(const std::string& bytes);

// The file of an import body {"file": BASE64, "file_name"}, opened as by OpenUpload.
// kInvalidArgument naming `file` when it is missing or not base64.
Result<std::unique_ptr<tabular::TableReader>> OpenBodyUpload(const nlohmann::json& body);

}  // namespace fupin::http
