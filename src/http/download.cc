#include "http/download.h"

#include <stdlib.h>

#include <cstdio>
#include <filesystem>

#include "security/crypto.h"

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

Result<std::unique_ptr<tabular::TableReader>> OpenUpload(const std::string& bytes) {
  std::string path = (std::filesystem::temp_directory_path() / "fupin-upload-XXXXXX").string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0) return MakeError(ErrorCode::kInternal, "cannot create a temporary file");
  std::FILE* file = ::fdopen(fd, "wb");
  const bool written = file && std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
  if (file) std::fclose(file);
  if (!written) {
    std::filesystem::remove(path);
    return MakeError(ErrorCode::kInternal, "cannot write the upload to a temporary file");
  }
  auto reader = tabular::TableReader::Open(path);
  std::filesystem::remove(path);
  if (!reader) {
    Error e = reader.error();
    // The temporary path means nothing to the user.
    if (e.message.starts_with(path)) e.message = "the file" + e.message.substr(path.size());
    return std::unexpected(std::move(e));
  }
  return reader;
}

Result<std::unique_ptr<tabular::TableReader>> OpenBodyUpload(const nlohmann::json& body) {
  if (!body.contains("file") || !body.at("file").is_string() ||
      body.at("file").get<std::string>().empty()) {
    return InvalidArgument("the file is missing",
                           {ErrorDetail{0, "file", "", "the file's bytes in base64"}});
  }
  auto bytes = security::Base64Decode(body.at("file").get<std::string>());
  if (!bytes) {
    return InvalidArgument("the file is not valid base64",
                           {ErrorDetail{0, "file", "", "the file's bytes in base64"}});
  }
  return OpenUpload(*bytes);
}

}  // namespace fupin::http
