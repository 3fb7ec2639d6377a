// The in-toto statement of a report: written canonically (RFC 8785) from the Report, and read
// back from a verified payload for what verification shows.
#ifndef PROVGATE_ATTEST_STATEMENT_H_
#define PROVGATE_ATTEST_STATEMENT_H_

#include <string>

#include "provgate/attest.h"

namespace provgate::detail {

// Reads what `verify` shows from the statement `payload` into `result`; returns why it cannot
// be taken as a provgate compliance report (the cause first: "duplicate key" for a member name
// twice in one object, "not a compliance report" otherwise), or an empty string.
std::string ReadStatement(const std::string& payload, VerifyResult& result);

}  // namespace provgate::detail

#endif  // PROVGATE_ATTEST_STATEMENT_H_
