// Status: how provgate reports operational failures (I/O, crypto, resources).
#ifndef PROVGATE_STATUS_H_
#define PROVGATE_STATUS_H_

#include <string>
#include <utility>

namespace provgate {

/// The outcome of an operation that can fail for reasons outside the input's content.
///
/// Invalid input is reported with Diagnostic lists instead; a policy outcome is data in the
/// report. `kNotFound` and `kInvalidArgument` exist for callers that must tell the user which
/// file or flag is wrong (exit code 2); the others are operational failures (exit code 3).
class Status {
 public:
  enum class Code { kOk, kInvalidArgument, kNotFound, kIoError, kInternal };

  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string message) {
    return {Code::kInvalidArgument, std::move(message)};
  }
  static Status NotFound(std::string message) { return {Code::kNotFound, std::move(message)}; }
  static Status IoError(std::string message) { return {Code::kIoError, std::move(message)}; }
  static Status Internal(std::string message) { return {Code::kInternal, std::move(message)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

}  // namespace provgate

#endif  // PROVGATE_STATUS_H_
