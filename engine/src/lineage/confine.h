// Where the files that lineage entries name may lie: beneath the repository that holds the
// checked manifest (CheckOptions::root), so that a manifest cannot make a check read a file
// elsewhere on the machine.
#ifndef PROVGATE_LINEAGE_CONFINE_H_
#define PROVGATE_LINEAGE_CONFINE_H_

#include <string>

#include "lineage/upstream.h"

namespace provgate::detail {

// The directory that confines lineage files, absolute and with symlinks resolved: `configured`
// when given, else the nearest directory above the manifest that holds `.git` or
// `.provgate.yaml`; empty when there is none (lineage is then not confined).
std::string LineageRoot(const std::string& manifest_path, const std::string& configured);

// Whether the lineage file at `path` (a manifest or a signed report, `what`, written
// `as_written` in the manifest) is a regular file beneath `root` (empty: anywhere). When not,
// false with `status` saying why: missing (kMissing), outside the root or not a regular file
// (kInvalid).
bool LineageFileUsable(const std::string& root, const std::string& path,
                       const std::string& as_written, const char* what, UpstreamStatus& status);

}  // namespace provgate::detail

#endif  // PROVGATE_LINEAGE_CONFINE_H_
