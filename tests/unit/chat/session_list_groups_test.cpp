// Date groups of the sidebar against a fake clock, in several time zones.
#include <gtest/gtest.h>

#include "core/chat/session_list_groups.h"

namespace chat::core {
namespace {

constexpr int64_t kHour = 3600LL * 1000;
constexpr int64_t kDay = 24 * kHour;
// A UTC midnight (late 2026).
constexpr int64_t kMidnightUtc = 1796000000000LL - (1796000000000LL % kDay);

TEST(DateGroups, LabelsAreTheSidebarHeadings) {
  EXPECT_STREQ(dateGroupLabel(DateGroup::Today), "Today");
  EXPECT_STREQ(dateGroupLabel(DateGroup::Yesterday), "Yesterday");
  EXPECT_STREQ(dateGroupLabel(DateGroup::Previous7Days), "Previous 7 days");
  EXPECT_STREQ(dateGroupLabel(DateGroup::Older), "Older");
}

TEST(DateGroups, CountsCalendarDaysNotHours) {
  const int64_t now = kMidnightUtc + 9 * kHour;  // 09:00 UTC
  EXPECT_EQ(dateGroupOf(now, now, 0), DateGroup::Today);
  EXPECT_EQ(dateGroupOf(kMidnightUtc, now, 0), DateGroup::Today);
  EXPECT_EQ(dateGroupOf(kMidnightUtc - 1, now, 0), DateGroup::Yesterday) << "23:59:59.999 yesterday";
  EXPECT_EQ(dateGroupOf(kMidnightUtc - kDay, now, 0), DateGroup::Yesterday);
  EXPECT_EQ(dateGroupOf(kMidnightUtc - kDay - 1, now, 0), DateGroup::Previous7Days);
  EXPECT_EQ(dateGroupOf(kMidnightUtc - 7 * kDay, now, 0), DateGroup::Previous7Days);
  EXPECT_EQ(dateGroupOf(kMidnightUtc - 7 * kDay - 1, now, 0), DateGroup::Older);
  EXPECT_EQ(dateGroupOf(0, now, 0), DateGroup::Older);
}

TEST(DateGroups, FutureTimesCountAsToday) {
  const int64_t now = kMidnightUtc + 9 * kHour;
  EXPECT_EQ(dateGroupOf(now + 3 * kDay, now, 0), DateGroup::Today);
}

TEST(DateGroups, TheUsersZoneDecidesWhereTheDayEnds) {
  // 01:00 UTC is 20:00 the day before in New York (UTC-5) and 10:00 in Tokyo (UTC+9).
  const int64_t now = kMidnightUtc + 1 * kHour;
  const int64_t at22Utc = kMidnightUtc - 2 * kHour;  // 22:00 UTC the day before
  EXPECT_EQ(dateGroupOf(at22Utc, now, 0), DateGroup::Yesterday);
  EXPECT_EQ(dateGroupOf(at22Utc, now, -5 * kHour), DateGroup::Today);  // 17:00, same day
  EXPECT_EQ(dateGroupOf(at22Utc, now, 9 * kHour), DateGroup::Today);   // 07:00, same day
  // 06:00 UTC is 01:00 in New York: 04:00 UTC is still yesterday (23:00) there.
  const int64_t nyMorning = kMidnightUtc + 6 * kHour;
  EXPECT_EQ(dateGroupOf(kMidnightUtc + 4 * kHour, nyMorning, 0), DateGroup::Today);
  EXPECT_EQ(dateGroupOf(kMidnightUtc + 4 * kHour, nyMorning, -5 * kHour), DateGroup::Yesterday);
}

TEST(DateGroups, SectionsFollowTheRows) {
  const int64_t now = kMidnightUtc + 12 * kHour;
  const std::vector<int64_t> updated = {now - kHour, now - 2 * kHour, now - 3 * kDay, now - 40 * kDay};
  const std::vector<DateSection> sections = groupByDate(updated, now, 0);
  ASSERT_EQ(sections.size(), 3u);
  EXPECT_EQ(sections[0].group, DateGroup::Today);
  EXPECT_EQ(sections[0].first, 0u);
  EXPECT_EQ(sections[0].count, 2u);
  EXPECT_EQ(sections[1].group, DateGroup::Previous7Days);
  EXPECT_EQ(sections[1].first, 2u);
  EXPECT_EQ(sections[1].count, 1u);
  EXPECT_EQ(sections[2].group, DateGroup::Older);
  EXPECT_EQ(sections[2].first, 3u);
  EXPECT_TRUE(groupByDate({}, now, 0).empty());
}

}  // namespace
}  // namespace chat::core
