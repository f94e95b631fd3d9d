#include "probe/health_status.hpp"

#include <gtest/gtest.h>

#include "live_results.hpp"

namespace kmsdiag {
namespace {

TEST(HealthStatus, StatesFollowTheWorstProblem) {
  EXPECT_EQ(assess_health(one_target("records", "open", "kms")).state, Health::ok);
  EXPECT_EQ(assess_health(one_target("records", "refused", "")).state, Health::critical);
  EXPECT_EQ(assess_health(one_target("nxdomain", "", "")).state, Health::critical);
  LiveResult late = one_target("records", "open", "kms");
  late.deadline_hit = true;
  EXPECT_EQ(assess_health(late).state, Health::unknown);
  LiveResult none;
  EXPECT_EQ(assess_health(none).state, Health::unknown);
  LiveResult split = one_target("records", "open", "kms");
  split.summaries[0].agree = false;
  EXPECT_EQ(assess_health(split).state, Health::warning);
}

}  // namespace
}  // namespace kmsdiag
