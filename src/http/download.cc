#include "http/download.h"

namespace fupin::http {

Result<tabular::Format> FormatOf(const ApiRequest& req) {
  const std::string format = req.Query("format").value_or("xlsx");
  if (format != "csv" && format != "xlsx") {
    return InvalidArgument("format must be csv or xlsx",
                           {{0, "format", format, "must be csv or xlsx"}});
  }
  return format == "csv" ? tabular::Format::kCsv : tabular::Format::kXlsx;
}

Result<ApiResponse> Download(tabular::Format format, const std::vector<std::string>& header,
                             const std::vector<std::vector<std::string>>& rows,
                             const std::string& name) {
  auto bytes = tabular::WriteToBytes(format, header, rows);
  if (!bytes) return std::unexpected(bytes.error());
  const bool csv = format == tabular::Format::kCsv;
  return ApiResponse::File(std::move(*bytes), std::string(tabular::ContentType(format)),
                           name + (csv ? ".csv" : ".xlsx"));
}

}  // namespace fupin::http
