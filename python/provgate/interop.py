"""The metadata the field already has, in and out: Hugging Face cards, MLCommons Croissant,
SPDX 3 and CycloneDX as provgate manifests, and manifests with their reports as SPDX 3 and
CycloneDX documents (docs/interop.md)."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

from . import _core
from ._inputs import PathLike, check_options, fspath, load_pack, raise_for, text_argument
from .errors import InvalidInput

__all__ = ["Imported", "import_manifest", "export_manifest"]


class Imported:
    """A manifest imported from other formats: ``manifest`` (a dict, ready for
    provgate.check), ``manifest_json`` (its text, as ``provgate import`` writes it) and
    ``unmapped`` (each field of the input that has no place in a manifest: file, line,
    column, pointer, field, reason)."""

    def __init__(self, manifest_json: str, unmapped: List[Dict[str, Any]]) -> None:
        self.manifest_json = manifest_json
        self.manifest: Dict[str, Any] = json.loads(manifest_json)
        self.unmapped = unmapped

    def __repr__(self) -> str:
        model = self.manifest.get("model", {}).get("id", "?")
        return "<provgate.interop.Imported %s: %d sources, %d fields not mapped>" % (
            model, len(self.manifest.get("sources", [])), len(self.unmapped))


def import_manifest(format: str, *files: PathLike, model: Optional[str] = None,
                    weights: Optional[str] = None,
                    policy: Optional[PathLike] = None) -> Imported:
    """Imports `files` of one `format` (``hf-card``, ``croissant``, ``spdx3`` or
    ``cyclonedx``) into one manifest, as ``provgate import`` does. `model` names the model
    when the input names none, `weights` says how its weights are released (``open``,
    ``closed`` or ``unreleased``; the formats do not say). Input that is not valid in its own
    format, or describes neither a model nor a dataset, raises InvalidInput with
    ``file:line:column`` diagnostics.

    >>> imported = provgate.interop.import_manifest("hf-card", "model/README.md",
    ...                                             "data/README.md", weights="open")
    >>> report = provgate.check(imported.manifest, base_dir="model")
    """
    if not isinstance(format, str):
        raise TypeError("format must be a str")
    if not files:
        raise InvalidInput("import needs at least one file",
                           ["provgate: error: import needs at least one file"])
    paths = [fspath(f, "an input file") for f in files]
    for value, what in ((model, "model"), (weights, "weights")):
        if value is not None and not isinstance(value, str):
            raise TypeError("%s must be a str" % what)
    if weights is not None and weights not in ("open", "closed", "unreleased"):
        raise InvalidInput("weights must be 'open', 'closed' or 'unreleased'",
                           ["provgate: error: weights must be open, closed or unreleased, "
                            "not %r" % weights])
    if format not in ("hf-card", "croissant", "spdx3", "cyclonedx"):
        raise InvalidInput("unknown import format %r" % format,
                           ["provgate: error: unknown import format %r (expected hf-card, "
                            "croissant, spdx3 or cyclonedx)" % format])
    status, details, manifest_json, unmapped = _core.import_documents(
        format, paths, text_argument(model or "", "model"), weights or "",
        "" if policy is None else fspath(policy, "policy"))
    raise_for(status, details)
    return Imported(manifest_json, unmapped)


def export_manifest(format: str, manifest: PathLike, *, created: Optional[str] = None,
                    namespace: Optional[str] = None, policy: Optional[PathLike] = None,
                    **options: Any) -> str:
    """Checks the manifest at path `manifest` and returns it with its report as an SPDX 3.0.1
    (``spdx3``) or CycloneDX 1.6 (``cyclonedx``) document, as ``provgate export`` writes it.
    Takes the keyword arguments of provgate.check; `created` (``YYYY-MM-DD``) is the date the
    document gives, `namespace` the IRI of SPDX element ids."""
    if format not in ("spdx3", "cyclonedx"):
        raise InvalidInput("unknown export format %r" % (format,),
                           ["provgate: error: unknown export format %r (expected spdx3 or "
                            "cyclonedx)" % (format,)])
    for value, what in ((created, "created"), (namespace, "namespace")):
        if value is not None:
            if not isinstance(value, str):
                raise TypeError("%s must be a str" % what)
            text_argument(value, what)
    status, details, document = _core.export_manifest(
        load_pack(policy), format, fspath(manifest, "manifest"), check_options(**options),
        created or "", namespace or "")
    raise_for(status, details)
    return document
