// Parsing of the manifest's enumerations from their JSON spelling.
#ifndef PROVGATE_MANIFEST_ENUMS_H_
#define PROVGATE_MANIFEST_ENUMS_H_

#include <optional>
#include <string_view>
#include <vector>

#include "provgate/manifest.h"

namespace provgate::detail {

template <typename E>
std::optional<E> ParseEnum(std::string_view text);

template <typename E>
std::vector<std::string_view> EnumNames();

}  // namespace provgate::detail

#endif  // PROVGATE_MANIFEST_ENUMS_H_
