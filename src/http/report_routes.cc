#include "http/report_routes.h"

#include <fmt/format.h>

#include "evaluation/report.h"
#include "tabular/writer.h"

namespace fupin::http {

void AddReportRoutes(Router& router, ReportSources sources) {
  router.Add("GET", "/api/v1/evaluation/runs/{id}/report",
             Access::Needs("evaluation", "read").On("evaluation_run"),
             [sources](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = PathId(req, "id", "evaluation run");
               if (!id) return std::unexpected(id.error());
               const std::string format = req.Query("format").value_or("html");
               const std::string lang = req.Query("lang").value_or("zh");
               std::vector<ErrorDetail> details;
               if (format != "html" && format != "xlsx") {
                 details.push_back(ErrorDetail{0, "format", format, "html or xlsx"});
               }
               if (lang != "zh" && lang != "en")
                 details.push_back(ErrorDetail{0, "lang", lang, "zh or en"});
               auto run = sources.runs.Get(req.scope, *id);
               if (!run) return std::unexpected(run.error());
               if (!details.empty()) {
                 return InvalidArgument("the report cannot be made so", std::move(details));
               }
               const auto now = sources.clock.Now();
               auto context = evaluation::GatherReport(sources.evaluations, sources.regions,
                                                       sources.boundaries, *run, ChinaDate(now),
                                                       FormatTimestampUtc(now));
               if (!context) return std::unexpected(context.error());
               const auto language =
                   lang == "en" ? evaluation::ReportLanguage::kEn : evaluation::ReportLanguage::kZh;
               const std::string name = fmt::format("evaluation-run-{}-report-{}", *id, lang);
               if (format == "xlsx") {
                 auto bytes = evaluation::ReportXlsx(*context, language);
                 if (!bytes) return std::unexpected(bytes.error());
                 return ApiResponse::File(std::move(*bytes),
                                          std::string(tabular::ContentType(tabular::Format::kXlsx)),
                                          name + ".xlsx");
               }
               ApiResponse r;
               r.raw = evaluation::ReportHtml(*context, language);
               r.content_type = "text/html; charset=utf-8";
               // Shown in the browser to print; "Save as" keeps a sensible name.
               r.headers.emplace_back("Content-Disposition",
                                      fmt::format("inline; filename=\"{}.html\"", name));
               r.headers.emplace_back("Cache-Control", "no-store");
               return r;
             });
}

}  // namespace fupin::http
