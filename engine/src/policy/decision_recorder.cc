// A source's row of the decision table, from its permission and the stages that use it.
#include "policy/decision_recorder.h"

namespace provgate::detail {

SharedText DecisionRecorder::Shared(std::string_view text) {
  if (text.empty()) return {};
  auto it = texts_.find(text);
  if (it == texts_.end()) {
    std::string key(text);
    it = texts_.emplace(std::move(key), SharedText(text)).first;
  }
  return it->second;
}

SourceDecision DecisionRecorder::Record(const Source& source, const PermissionResult& permission,
                                        std::string_view detail,
                                        const std::vector<std::size_t>* stages) {
  SourceDecision d;
  d.id = arena_.Copy(source.id);
  if (source.title) d.title = arena_.Copy(*source.title);
  d.permitted = permission.permitted;
  d.reason = Shared(permission.reason);
  d.detail = Shared(detail);
  // The manifest's spellings of enums and the licence classes' names are static text.
  d.basis = SharedText(ToString(source.permission.basis), nullptr);
  if (source.license) {
    d.license = Shared(*source.license);
    if (permission.license != nullptr && permission.license->parsed) {
      d.license_canonical = Shared(permission.license->canonical);
    }
  }
  d.license_class = permission.license == nullptr
                        ? SharedText(std::string_view("none"), nullptr)
                        : SharedText(ToString(permission.license->license_class), nullptr);
  if (source.size) {
    d.tokens = source.size->tokens;
    d.bytes = source.size->bytes;
  }
  static const std::vector<std::size_t> kNone;
  const std::vector<std::size_t>& indices = stages != nullptr ? *stages : kNone;
  auto [it, inserted] = stage_lists_.try_emplace(indices);
  if (inserted) {
    auto ids = std::make_shared<std::vector<std::string>>();
    for (std::size_t stage : indices) ids->push_back(model_.stages[stage].id);
    it->second = std::move(ids);
  }
  d.stages = it->second;
  return d;
}

}  // namespace provgate::detail
