#include "http/region_routes.h"

#include <fmt/format.h>

namespace fupin::http {
namespace {

using nlohmann::json;
using regions::Region;

json RegionJson(const Region& r) {
  json j = {{"code", r.code},
            {"name", r.name},
            {"level", regions::LevelName(r.level)},
            {"parent_code", r.parent_code.empty() ? json(nullptr) : json(r.parent_code)},
            {"closed_on", r.closed_on ? json(r.closed_on->ToString()) : json(nullptr)},
            {"successor_code", r.successor_code.empty() ? json(nullptr) : json(r.successor_code)},
            {"synthetic", r.synthetic},
            {"version", r.version}};
  return j;
}

json ListItemJson(const regions::RegionListItem& item) {
  json j = RegionJson(item.region);
  j["child_count"] = item.child_count;
  return j;
}

json ListJson(const std::vector<regions::RegionListItem>& items) {
  json out = json::array();
  for (const auto& item : items) out.push_back(ListItemJson(item));
  return out;
}

Result<regions::RegionSort> ParseSort(const ApiRequest& req) {
  const auto sort = req.Query("sort");
  if (!sort || *sort == "code") return regions::RegionSort::kCode;
  if (*sort == "-code") return regions::RegionSort::kCodeDesc;
  if (*sort == "name") return regions::RegionSort::kName;
  if (*sort == "-name") return regions::RegionSort::kNameDesc;
  return InvalidArgument("sort must be code, -code, name or -name",
                         {{0, "sort", *sort, "must be code, -code, name or -name"}});
}

// The region hierarchy is reference data: every signed-in role reads all of it (names of
// places are not personal data, and officials need the path above their own region).
const Access kRead = Access::Needs("regions", "read");
const Access kWrite = Access::Needs("regions", "write");

Result<int64_t> RequiredVersion(const nlohmann::json& body) {
  if (!body.contains("version") || !body["version"].is_number_integer()) {
    return InvalidArgument("version is required: the version of the record you edited",
                           {{0, "version", "", "required, a whole number"}});
  }
  return body["version"].get<int64_t>();
}

}  // namespace

void AddRegionRoutes(Router& router, regions::RegionService& service,
                     regions::BoundaryRepository& boundaries) {
  // Top-level regions (provinces).
  router.Add("GET", "/api/v1/regions", kRead,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto include_closed = QueryBool(req, "include_closed", false);
               if (!include_closed) return std::unexpected(include_closed.error());
               auto items = service.Children("", *include_closed);
               if (!items) return std::unexpected(items.error());
               return ApiResponse::Json(
                   ListEnvelope(ListJson(*items), static_cast<int64_t>(items->size())));
             });

  // Filtered, sorted, paged search: ?q=&region=&level=&include_closed=&sort=&page=&page_size=
  router.Add("GET", "/api/v1/regions/search", kRead,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               regions::RegionQuery query;
               auto paging = ParsePaging(req);
               if (!paging) return std::unexpected(paging.error());
               auto include_closed = QueryBool(req, "include_closed", false);
               if (!include_closed) return std::unexpected(include_closed.error());
               auto sort = ParseSort(req);
               if (!sort) return std::unexpected(sort.error());
               if (auto level = req.Query("level")) {
                 auto parsed = regions::ParseLevel(*level);
                 if (!parsed) {
                   return InvalidArgument(parsed.error().message,
                                          {{0, "level", *level, parsed.error().message}});
                 }
                 query.level = *parsed;
               }
               query.within = req.Query("region").value_or("");
               query.text = req.Query("q").value_or("");
               query.include_closed = *include_closed;
               query.sort = *sort;
               query.offset = paging->offset();
               query.limit = paging->page_size;
               auto page = service.Search(query);
               if (!page) return std::unexpected(page.error());
               return ApiResponse::Json(ListEnvelope(ListJson(page->items), page->total, *paging));
             });

  // One region with its path of ancestors (province first).
  router.Add("GET", "/api/v1/regions/{code}", kRead,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto found = service.Get(req.Param("code"));
               if (!found) return std::unexpected(found.error());
               json j = RegionJson(found->region);
               j["child_count"] = found->child_count;
               json path = json::array();
               for (const Region& a : found->ancestors) {
                 path.push_back(
                     {{"code", a.code}, {"name", a.name}, {"level", regions::LevelName(a.level)}});
               }
               j["path"] = std::move(path);
               return ApiResponse::Json(std::move(j));
             });

  // The boundaries of a region's children as a GeoJSON FeatureCollection, for the map.
  router.Add(
      "GET", "/api/v1/regions/{code}/boundaries", kRead,
      [&service, &boundaries](const ApiRequest& req) -> Result<ApiResponse> {
        auto found = service.Get(req.Param("code"));  // 404 for an unknown region
        if (!found) return std::unexpected(found.error());
        auto items = boundaries.ChildBoundaries(req.Param("code"));
        if (!items) return std::unexpected(items.error());
        json features = json::array();
        bool synthetic = false;
        for (const regions::Boundary& b : *items) {
          synthetic = synthetic || b.synthetic;
          features.push_back(
              {{"type", "Feature"},
               {"id", b.code},
               {"properties", {{"code", b.code}, {"name", b.name}, {"synthetic", b.synthetic}}},
               {"geometry", json::parse(b.geometry, nullptr, false)}});
        }
        return ApiResponse::Json({{"type", "FeatureCollection"},
                                  {"region", req.Param("code")},
                                  {"synthetic", synthetic},
                                  {"features", std::move(features)}});
      });

  router.Add("GET", "/api/v1/regions/{code}/children", kRead,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto include_closed = QueryBool(req, "include_closed", false);
               if (!include_closed) return std::unexpected(include_closed.error());
               auto items = service.Children(req.Param("code"), *include_closed);
               if (!items) return std::unexpected(items.error());
               return ApiResponse::Json(
                   ListEnvelope(ListJson(*items), static_cast<int64_t>(items->size())));
             });

  // Number of open regions per level below a region (the region itself not counted).
  router.Add(
      "GET", "/api/v1/regions/{code}/summary", kRead,
      [&service](const ApiRequest& req) -> Result<ApiResponse> {
        const std::string& code = req.Param("code");
        auto level = regions::LevelOfCode(code);
        if (!level) return std::unexpected(level.error());
        auto counts = service.CountByLevel(code);
        if (!counts) return std::unexpected(counts.error());
        json descendants = json::object();
        for (int l = static_cast<int>(*level) + 1; l <= regions::kLevelCount; ++l) {
          descendants[std::string(regions::LevelName(static_cast<regions::RegionLevel>(l)))] =
              (*counts)[l - 1];
        }
        return ApiResponse::Json({{"code", code}, {"descendants", descendants}});
      });

  // Rename: {"name": "…", "version": N}; 409 with the current version when N is stale.
  router.Add("PATCH", "/api/v1/regions/{code}", kWrite,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto name = RequiredString(*body, "name");
               if (!name) return std::unexpected(name.error());
               auto version = RequiredVersion(*body);
               if (!version) return std::unexpected(version.error());
               auto renamed = service.Rename(req.Param("code"), *name, *version, req.Actor());
               if (!renamed) return std::unexpected(renamed.error());
               return ApiResponse::Json(RegionJson(*renamed));
             });

  // Close (abolish or merge): {"closed_on": "YYYY-MM-DD", "successor_code": "…", "version": N}.
  router.Add("POST", "/api/v1/regions/{code}/close", kWrite,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto on = RequiredString(*body, "closed_on");
               if (!on) return std::unexpected(on.error());
               auto version = RequiredVersion(*body);
               if (!version) return std::unexpected(version.error());
               std::string successor;
               if (body->contains("successor_code") && (*body)["successor_code"].is_string()) {
                 successor = (*body)["successor_code"].get<std::string>();
               }
               auto closed =
                   service.Close(req.Param("code"), *on, successor, *version, req.Actor());
               if (!closed) return std::unexpected(closed.error());
               return ApiResponse::Json(RegionJson(*closed));
             });
}

}  // namespace fupin::http
