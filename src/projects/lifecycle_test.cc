#include "projects/lifecycle.h"

#include <gtest/gtest.h>

namespace fupin::projects {
namespace {

Project At(std::string status, std::string stage, int64_t version = 1, int64_t approved = 0,
           std::string region = "990121001001") {
  Project p;
  p.id = 1;
  p.status = std::move(status);
  p.stage = std::move(stage);
  p.version = version;
  p.approved_version = approved;
  p.profile.region_code = std::move(region);
  return p;
}

TEST(Lifecycle, EachActionNeedsItsPermission) {
  EXPECT_EQ(PermissionFor("edit"), "propose");
  EXPECT_EQ(PermissionFor("change"), "propose");
  EXPECT_EQ(PermissionFor("review_return"), "review");
  EXPECT_EQ(PermissionFor("approve_reject"), "approve");
  EXPECT_EQ(PermissionFor("start"), "report");
  EXPECT_EQ(PermissionFor("accept_return"), "accept");
  EXPECT_EQ(PermissionFor("maintain"), "report");
  EXPECT_EQ(PermissionFor("launch"), "");
}

TEST(Lifecycle, AVillageProjectGoesThroughEveryStep) {
  Project p = At("proposed", "proposed");
  auto reviewed = Plan(p, "review", "");
  ASSERT_TRUE(reviewed) << reviewed.error().message;
  EXPECT_EQ(reviewed->to_status, "reviewed");
  EXPECT_EQ(reviewed->stage, "reviewed");
  // The county cannot approve what the township has not reviewed.
  EXPECT_EQ(Plan(p, "approve", "").error().code, ErrorCode::kFailedPrecondition);
  p = At("reviewed", "reviewed");
  auto approved = Plan(p, "approve", "");
  ASSERT_TRUE(approved);
  EXPECT_EQ(approved->to_status, "approved");
  EXPECT_EQ(approved->approved_version, 1);
  EXPECT_EQ(Plan(p, "review", "").error().code, ErrorCode::kFailedPrecondition);
  p = At("approved", "approved", 1, 1);
  EXPECT_EQ(Plan(p, "start", "")->to_status, "in_progress");
  EXPECT_FALSE(Plan(p, "complete", ""));
  p.status = "in_progress";
  EXPECT_EQ(Plan(p, "complete", "")->to_status, "completed");
  p.status = "completed";
  EXPECT_EQ(Plan(p, "accept", "")->to_status, "accepted");
  EXPECT_EQ(Plan(p, "accept_return", "整改道路排水")->to_status, "in_progress");
  p.status = "accepted";
  EXPECT_EQ(Plan(p, "maintain", "")->to_status, "maintenance");
  p.status = "maintenance";
  EXPECT_TRUE(AvailableActions(p).empty());
}

TEST(Lifecycle, ReturnsAndRejectionsNeedAReason) {
  const Project p = At("proposed", "proposed");
  auto missing = Plan(p, "review_return", "  ");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(missing.error().details.at(0).column, "reason");
  auto returned = Plan(p, "review_return", "预算依据不足");
  ASSERT_TRUE(returned);
  EXPECT_EQ(returned->to_status, "returned");
  EXPECT_EQ(returned->stage, "returned");
  EXPECT_EQ(Plan(p, "review_reject", "重复申报")->to_status, "rejected");
  EXPECT_EQ(Plan(At("reviewed", "reviewed"), "approve_return", "补充受益户名单")->to_status,
            "returned");
}

TEST(Lifecycle, AReturnedProposalIsResubmittedAndARejectedOneEnds) {
  const Project returned = At("returned", "returned");
  EXPECT_EQ(AvailableActions(returned), std::vector<std::string>{"resubmit"});
  auto again = Plan(returned, "new_version", "");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->action, "resubmit");
  EXPECT_EQ(again->to_status, "proposed");
  EXPECT_EQ(Plan(returned, "review", "").error().code, ErrorCode::kFailedPrecondition);
  const Project rejected = At("rejected", "rejected");
  EXPECT_TRUE(AvailableActions(rejected).empty());
  EXPECT_FALSE(Plan(rejected, "new_version", ""));
  // A proposal under the county's consideration cannot be edited meanwhile.
  EXPECT_FALSE(Plan(At("reviewed", "reviewed"), "new_version", ""));
  EXPECT_EQ(Plan(At("proposed", "proposed"), "new_version", "")->action, "edit");
}

TEST(Lifecycle, ACountyProjectIsApprovedWithoutTownshipReview) {
  const Project p = At("proposed", "proposed", 1, 0, "990121000000");
  EXPECT_TRUE(CountyLevel(p));
  auto review = Plan(p, "review", "");
  ASSERT_FALSE(review);
  EXPECT_EQ(review.error().code, ErrorCode::kFailedPrecondition);
  auto approved = Plan(p, "approve", "");
  ASSERT_TRUE(approved);
  EXPECT_EQ(approved->to_status, "approved");
  // A village project needs its review first.
  EXPECT_FALSE(Plan(At("proposed", "proposed"), "approve", ""));
}

TEST(Lifecycle, AChangeOfAnApprovedProjectIsApprovedAgainWhileTheProjectRuns) {
  // In progress on version 1; a change proposed as version 2.
  Project p = At("in_progress", "approved", 1, 1);
  EXPECT_FALSE(p.PendingChange());
  auto change = Plan(p, "new_version", "");
  ASSERT_TRUE(change);
  EXPECT_EQ(change->action, "change");
  EXPECT_EQ(change->to_status, "in_progress");
  EXPECT_EQ(change->approved_version, 1);
  // Nothing to review while no change is pending.
  EXPECT_FALSE(Plan(p, "review", ""));

  p = At("in_progress", "proposed", 2, 1);
  EXPECT_TRUE(p.PendingChange());
  auto reviewed = Plan(p, "review", "");
  ASSERT_TRUE(reviewed);
  EXPECT_EQ(reviewed->to_status, "in_progress");  // the project keeps running
  EXPECT_EQ(reviewed->stage, "reviewed");
  // Completion waits for the change's decision.
  EXPECT_EQ(Plan(p, "complete", "").error().code, ErrorCode::kFailedPrecondition);

  p = At("in_progress", "reviewed", 2, 1);
  EXPECT_FALSE(Plan(p, "new_version", ""));  // with the county: wait
  auto approved = Plan(p, "approve", "");
  ASSERT_TRUE(approved);
  EXPECT_EQ(approved->approved_version, 2);
  EXPECT_EQ(approved->to_status, "in_progress");
  auto rejected = Plan(p, "approve_reject", "超出年度资金规模");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->approved_version, 1);  // version 1 stays in force
  EXPECT_EQ(rejected->stage, "rejected");
  EXPECT_EQ(rejected->to_status, "in_progress");

  // After a rejected change, a new change may be proposed.
  p = At("in_progress", "rejected", 2, 1);
  EXPECT_FALSE(p.PendingChange());
  EXPECT_EQ(Plan(p, "new_version", "")->action, "change");
  EXPECT_TRUE(Plan(p, "complete", ""));
  // Completed projects are not changed any more.
  EXPECT_FALSE(Plan(At("completed", "approved", 1, 1), "new_version", ""));
}

TEST(Lifecycle, AvailableActionsFollowTheState) {
  EXPECT_EQ(AvailableActions(At("proposed", "proposed")),
            (std::vector<std::string>{"edit", "review", "review_return", "review_reject"}));
  EXPECT_EQ(AvailableActions(At("reviewed", "reviewed")),
            (std::vector<std::string>{"approve", "approve_return", "approve_reject"}));
  EXPECT_EQ(AvailableActions(At("approved", "approved", 1, 1)),
            (std::vector<std::string>{"change", "start"}));
  EXPECT_EQ(AvailableActions(At("completed", "approved", 1, 1)),
            (std::vector<std::string>{"accept", "accept_return"}));
}

}  // namespace
}  // namespace fupin::projects
