#include "common/date.h"

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

}  // namespace provgate::detail
