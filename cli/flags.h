// A small command-line flag reader: `--name value`, `--name=value`, and positionals.
#ifndef PROVGATE_CLI_FLAGS_H_
#define PROVGATE_CLI_FLAGS_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace provgate::cli {

class Flags {
 public:
  // `with_value`: flags that take a value; `switches`: flags that do not.
  Flags(std::set<std::string> with_value, std::set<std::string> switches)
      : with_value_(std::move(with_value)), switches_(std::move(switches)) {}

  // Parses args (after the command name). On error returns false and sets `error`.
  bool Parse(const std::vector<std::string>& args, std::string& error);

  std::optional<std::string> Get(const std::string& name) const;
  std::vector<std::string> GetAll(const std::string& name) const;
  bool Has(const std::string& name) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  std::set<std::string> with_value_;
  std::set<std::string> switches_;
  std::multimap<std::string, std::string> values_;
  std::vector<std::string> positionals_;
};

// Prints `provgate: error: message` and returns exit code 2.
int UsageError(const std::string& message);

}  // namespace provgate::cli

#endif  // PROVGATE_CLI_FLAGS_H_
