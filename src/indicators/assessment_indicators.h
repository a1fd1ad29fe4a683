// The indicators of the exit assessment (贫困退出评估, 三率一度) that come from the assessment's
// own checks rather than from the registry: the counts entered per region and year (households
// checked for wrong exits and how many were wrong, households screened for missed
// identification and how many were missed, respondents asked about their approval and how many
// approved) and the three rates derived from them. The fourth figure, the composite poverty
// incidence, is the registry's poverty_incidence. Counts are entered with `fupin import
// statistics` (or the API) like any statistic; the rates roll up as ratios of sums.
// Thread-safety: pure registrations.
#pragma once

#include <string_view>

#include "base/error.h"
#include "indicators/indicator.h"

namespace fupin::indicators {

inline constexpr std::string_view kExitCheckedHouseholds = "exit_checked_households";
inline constexpr std::string_view kExitWrongHouseholds = "exit_wrong_households";
inline constexpr std::string_view kIdentificationChecked = "identification_checked_households";
inline constexpr std::string_view kMissedHouseholds = "missed_households";
inline constexpr std::string_view kApprovalRespondents = "approval_respondents";
inline constexpr std::string_view kApprovalYes = "approval_yes";
// Entered statistics used as DEA inputs (module "statistics").
inline constexpr std::string_view kAssistanceFunds = "assistance_funds";
inline constexpr std::string_view kAssistanceStaff = "assistance_staff";
// Derived (percent).
inline constexpr std::string_view kWrongExitRate = "wrong_exit_rate";
inline constexpr std::string_view kMissedIdentificationRate = "missed_identification_rate";
inline constexpr std::string_view kPublicApprovalRate = "public_approval_rate";

// Registers them (module "assessment", the two DEA statistics "statistics"); needs nothing
// registered before.
Status RegisterAssessmentIndicators(Catalogue& catalogue);

}  // namespace fupin::indicators
