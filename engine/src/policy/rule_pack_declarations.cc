// pack.yaml's declarations: the profiles and what each changes in the engine, the
// parameters, the reason codes, the integrity rule, the rules never waived, and which lineage
// relations carry taint. The engine asks the pack these things instead of knowing its names.
#include <algorithm>
#include <charconv>

#include "manifest/enums.h"
#include "policy/rule_pack_loader.h"

namespace provgate {

const ProfileInfo* PackInfo::FindProfile(const std::string& name) const {
  for (const ProfileInfo& profile : profiles) {
    if (profile.name == name) return &profile;
  }
  return nullptr;
}

namespace detail {
namespace {

void LoadProfiles(const YAML::Node& root, YamlFile& file, PackInfo& info) {
  if (YAML::Node profiles = root["profiles"]; profiles && profiles.IsSequence()) {
    for (const auto& p : profiles) {
      if (!file.CheckKeys(p, "a profile",
                          {"name", "description", "statutory_exception", "intermediate_facts"},
                          {"name"})) {
        continue;
      }
      ProfileInfo profile;
      file.String(p, "name", profile.name);
      file.String(p, "description", profile.description);
      file.Flag(p, "statutory_exception", profile.statutory_exception);
      file.Flag(p, "intermediate_facts", profile.intermediate_facts);
      info.profiles.push_back(std::move(profile));
    }
  } else if (profiles) {
    file.Error(profiles.Mark(), "expected a list of profiles");
  }
  if (info.profiles.empty()) file.Error(root.Mark(), "the pack defines no profile");
  if (!file.String(root, "default_profile", info.default_profile) && !info.profiles.empty()) {
    info.default_profile = info.profiles.front().name;
  }
  if (!info.profiles.empty() && info.FindProfile(info.default_profile) == nullptr) {
    file.Error(root["default_profile"].Mark(),
               "default_profile '" + info.default_profile + "' is not one of the profiles");
  }
}

void LoadParameters(const YAML::Node& root, YamlFile& file, RulePack& pack) {
  expr::MapData params;
  if (YAML::Node parameters = root["parameters"]) {
    if (!parameters.IsSequence()) {
      file.Error(parameters.Mark(), "expected a list of parameters");
    } else {
      for (const auto& p : parameters) {
        if (!file.CheckKeys(p, "a parameter", {"name", "type", "default", "description"},
                            {"name", "type", "default"})) {
          continue;
        }
        ParameterInfo parameter;
        file.String(p, "name", parameter.name);
        file.String(p, "type", parameter.type);
        file.String(p, "default", parameter.default_value);
        file.String(p, "description", parameter.description);
        std::optional<expr::Value> value = ParseParamValue(parameter.type, parameter.default_value);
        if (!value) {
          file.Error(p["default"].Mark(), "default '" + parameter.default_value +
                                              "' is not a valid " + parameter.type +
                                              " (types: bool, int, string)");
          continue;
        }
        params.entries.emplace_back(expr::Value::String(parameter.name), *value);
        pack.info.parameters.push_back(std::move(parameter));
      }
    }
  }
  pack.params = expr::Value::Map(std::move(params));
}

void LoadReasons(const YAML::Node& root, YamlFile& file, PackInfo& info) {
  YAML::Node reasons = root["reasons"];
  if (!reasons) return;
  if (!reasons.IsSequence()) {
    file.Error(reasons.Mark(), "expected a list of reason codes");
    return;
  }
  for (const auto& r : reasons) {
    if (!file.CheckKeys(r, "a reason", {"code", "title", "description", "remedy"},
                        {"code", "title", "description"})) {
      continue;
    }
    ReasonInfo reason;
    file.String(r, "code", reason.code);
    file.String(r, "title", reason.title);
    file.String(r, "description", reason.description);
    file.String(r, "remedy", reason.remedy);
    info.reasons.push_back(std::move(reason));
  }
}

// The variables of taint_carries: the edge's relation, and the check's profile and
// parameters.
class TaintActivation : public expr::Activation {
 public:
  TaintActivation(std::string_view relation, const expr::Value& profile, const expr::Value& params)
      : relation_(relation), profile_(profile), params_(params) {}
  bool Find(std::string_view name, expr::Value& out) const override {
    if (name == "relation") {
      out = expr::Value::BorrowedString(relation_);
    } else if (name == "profile") {
      out = profile_;
    } else if (name == "params") {
      out = params_;
    } else {
      return false;
    }
    return true;
  }

 private:
  std::string_view relation_;
  const expr::Value& profile_;
  const expr::Value& params_;
};

constexpr std::uint64_t kTaintCostLimit = 1'000'000;

// Compiles taint_carries, and evaluates it for every relation in every profile with the
// parameters' defaults: each must give true or false, so that a mistake in the expression is
// found when the pack is loaded rather than making every relation carry taint.
void LoadTaintCarries(const YAML::Node& root, YamlFile& file, RulePack& pack) {
  YAML::Node node = root["taint_carries"];
  if (!node) return;
  pack.taint_carries = file.Expression(node, "taint_carries");
  if (!pack.taint_carries) return;
  pack.info.taint_carries = node.Scalar();
  if (!file.CheckVariables(node, pack.taint_carries->variables(), {"params", "profile", "relation"},
                           "taint_carries")) {
    return;
  }
  for (const ProfileInfo& profile : pack.info.profiles) {
    expr::Value profile_value = expr::Value::String(profile.name);
    for (std::string_view relation : EnumNames<Relation>()) {
      TaintActivation activation(relation, profile_value, pack.params);
      expr::Budget budget(kTaintCostLimit);
      expr::Value result = pack.taint_carries->Evaluate(activation, budget);
      if (result.kind() == expr::Kind::kBool) continue;
      file.Error(node.Mark(),
                 "taint_carries gives " +
                     (result.is_error() ? "an error (" + std::string(result.ErrorMessage()) + ")"
                                        : "a " + std::string(expr::KindName(result.kind()))) +
                     " for relation '" + std::string(relation) + "' in profile '" + profile.name +
                     "': expected true or false");
      return;
    }
  }
}

}  // namespace

std::optional<expr::Value> ParseParamValue(std::string_view type, std::string_view text) {
  if (type == "bool") {
    if (text == "true") return expr::Value::Bool(true);
    if (text == "false") return expr::Value::Bool(false);
  } else if (type == "int") {
    // Decimal digits with an optional '-', all of the text, within 64 bits: "1-2", "-",
    // "+1", " 1" and a number too large are not an int.
    std::int64_t number = 0;
    const char* end = text.data() + text.size();
    auto [stop, error] = std::from_chars(text.data(), end, number);
    if (!text.empty() && error == std::errc() && stop == end) return expr::Value::Int(number);
  } else if (type == "string") {
    return expr::Value::String(std::string(text));
  }
  return std::nullopt;
}

void LoadPackDeclarations(const YAML::Node& root, YamlFile& file, RulePack& pack) {
  LoadProfiles(root, file, pack.info);
  LoadParameters(root, file, pack);
  LoadReasons(root, file, pack.info);
  file.String(root, "integrity_rule", pack.info.integrity_rule);
  pack.info.never_waived = file.StringList(root, "never_waived");
  LoadTaintCarries(root, file, pack);
}

void CheckRuleDeclarations(const YAML::Node& root, YamlFile& file, PackInfo& info) {
  auto is_rule = [&](const std::string& id) {
    return std::any_of(info.rules.begin(), info.rules.end(),
                       [&](const RuleInfo& rule) { return rule.id == id; });
  };
  if (!info.integrity_rule.empty() && !is_rule(info.integrity_rule)) {
    file.Error(root["integrity_rule"].Mark(),
               "integrity_rule '" + info.integrity_rule + "' is not a rule of the pack");
  }
  for (const std::string& id : info.never_waived) {
    if (!is_rule(id)) {
      file.Error(root["never_waived"].Mark(),
                 "never_waived names '" + id + "', which is not a rule of the pack");
    }
  }
  // Integrity errors say the manifest is wrong, and every other verdict rests on it: unless
  // the pack says otherwise, no waiver accepts them.
  if (!root["never_waived"] && !info.integrity_rule.empty()) {
    info.never_waived.push_back(info.integrity_rule);
  }
}

bool CarriesTaint(const RulePack& pack, Relation relation, const expr::Value& profile,
                  const expr::Value& params, std::uint64_t cost_limit) {
  if (!pack.taint_carries) return true;
  TaintActivation activation(ToString(relation), profile, params);
  expr::Budget budget(cost_limit);
  expr::Value result = pack.taint_carries->Evaluate(activation, budget);
  return result.kind() != expr::Kind::kBool || result.AsBool();
}

}  // namespace detail
}  // namespace provgate
