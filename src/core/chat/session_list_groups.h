// The sidebar's date groups: Today, Yesterday, Previous 7 days, Older, by the day (in the
// user's time zone) a chat was last updated. Pure: the clock and the zone come in as numbers.
#pragma once

#include <cstdint>
#include <cstddef>
#include <vector>

namespace chat::core {

enum class DateGroup { Today, Yesterday, Previous7Days, Older };

const char* dateGroupLabel(DateGroup group);  // "Today", "Yesterday", "Previous 7 days", "Older"

// `utcOffsetMs`: local time minus UTC (the browser's, e.g. +3,600,000 in Paris in winter).
// Days are counted in that zone from local midnight; a time in the future counts as Today.
// The offset of now is used for both times: across a DST change a chat may move one hour
// between groups, which nobody can tell from a group label.
DateGroup dateGroupOf(int64_t updatedAtMs, int64_t nowMs, int64_t utcOffsetMs);

// A run of rows of one group, as the sidebar draws them under one heading: rows
// [first, first + count) of the list given to groupByDate.
struct DateSection {
  DateGroup group = DateGroup::Today;
  std::size_t first = 0;
  std::size_t count = 0;
};

// Sections of rows updated at `updatedAt` (in the list's order, newest first, so each group
// is one run); empty groups are left out.
std::vector<DateSection> groupByDate(const std::vector<int64_t>& updatedAt, int64_t nowMs,
                                     int64_t utcOffsetMs);

}  // namespace chat::core
