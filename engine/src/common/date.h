// Calendar dates as manifests, waivers and check options write them.
#ifndef PROVGATE_COMMON_DATE_H_
#define PROVGATE_COMMON_DATE_H_

#include <string>
#include <string_view>

namespace provgate::detail {

// True when `text` is YYYY-MM-DD (ASCII digits) naming a day of the proleptic Gregorian
// calendar from 0001-01-01 to 9999-12-31: `2024-02-29` is one, `2025-02-29`, `2026-04-31` and
// `0000-01-01` are not. This is JSON Schema's `format: date` (RFC 3339 full-date) as
// python-jsonschema checks it, and the only date check of the engine.
bool IsCalendarDate(std::string_view text);

// A calendar date, or YYYY-MM with a month from 01 to 12 (any four-digit year, as the
// manifest schema's pattern says).
bool IsCalendarDateOrYearMonth(std::string_view text);

// The calendar date `days` days after `date` (a valid calendar date), clamped to the range
// of IsCalendarDate.
std::string AddDays(std::string_view date, int days);

}  // namespace provgate::detail

#endif  // PROVGATE_COMMON_DATE_H_
