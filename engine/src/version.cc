#include "provgate/version.h"

namespace provgate {

const char* Version() { return PROVGATE_VERSION; }

}  // namespace provgate
