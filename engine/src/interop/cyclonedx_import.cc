// CycloneDX import: not written yet (see docs/interop.md).
#include "interop/import_formats.h"

namespace provgate::detail {

void ImportCycloneDx(const std::vector<ImportDocument>& documents, ImportBuilder& b) {
  b.Error({documents.empty() ? std::string("<input>") : documents[0].name, 0, 0, ""},
          "import-unsupported", "importing CycloneDX is not implemented yet");
}

}  // namespace provgate::detail
