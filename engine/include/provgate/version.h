// The provgate version.
#ifndef PROVGATE_VERSION_H_
#define PROVGATE_VERSION_H_

#include "provgate/export.h"

namespace provgate {

/// The version of the engine, e.g. "0.1.0".
PROVGATE_API const char* Version();

}  // namespace provgate

#endif  // PROVGATE_VERSION_H_
