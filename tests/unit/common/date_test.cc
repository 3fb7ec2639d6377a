#include "common/date.h"

#include <gtest/gtest.h>

namespace provgate::detail {
namespace {

TEST(CalendarDate, AcceptsRealDays) {
  for (const char* date : {"2024-02-29", "2000-02-29", "2026-12-31", "0001-01-01", "9999-12-31",
                           "2026-04-30", "2026-01-31"}) {
    EXPECT_TRUE(IsCalendarDate(date)) << date;
  }
}

TEST(CalendarDate, RefusesDaysThatDoNotExist) {
  for (const char* date : {"2026-02-30", "2025-02-29", "1900-02-29", "2026-04-31", "2026-13-01",
                           "2026-00-10", "2026-01-00", "2026-01-32", "0000-01-01"}) {
    EXPECT_FALSE(IsCalendarDate(date)) << date;
  }
}

TEST(CalendarDate, RefusesOtherShapes) {
  for (const char* date :
       {"", "2026-1-01", "2026-01-1", "2026/01/01", "20260101", "2026-01-01 ", " 2026-01-01",
        "2026-01-01T00:00:00Z", "+026-01-01", "2026-0a-01", "2026-01",
        "\xef\xbc\x92"
        "026-01-01"}) {
    EXPECT_FALSE(IsCalendarDate(date)) << date;
  }
}

TEST(CalendarDate, YearMonthFollowsTheManifestSchemasPattern) {
  for (const char* date : {"2024-03", "0000-12", "2024-02-29"}) {
    EXPECT_TRUE(IsCalendarDateOrYearMonth(date)) << date;
  }
  for (const char* date : {"2024-13", "2024-00", "2024-3", "2024-02-30", "202403"}) {
    EXPECT_FALSE(IsCalendarDateOrYearMonth(date)) << date;
  }
}

TEST(AddDays, CrossesMonthsYearsAndLeapDays) {
  EXPECT_EQ(AddDays("2026-12-01", 0), "2026-12-01");
  EXPECT_EQ(AddDays("2026-12-01", 31), "2027-01-01");
  EXPECT_EQ(AddDays("2024-02-28", 1), "2024-02-29");
  EXPECT_EQ(AddDays("2025-02-28", 1), "2025-03-01");
  EXPECT_EQ(AddDays("1900-02-28", 1), "1900-03-01");
  EXPECT_EQ(AddDays("2000-02-28", 1), "2000-02-29");
  EXPECT_EQ(AddDays("2026-01-01", 365), "2027-01-01");
  EXPECT_EQ(AddDays("2028-01-01", 366), "2029-01-01");
  EXPECT_EQ(AddDays("2026-03-01", -1), "2026-02-28");
}

TEST(AddDays, ClampsToTheCalendar) {
  EXPECT_EQ(AddDays("9999-12-30", 5), "9999-12-31");
  EXPECT_EQ(AddDays("0001-01-02", -5), "0001-01-01");
  EXPECT_EQ(AddDays("2026-12-01", 4'000'000), "9999-12-31");
}

}  // namespace
}  // namespace provgate::detail
