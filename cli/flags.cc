#include "flags.h"

#include <cctype>
#include <cstdio>

#include "output.h"

namespace provgate::cli {

bool Flags::Parse(const std::vector<std::string>& args, std::string& error) {
  bool only_positionals = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    // A negative number ("-1") is a value, not an option.
    bool numeric = arg.size() >= 2 && arg[0] == '-' &&
                   (std::isdigit(static_cast<unsigned char>(arg[1])) || arg[1] == '.');
    if (only_positionals || numeric || arg.size() < 2 || arg[0] != '-' || arg == "-") {
      positionals_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_positionals = true;
      continue;
    }
    std::string name = arg;
    std::optional<std::string> value;
    if (std::size_t eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    if (switches_.count(name) != 0) {
      if (value) {
        error = "option " + name + " takes no value";
        return false;
      }
      values_.emplace(name, "");
    } else if (with_value_.count(name) != 0) {
      if (!value) {
        if (i + 1 >= args.size()) {
          error = "option " + name + " needs a value";
          return false;
        }
        value = args[++i];
      }
      values_.emplace(name, *value);
    } else {
      error = "unknown option '" + name + "' (see --help)";
      return false;
    }
  }
  return true;
}

std::optional<std::string> Flags::Get(const std::string& name) const {
  auto range = values_.equal_range(name);
  if (range.first == range.second) return std::nullopt;
  return std::prev(range.second)->second;  // The last one wins.
}

std::vector<std::string> Flags::GetAll(const std::string& name) const {
  std::vector<std::string> out;
  auto range = values_.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
  return out;
}

bool Flags::Has(const std::string& name) const { return values_.count(name) != 0; }

int UsageError(const std::string& message) {
  PrintError(message);
  return 2;
}

}  // namespace provgate::cli
