#include "common/date.h"

#include <algorithm>
#include <cstddef>
#include <string>

namespace provgate::detail {
namespace {

// The value of `count` ASCII digits at `text[from]`, or -1 when one is not a digit.
int DigitsValue(std::string_view text, std::size_t from, std::size_t count) {
  int value = 0;
  for (std::size_t i = from; i < from + count; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// YYYY-MM at the start of `text` (which has at least 7 characters): the year (0 to 9999), or
// -1.
int YearOfYearMonth(std::string_view text, int& month) {
  if (text[4] != '-') return -1;
  int year = DigitsValue(text, 0, 4);
  month = DigitsValue(text, 5, 2);
  if (month < 1 || month > 12) return -1;
  return year;
}

}  // namespace

bool IsCalendarDate(std::string_view text) {
  if (text.size() != 10 || text[7] != '-') return false;
  int month = 0;
  int year = YearOfYearMonth(text, month);
  if (year < 1) return false;
  int day = DigitsValue(text, 8, 2);
  static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int last = kDaysInMonth[month - 1] + (month == 2 && IsLeapYear(year) ? 1 : 0);
  return day >= 1 && day <= last;
}

bool IsCalendarDateOrYearMonth(std::string_view text) {
  if (text.size() == 7) {
    int month = 0;
    return YearOfYearMonth(text, month) >= 0;
  }
  return IsCalendarDate(text);
}

namespace {

// Days since 0001-01-01 of a proleptic Gregorian date, and back (Howard Hinnant's algorithms
// for civil dates, shifted so that the year starts in March).
long DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const long era = y / 400;
  const long yoe = y - era * 400;
  const long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe;
}

void CivilFromDays(long z, int& y, int& m, int& d) {
  const long era = z / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

}  // namespace

std::string AddDays(std::string_view date, int days) {
  int y = DigitsValue(date, 0, 4), m = DigitsValue(date, 5, 2), d = DigitsValue(date, 8, 2);
  const long first = DaysFromCivil(1, 1, 1), last = DaysFromCivil(9999, 12, 31);
  long z = std::clamp(DaysFromCivil(y, m, d) + days, first, last);
  CivilFromDays(z, y, m, d);
  // The clamp keeps y in 1..9999, m in 1..12 and d in 1..31.
  std::string text(10, '-');
  const auto put = [&text](std::size_t at, int value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10)
      text[at + i] = static_cast<char>('0' + value % 10);
  };
  put(0, y, 4);
  put(5, m, 2);
  put(8, d, 2);
  return text;
}

}  // namespace provgate::detail
