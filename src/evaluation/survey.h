// Surveys (问卷调查): questionnaires whose questions feed the survey leaves of an indicator
// system, the responses collected for them (entered by field interviewers or imported from
// survey tools), the counts per grade they give each leaf, and the quality checks run before
// they are used.
//
// A questionnaire belongs to the office (region) that designed it, is tied to one published
// version of an indicator system and is about one data period ("2020"): an evaluation run of
// that system over that period takes its survey leaves' counts from it. Each question is
//   likert — levels listed best first, each with a code (what survey tools export: "5"), a
//            label ("非常满意"), a numeric value (for the reliability statistics) and the grade
//            of the system's scale it counts towards;
//   choice — options with a code and label, each counting towards a grade or none;
//   number — a value scored by a scoring rule into memberships (and accepted in a range).
// A question mapped to a leaf adds, per answer, one count to the grade of the level or option
// chosen (or the membership row of the scored number), so a leaf's counts are the answers of
// every question mapped to it. Questions are fixed once responses exist.
//
// Respondent groups (调查对象) are fixed codes: government (政府工作人员), workshop_head (车间
// 负责人), farmer (周边农户), enterprise (企业), social_org (社会组织), household (贫困户).
// Sample targets (样本量) are per group and region.
//
// Responses hold no personal data: the group, the region (village or above) the respondent
// belongs to, the date of the interview, the answers by question key, where they came from
// and, for imports, the tool's own submission id (so that importing the same export twice
// updates instead of duplicating).
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "evaluation/grade_scale.h"
#include "evaluation/system.h"

namespace fupin::evaluation {

enum class QuestionKind { kLikert, kChoice, kNumber };
std::string_view QuestionKindName(QuestionKind kind);  // "likert", "choice", "number"
std::optional<QuestionKind> QuestionKindNamed(std::string_view name);

struct Choice {
  std::string code;  // unique within the question
  std::string label;
  std::string label_en;
  double value = 0;   // likert: the item score (e.g. 5 … 1)
  std::string grade;  // the grade it counts towards; "" = not counted (choice only)

  friend bool operator==(const Choice&, const Choice&) = default;
};

struct Question {
  std::string key;  // like node keys: a–z, 0–9, _ and -, starting with a letter
  QuestionKind kind = QuestionKind::kLikert;
  std::string text;
  std::string text_en;
  std::string leaf;       // the survey leaf of the system it feeds ("" = asked, not scored)
  std::string dimension;  // groups items for Cronbach's α ("" = the leaf's parent node)
  // A surveyed indicator of the catalogue the answers also feed ("" = none): its value for a
  // region and period is the mean of the answers' values (a level's or option's value, the
  // number given) from respondents in the region's subtree (SurveyMeasures).
  std::string indicator;
  std::vector<Choice> choices;         // likert levels best first; choice options
  std::optional<ScoringRule> scoring;  // number: required when mapped to a leaf
  std::optional<double> min;           // number: accepted range
  std::optional<double> max;
  bool required = true;             // of the groups it is asked
  std::vector<std::string> groups;  // the respondent groups asked ({} = every group)

  friend bool operator==(const Question&, const Question&) = default;
};

struct SampleTarget {
  std::string group;
  std::string region;
  int target = 0;

  friend bool operator==(const SampleTarget&, const SampleTarget&) = default;
};

struct Questionnaire {
  int64_t id = 0;
  std::string name;
  std::string name_en;
  std::string description;
  std::string region_code;  // the designing office
  int64_t system_id = 0;
  int system_version = 0;
  std::string period;               // the data period it is about: YYYY, YYYY-MM or YYYY-MM-DD
  std::vector<std::string> groups;  // the respondent groups asked
  std::vector<Question> questions;
  std::vector<SampleTarget> targets;
  bool open = true;  // accepting responses
  int64_t version = 1;
  int64_t responses = 0;  // how many are stored (read only)
  std::string created_by;
  std::string created_at;
  std::string updated_by;
  std::string updated_at;
};

struct RespondentGroup {
  std::string_view code;
  std::string_view name;
  std::string_view name_en;
};
const std::vector<RespondentGroup>& RespondentGroups();
// By code, Chinese or English name (trimmed, English case-insensitive); nullptr if unknown.
const RespondentGroup* FindRespondentGroup(std::string_view text);

// Where a response came from.
inline constexpr std::string_view kSourceForm = "form";
inline constexpr std::string_view kSourceWenjuanxing = "wjx";
inline constexpr std::string_view kSourceKobo = "kobo";
inline constexpr std::string_view kSourceOdk = "odk";
inline constexpr std::string_view kSourceFile = "file";  // a generic CSV / XLSX

struct Response {
  int64_t id = 0;
  int64_t questionnaire_id = 0;
  std::string group;
  std::string region_code;
  std::string surveyed_on;                     // YYYY-MM-DD
  std::map<std::string, std::string> answers;  // question key → choice code or number text
  std::string source;
  std::string external_id;  // the tool's submission id ("" for form entries)
  std::string created_by;
  std::string created_at;
  std::string updated_at;
};

// Checks a questionnaire's shape and its mapping to the system version `content`: name,
// period, groups known and unique, question keys unique, likert questions with 2–11 levels each
// counting towards a grade of the scale, choice options with known grades (or none), number
// questions with a valid rule when mapped, leaves that are survey leaves of the content,
// targets for asked groups with a positive count; a question's groups among the groups asked.
// kInvalidArgument with details naming "questions[2].choices[1].grade" and so on.
// `catalogue`, when given, checks that question indicators name surveyed indicators of it.
Status ValidateQuestionnaire(const Questionnaire& q, const SystemContent& content,
                             const indicators::Catalogue* catalogue = nullptr);

// Checks one response against its questionnaire: a known group that is asked, a date, every
// required question asked of the group answered, no answer to a question not asked of it, codes
// that exist (matched by code, then by label, then English label; the stored answer is the code),
// numbers in range. Normalizes the answers in place. Details name the field ("answers.q3") with
// `row` as their row (0 for form entries).
Status ValidateResponse(const Questionnaire& q, Response& response, int64_t row);

// Counts per grade that the responses give each mapped leaf: leaf key → one count per grade.
// Leaves no response answered are absent.
std::map<std::string, std::vector<double>> TallyLeaves(const Questionnaire& q,
                                                       const GradeScale& scale,
                                                       const std::vector<const Response*>& rs);

// The quality checks of a set of responses (质量检查).
struct SurveyQuality {
  struct Target {
    std::string group;
    std::string region;
    int target = 0;
    int count = 0;  // responses of the group within the region's subtree
  };
  struct Dimension {
    std::string dimension;
    std::vector<std::string> items;  // likert question keys
    int respondents = 0;             // answering every item
    std::optional<double> alpha;
    std::optional<double> standardized_alpha;
    std::string problem;  // why α could not be computed
    // KMO and Bartlett over the same respondents and items.
    std::optional<double> kmo;
    std::optional<double> chi2;
    int df = 0;
    std::optional<double> p;
    std::string sampling_problem;
  };
  struct Sampling {
    std::vector<std::string> items;
    int respondents = 0;
    std::optional<double> kmo;
    std::optional<double> chi2;
    int df = 0;
    std::optional<double> p;
    std::string problem;
  };
  struct Warning {
    std::string code;  // "target", "alpha", "kmo", "bartlett", "straight_lining", "few"
    std::string text;  // Chinese
    std::string text_en;
  };
  int responses = 0;
  std::map<std::string, int> by_group;
  std::vector<Target> targets;
  std::vector<Dimension> dimensions;
  Sampling sampling;
  std::vector<int64_t> straight_liners;  // response ids: the same level on every likert item
  std::vector<Warning> warnings;
};

inline constexpr double kMinAlpha = 0.7;
inline constexpr double kMinKmo = 0.6;
inline constexpr double kBartlettLevel = 0.05;
inline constexpr int kStraightLiningItems = 5;  // likert items answered, at least

// Targets are counted over responses in the target region's subtree. α, KMO and Bartlett per
// dimension (the question's dimension, else its leaf's parent in `content`, else "all") over
// respondents who answered all its likert items; KMO and Bartlett also over all likert items
// together when some respondents answered them all (items asked of different groups are not);
// straight-lining when a respondent answered at least kStraightLiningItems likert items with
// the same level on all. Warnings: a target not met, α < 0.7, KMO < 0.6, Bartlett p ≥ 0.05,
// any straight-liner.
SurveyQuality CheckQuality(const Questionnaire& q, const SystemContent& content,
                           const std::vector<const Response*>& rs);

}  // namespace fupin::evaluation
