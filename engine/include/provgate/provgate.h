// Everything of the provgate engine's public API.
#ifndef PROVGATE_PROVGATE_H_
#define PROVGATE_PROVGATE_H_

#include "provgate/attest.h"
#include "provgate/check.h"
#include "provgate/diagnostic.h"
#include "provgate/export_formats.h"
#include "provgate/expr.h"
#include "provgate/gate.h"
#include "provgate/interop.h"
#include "provgate/license.h"
#include "provgate/manifest.h"
#include "provgate/policy.h"
#include "provgate/report.h"
#include "provgate/session.h"
#include "provgate/shard.h"
#include "provgate/status.h"
#include "provgate/version.h"

#endif  // PROVGATE_PROVGATE_H_
