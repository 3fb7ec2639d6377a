// The manifest's enumerations and their JSON spelling, both ways (see enums.h).
#include "manifest/enums.h"

#include <array>

namespace provgate {
namespace {

constexpr std::array<std::string_view, 3> kWeights = {"open", "closed", "unreleased"};
constexpr std::array<std::string_view, 3> kDeployment = {"commercial", "non-commercial",
                                                         "internal"};
constexpr std::array<std::string_view, 15> kSourceKind = {
    "web-crawl",    "books",           "code",         "academic",    "news",      "social",
    "encyclopedic", "licensed-corpus", "user-content", "first-party", "synthetic", "model-outputs",
    "annotations",  "conversations",   "other"};
constexpr std::array<std::string_view, 9> kBasis = {
    "license",  "contract", "public-domain", "first-party", "consent", "statutory-exception",
    "fair-use", "none",     "unknown"};
constexpr std::array<std::string_view, 10> kAcquisition = {
    "crawl",    "download", "purchase",  "license-deal", "api",
    "donation", "internal", "generated", "piracy",       "unknown"};
constexpr std::array<std::string_view, 9> kRelation = {
    "fine-tune", "continued-pretraining", "distillation", "synthetic-data", "merge",
    "adapter",   "quantization",          "judge",        "reward-model"};
constexpr std::array<std::string_view, 2> kLicenseScope = {"content", "compilation"};
constexpr std::array<std::string_view, 4> kDutyKind = {"attribution", "link", "display-notice",
                                                       "other"};
constexpr std::array<std::string_view, 1> kAllegationClaim = {"piracy"};

template <typename E, std::size_t N>
std::optional<E> Parse(const std::array<std::string_view, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

template <std::size_t N>
std::vector<std::string_view> List(const std::array<std::string_view, N>& names) {
  return {names.begin(), names.end()};
}

}  // namespace

std::string_view ToString(Weights v) { return kWeights[static_cast<std::size_t>(v)]; }
std::string_view ToString(Deployment v) { return kDeployment[static_cast<std::size_t>(v)]; }
std::string_view ToString(SourceKind v) { return kSourceKind[static_cast<std::size_t>(v)]; }
std::string_view ToString(Basis v) { return kBasis[static_cast<std::size_t>(v)]; }
std::string_view ToString(AcquisitionMethod v) { return kAcquisition[static_cast<std::size_t>(v)]; }
std::string_view ToString(Relation v) { return kRelation[static_cast<std::size_t>(v)]; }
std::string_view ToString(LicenseScope v) { return kLicenseScope[static_cast<std::size_t>(v)]; }
std::string_view ToString(DutyKind v) { return kDutyKind[static_cast<std::size_t>(v)]; }
std::string_view ToString(AllegationClaim v) {
  return kAllegationClaim[static_cast<std::size_t>(v)];
}

namespace detail {

template <>
std::optional<Weights> ParseEnum<Weights>(std::string_view text) {
  return Parse<Weights>(kWeights, text);
}
template <>
std::optional<Deployment> ParseEnum<Deployment>(std::string_view text) {
  return Parse<Deployment>(kDeployment, text);
}
template <>
std::optional<SourceKind> ParseEnum<SourceKind>(std::string_view text) {
  return Parse<SourceKind>(kSourceKind, text);
}
template <>
std::optional<Basis> ParseEnum<Basis>(std::string_view text) {
  return Parse<Basis>(kBasis, text);
}
template <>
std::optional<AcquisitionMethod> ParseEnum<AcquisitionMethod>(std::string_view text) {
  return Parse<AcquisitionMethod>(kAcquisition, text);
}
template <>
std::optional<Relation> ParseEnum<Relation>(std::string_view text) {
  return Parse<Relation>(kRelation, text);
}
template <>
std::optional<LicenseScope> ParseEnum<LicenseScope>(std::string_view text) {
  return Parse<LicenseScope>(kLicenseScope, text);
}
template <>
std::optional<DutyKind> ParseEnum<DutyKind>(std::string_view text) {
  return Parse<DutyKind>(kDutyKind, text);
}
template <>
std::optional<AllegationClaim> ParseEnum<AllegationClaim>(std::string_view text) {
  return Parse<AllegationClaim>(kAllegationClaim, text);
}

template <>
std::vector<std::string_view> EnumNames<Weights>() {
  return List(kWeights);
}
template <>
std::vector<std::string_view> EnumNames<Deployment>() {
  return List(kDeployment);
}
template <>
std::vector<std::string_view> EnumNames<SourceKind>() {
  return List(kSourceKind);
}
template <>
std::vector<std::string_view> EnumNames<Basis>() {
  return List(kBasis);
}
template <>
std::vector<std::string_view> EnumNames<AcquisitionMethod>() {
  return List(kAcquisition);
}
template <>
std::vector<std::string_view> EnumNames<Relation>() {
  return List(kRelation);
}
template <>
std::vector<std::string_view> EnumNames<LicenseScope>() {
  return List(kLicenseScope);
}
template <>
std::vector<std::string_view> EnumNames<DutyKind>() {
  return List(kDutyKind);
}
template <>
std::vector<std::string_view> EnumNames<AllegationClaim>() {
  return List(kAllegationClaim);
}

}  // namespace detail
}  // namespace provgate
