// JSON of indicator systems, their versions and the templates (the API's shapes, and the
// format the storage keeps a content in).
//
// A content is {"grades": [{"name", "score", "min"}, …], "nodes": [{"key", "parent", "name",
// "name_en", "weight", "source", "indicator", "scoring", "note"}, …]} with the root first and
// every parent before its children, "dea": null or {"inputs": [{"indicator", "growth"}, …],
// "outputs": […], "rts": "crs|vrs|nirs", "orientation": "input|output"}; "scoring" is a rule
// as in the evaluation spec (docs/evaluation.md), or null.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "evaluation/system.h"

namespace fupin::evaluation {

nlohmann::ordered_json ContentJson(const SystemContent& content);
// Parses a content; problems name their path under `path` ("draft.nodes[3].scoring.floor").
// Not validated beyond its shape: ValidateContent does that.
Result<SystemContent> ParseContent(const nlohmann::json& j, const std::string& path);

nlohmann::ordered_json DeaSettingsJson(const DeaSettings& dea);
// A factor may also be given as a bare indicator code; rts defaults to vrs, orientation to
// input. nullopt with details appended when not valid.
std::optional<DeaSettings> ParseDeaSettings(const nlohmann::json& j, const std::string& path,
                                            std::vector<ErrorDetail>& details);

// A system without its draft (lists), and with it (one system).
nlohmann::ordered_json SystemSummaryJson(const System& system);
nlohmann::ordered_json SystemJson(const System& system, const std::vector<SystemVersion>& versions);
nlohmann::ordered_json VersionJson(const SystemVersion& version);
nlohmann::ordered_json TemplateJson(const Template& t);

}  // namespace fupin::evaluation
