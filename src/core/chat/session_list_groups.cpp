#include "core/chat/session_list_groups.h"

namespace chat::core {

namespace {

constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;

// Days since the epoch in the local zone, rounding toward minus infinity (times before 1970
// and negative offsets stay on the right day).
int64_t localDay(int64_t utcMs, int64_t utcOffsetMs) {
  const int64_t local = utcMs + utcOffsetMs;
  return local >= 0 ? local / kDayMs : -((-local + kDayMs - 1) / kDayMs);
}

}  // namespace

const char* dateGroupLabel(DateGroup group) {
  switch (group) {
    case DateGroup::Today: return "Today";
    case DateGroup::Yesterday: return "Yesterday";
    case DateGroup::Previous7Days: return "Previous 7 days";
    case DateGroup::Older: return "Older";
  }
  return "Older";
}

DateGroup dateGroupOf(int64_t updatedAtMs, int64_t nowMs, int64_t utcOffsetMs) {
  const int64_t daysAgo = localDay(nowMs, utcOffsetMs) - localDay(updatedAtMs, utcOffsetMs);
  if (daysAgo <= 0) return DateGroup::Today;
  if (daysAgo == 1) return DateGroup::Yesterday;
  if (daysAgo <= 7) return DateGroup::Previous7Days;
  return DateGroup::Older;
}

std::vector<DateSection> groupByDate(const std::vector<int64_t>& updatedAt, int64_t nowMs,
                                     int64_t utcOffsetMs) {
  std::vector<DateSection> sections;
  for (std::size_t i = 0; i < updatedAt.size(); ++i) {
    const DateGroup g = dateGroupOf(updatedAt[i], nowMs, utcOffsetMs);
    if (sections.empty() || sections.back().group != g) sections.push_back(DateSection{g, i, 0});
    ++sections.back().count;
  }
  return sections;
}

}  // namespace chat::core
