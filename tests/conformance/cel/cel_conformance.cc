// Runs the CEL conformance tests of cel-spec (as exported from @bufbuild/cel-spec by
// run_conformance.js) against the rule language: selects the protobuf-free core, evaluates
// each test, compares with the expected value or error, and checks the result against the
// known failures and the minimum number of passes.
//
//   provgate_cel_conformance --suite SUITE.json --known-failures FILE
//                            --expect-selected N --min-pass N [--verbose]
//
// Exit codes: 0 when the selection is the expected one, at least --min-pass tests pass, and
// the failures are exactly those listed as known; 1 otherwise; 2 for bad arguments or files.
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "expr/program.h"
#include "expr/proto_json.h"

namespace provgate::expr {
namespace {

using nlohmann::json;

// The files of the suite that test the core language: not an extension library (math_ext,
// string_ext, encoders_ext, bindings_ext, block_ext, optionals, macros2), not messages,
// enums or well-known types (proto2, proto2_ext, proto3, dynamic, enums, wrappers,
// timestamps), not the type checker (type_deductions), not containers (namespace), not
// partial evaluation (unknowns).
const std::set<std::string, std::less<>> kCoreFiles = {
    "basic", "comparisons", "conversions", "fields", "fp_math",  "integer_math",
    "lists", "logic",       "macros",      "parse",  "plumbing", "string"};

// Names of CEL types, which are values of type `type` when not called.
const std::set<std::string, std::less<>> kTypeNames = {
    "int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type", "dyn"};

struct Word {
  std::string name;
  char next = '\0';  // The first character after the name and any white space.
};

// The names in an expression outside string literals, quoted names and comments. Written
// apart from the engine's lexer, so that the selection does not depend on what is tested.
std::vector<Word> NamesOutsideLiterals(std::string_view e) {
  std::vector<Word> words;
  auto is_name_start = [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
  };
  auto is_name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  };
  std::size_t i = 0;
  while (i < e.size()) {
    if (e.substr(i, 2) == "//") {
      while (i < e.size() && e[i] != '\n') ++i;
      continue;
    }
    // A string or bytes literal, with at most two prefix letters (r, b).
    std::size_t q = i;
    bool raw = false;
    bool after_name = i > 0 && is_name_char(e[i - 1]);
    while (!after_name && q < e.size() && q - i < 2 &&
           std::string_view("rRbB").find(e[q]) != std::string_view::npos) {
      raw = raw || e[q] == 'r' || e[q] == 'R';
      ++q;
    }
    if (!after_name && q < e.size() && (e[q] == '"' || e[q] == '\'')) {
      std::string_view quote =
          e.substr(q, 3) == std::string(3, e[q]) ? e.substr(q, 3) : e.substr(q, 1);
      i = q + quote.size();
      while (i < e.size() && e.substr(i, quote.size()) != quote)
        i += (e[i] == '\\' && !raw) ? 2 : 1;
      i += quote.size();
      continue;
    }
    if (e[i] == '`') {
      std::size_t end = e.find('`', i + 1);
      i = end == std::string_view::npos ? e.size() : end + 1;
      continue;
    }
    if (is_name_start(e[i])) {
      std::size_t end = i;
      while (end < e.size() && is_name_char(e[end])) ++end;
      std::size_t k = end;
      while (k < e.size() && std::string_view(" \t\r\n\f").find(e[k]) != std::string_view::npos)
        ++k;
      words.push_back({std::string(e.substr(i, end - i)), k < e.size() ? e[k] : '\0'});
      i = end;
      continue;
    }
    ++i;
  }
  return words;
}

// A declared type made only of CEL's core types: primitives, null, lists and maps of them.
bool IsCoreType(const json& type) {
  if (type.contains("primitive") || type.contains("null")) return true;
  if (type.contains("listType"))
    return IsCoreType(type["listType"].value("elemType", json::object()));
  if (type.contains("mapType")) {
    return IsCoreType(type["mapType"].value("keyType", json::object())) &&
           IsCoreType(type["mapType"].value("valueType", json::object()));
  }
  return false;
}

bool HoldsMember(const json& j, std::string_view member) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      if (key == member || HoldsMember(value, member)) return true;
    }
  } else if (j.is_array()) {
    for (const auto& value : j) {
      if (HoldsMember(value, member)) return true;
    }
  }
  return false;
}

// Why a test of a core file is outside the protobuf-free core; empty when it is inside.
std::string Exclusion(const json& test) {
  if (test.contains("container")) return "container";
  if (test.value("checkOnly", false)) return "check only";
  if (!test.contains("value") && !test.contains("evalError")) return "no value or error expected";
  for (const auto& declaration : test.value("typeEnv", json::array())) {
    if (!declaration.contains("ident") ||
        !IsCoreType(declaration["ident"].value("type", json::object()))) {
      return "declares a message type or a function";
    }
  }
  for (const char* part : {"bindings", "value"}) {
    if (test.contains(part) &&
        (HoldsMember(test[part], "objectValue") || HoldsMember(test[part], "typeValue"))) {
      return "message or type value";
    }
  }
  for (const Word& word : NamesOutsideLiterals(test.value("expr", ""))) {
    if (word.next == '{' && word.name != "in") return "message construction";
    if (word.name == "google" || word.name == "cel") return "message type name";
    if (word.name == "timestamp" || word.name == "duration") return "timestamp or duration";
    if (word.name == "type") return "type value";
    if (kTypeNames.count(word.name) != 0 && word.next != '(') return "type value";
  }
  return "";
}

// Equality of values including their types: 1 and 1u and 1.0 differ; NaN matches NaN.
bool SameValue(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::kNull:
      return true;
    case Kind::kBool:
      return a.AsBool() == b.AsBool();
    case Kind::kInt:
      return a.AsInt() == b.AsInt();
    case Kind::kUint:
      return a.AsUint() == b.AsUint();
    case Kind::kDouble:
      return a.AsDouble() == b.AsDouble() || (std::isnan(a.AsDouble()) && std::isnan(b.AsDouble()));
    case Kind::kString:
    case Kind::kBytes:
      return a.AsString() == b.AsString();
    case Kind::kList: {
      const auto& x = a.AsList();
      const auto& y = b.AsList();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!SameValue(x[i], y[i])) return false;
      }
      return true;
    }
    case Kind::kMap: {
      const auto& x = a.AsMap().entries;
      const auto& y = b.AsMap().entries;
      if (x.size() != y.size()) return false;
      for (const auto& [key, value] : x) {
        bool found = false;
        for (const auto& [other_key, other_value] : y) {
          if (SameValue(key, other_key)) {
            found = SameValue(value, other_value);
            break;
          }
        }
        if (!found) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

struct Outcome {
  bool passed = false;
  std::string detail;  // For a failure: what was expected and what came.
};

Outcome Run(const json& test) {
  std::string expression = test.value("expr", "");
  std::vector<ParseIssue> issues;
  CompileOptions options;
  // Tests that the type checker would refuse are evaluated as CEL does without it.
  options.reject_unknown_functions = !test.value("disableCheck", false);
  auto program = Program::Compile(expression, issues, options);
  if (!program) {
    return {false, "parse error: " + (issues.empty() ? std::string() : issues[0].message)};
  }
  ListActivation activation;
  if (test.contains("bindings")) {
    for (const auto& [name, binding] : test["bindings"].items()) {
      Value value;
      std::string error, pointer;
      if (!binding.contains("value") || !FromProtoJson(binding["value"], value, error, pointer)) {
        return {false, "binding " + name + " not readable: " + error};
      }
      activation.Set(name, value);
    }
  }
  Value result = program->Evaluate(activation);
  std::string got = ToProtoJson(result).dump();
  if (test.contains("evalError")) {
    if (result.is_error()) return {true, ""};
    return {false, "expected an error, got " + got};
  }
  Value expected;
  std::string error, pointer;
  if (!FromProtoJson(test["value"], expected, error, pointer)) {
    return {false, "expected value not readable: " + error};
  }
  if (!result.is_error() && SameValue(result, expected)) return {true, ""};
  return {false, "expected " + test["value"].dump() + ", got " + got};
}

// Known failures: one test id a line ("file/section/name"), then " -- " and the reason.
bool LoadKnownFailures(const std::string& path, std::map<std::string, std::string>& known) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::size_t cut = line.find(" -- ");
    std::string id = line.substr(0, cut);
    known[id] = cut == std::string::npos ? "" : line.substr(cut + 4);
  }
  return true;
}

int Main(int argc, char** argv) {
  std::string suite_path, known_path;
  long expect_selected = -1, min_pass = -1;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--suite") {
      suite_path = next();
    } else if (arg == "--known-failures") {
      known_path = next();
    } else if (arg == "--expect-selected") {
      expect_selected = std::strtol(next().c_str(), nullptr, 10);
    } else if (arg == "--min-pass") {
      min_pass = std::strtol(next().c_str(), nullptr, 10);
    } else if (arg == "--verbose") {
      verbose = true;
    } else {
      std::cerr << "unknown argument: " << arg << "\n";
      return 2;
    }
  }
  if (suite_path.empty() || known_path.empty() || expect_selected < 0 || min_pass < 0) {
    std::cerr << "usage: provgate_cel_conformance --suite SUITE.json --known-failures FILE "
                 "--expect-selected N --min-pass N [--verbose]\n";
    return 2;
  }
  std::ifstream suite_file(suite_path);
  json suite = json::parse(suite_file, nullptr, /*allow_exceptions=*/false);
  if (!suite.is_object() || !suite.contains("suites")) {
    std::cerr << "cannot read the suite " << suite_path << "\n";
    return 2;
  }
  std::map<std::string, std::string> known;
  if (!LoadKnownFailures(known_path, known)) {
    std::cerr << "cannot read the known failures " << known_path << "\n";
    return 2;
  }

  long selected = 0, passed = 0;
  std::map<std::string, std::pair<long, long>> per_file;  // passed, selected
  std::map<std::string, long> excluded;
  std::vector<std::string> regressions, known_failing;
  std::set<std::string> seen;
  for (const auto& file : suite["suites"]) {
    std::string file_name = file.value("name", "");
    for (const auto& section : file.value("suites", json::array())) {
      for (const auto& entry : section.value("tests", json::array())) {
        const json& test = entry["original"];
        if (kCoreFiles.count(file_name) == 0) {
          ++excluded["not a core file"];
          continue;
        }
        std::string why = Exclusion(test);
        if (!why.empty()) {
          ++excluded[why];
          continue;
        }
        std::string id = file_name + "/" + section.value("name", "") + "/" + test.value("name", "");
        seen.insert(id);
        ++selected;
        ++per_file[file_name].second;
        Outcome outcome = Run(test);
        if (outcome.passed) {
          ++passed;
          ++per_file[file_name].first;
          if (known.count(id) != 0) {
            regressions.push_back("PASSES, but listed as a known failure: " + id);
          } else if (verbose) {
            std::cout << "pass " << id << "\n";
          }
          continue;
        }
        std::string line = id + "\n    " + test.value("expr", "") + "\n    " + outcome.detail;
        if (known.count(id) != 0) {
          known_failing.push_back(line + "\n    known: " + known[id]);
        } else {
          regressions.push_back("FAILS: " + line);
        }
      }
    }
  }
  for (const auto& [id, reason] : known) {
    if (seen.count(id) == 0)
      regressions.push_back("listed as a known failure, but not selected: " + id);
  }

  std::cout << "CEL conformance (protobuf-free core):\n";
  for (const auto& [name, counts] : per_file) {
    std::cout << "  " << name << ": " << counts.first << "/" << counts.second << "\n";
  }
  std::cout << "excluded:";
  for (const auto& [why, count] : excluded) std::cout << " " << why << " " << count << ";";
  std::cout << "\n";
  for (const std::string& line : known_failing) std::cout << "known failure: " << line << "\n";
  for (const std::string& line : regressions) std::cout << line << "\n";
  std::cout << "passed " << passed << " of " << selected << " selected tests (at least " << min_pass
            << " of " << expect_selected << " required)\n";
  bool ok = true;
  if (selected != expect_selected) {
    std::cout << "FAIL: selected " << selected << " tests, expected " << expect_selected
              << " (is the pinned version of @bufbuild/cel-spec installed? scripts/dev.sh test)\n";
    ok = false;
  }
  if (passed < min_pass) {
    std::cout << "FAIL: fewer passes than the minimum\n";
    ok = false;
  }
  if (!regressions.empty()) {
    std::cout << "FAIL: the failures differ from " << known_path << "\n";
    ok = false;
  }
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace provgate::expr

int main(int argc, char** argv) { return provgate::expr::Main(argc, argv); }
