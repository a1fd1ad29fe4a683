// JSON of questionnaires, responses, column mappings and survey quality (the API's shapes; a
// questionnaire's "content" — grades, groups, questions, targets — is also how the storage
// keeps it).
//
// A question is {"key", "kind": "likert"|"choice"|"number", "text", "text_en", "leaf",
// "dimension", "choices": [{"code", "label", "label_en", "value", "grade"}], "scoring": RULE or
// null, "min", "max", "required"}; a scoring rule's band grades are names of the system's scale.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "evaluation/survey.h"
#include "evaluation/survey_import.h"

namespace fupin::evaluation {

// The questionnaire's fields from an API body or a stored content. `grades` name the scoring
// rules' band grades. Fields absent from `j` keep their value in `q` (so a PATCH changes only
// what it names). Problems name their JSON path.
Status ParseQuestionnaireFields(const nlohmann::json& j, const std::vector<GradeInput>& grades,
                                Questionnaire& q);

// {"grades", "groups", "questions", "targets"}: what the storage keeps.
nlohmann::ordered_json QuestionnaireContentJson(const Questionnaire& q,
                                                const std::vector<GradeInput>& grades);
// The content back, with the grades it was stored with.
Status ParseQuestionnaireContent(const nlohmann::json& j, Questionnaire& q);

nlohmann::ordered_json QuestionnaireJson(const Questionnaire& q,
                                         const std::vector<GradeInput>& grades, bool detail);
nlohmann::ordered_json RespondentGroupsJson();

nlohmann::ordered_json ResponseJson(const Response& r);
// {"group", "region", "surveyed_on", "answers": {key: code or number}}; numbers in answers
// become text.
Result<Response> ParseResponse(const nlohmann::json& j);

nlohmann::ordered_json MappingJson(const ColumnMapping& m);
Result<ColumnMapping> ParseMapping(const nlohmann::json& j);

nlohmann::ordered_json QualityJson(const SurveyQuality& quality);
nlohmann::ordered_json TallyJson(const std::map<std::string, std::vector<double>>& tally);

}  // namespace fupin::evaluation
