#!/usr/bin/env python3
"""The manifest schema and the loader agree.

Generates a corpus of manifests by mutating rich valid ones (every field replaced by values of
every JSON type and by boundary values, every key removed, unknown and x- keys added), adds the
hand-written files of corpus/, and checks that `provgate validate` (exit 2 = rejected) and an
independent JSON Schema 2020-12 validator (python3-jsonschema, with format checking) accept or
reject each one identically.

Known, documented difference left out of the corpus: the loader rejects an object with a
repeated key (I-JSON), which JSON Schema cannot see after parsing.
"""
import argparse
import copy
import glob
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

DIGEST = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"


def rich_manifest():
    return {
        "manifest_version": "1",
        "model": {
            "id": "acme/atlas",
            "organization": "Acme",
            "release": {"weights": "open", "license": "Apache-2.0", "deployment": "internal",
                        "date": "2026-09-01"},
            "stages": [
                {"id": "pretrain", "sources": ["a", "b"],
                 "checkpoint": {"id": "acme/atlas-base", "weights": "open", "license": "MIT",
                                "date": "2026-01-31"}},
                {"id": "sft", "sources": ["c"]},
            ],
            "lineage": [
                {"relation": "distillation", "model": "t/teacher", "manifest": "up/t.json",
                 "stage": "pretrain"},
                {"relation": "judge", "model": "j/judge", "attestation": "up/j.dsse.json"},
                {"relation": "merge", "model": "m/merged", "ledger": True},
            ],
        },
        "sources": [
            {"id": "a", "title": "A", "kind": "social", "uri": "https://a.example/",
             "license": "LicenseRef-deal",
             "permission": {"basis": "contract",
                            "evidence": [{"uri": "c.pdf", "sha256": DIGEST}],
                            "grants": {"training": True, "commercial": False,
                                       "closed_weights": True},
                            "valid_from": "2024-02-29", "valid_until": "2027-01-31"},
             "acquisition": {"method": "license-deal", "opt_outs_honored": True,
                             "date": "2024-03"},
             "size": {"tokens": 120, "bytes": 480, "documents": 9},
             "digest": {"sha256": DIGEST},
             "files": [{"path": "data/a.bin", "sha256": DIGEST, "bytes": 5}]},
            {"id": "b", "kind": "model-outputs", "permission": {"basis": "license"},
             "generated_by": {"model": "t/teacher", "terms_allow_training": False}},
            {"id": "c", "kind": "first-party", "permission": {"basis": "first-party"},
             "acquisition": {"date": "2025-06-30"}},
        ],
    }


REPLACEMENTS = [None, True, False, 0, -1, 1.5, 1.0, 1e3, -0.0, 18446744073709551615,
                18446744073709551616, "", "x", "open", "contract", "synthetic", [], ["x"], {},
                {"x-k": 1}, "2026-02-30", "2024-02-29", "2025-02-29", "2026-13", "2026-12",
                "2026-1-01", DIGEST, DIGEST.upper(), DIGEST[:63], "../escape.jsonl",
                "/abs.jsonl", "dir/../x.jsonl", "ok/sources.jsonl"]


def walk(node, path=()):
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, path + (i,))


def set_at(doc, path, value):
    doc = copy.deepcopy(doc)
    target = doc
    for p in path[:-1]:
        target = target[p]
    target[path[-1]] = value
    return doc


def delete_at(doc, path):
    doc = copy.deepcopy(doc)
    target = doc
    for p in path[:-1]:
        target = target[p]
    del target[path[-1]]
    return doc


def variants(base):
    yield "base", base
    for path, node in walk(base):
        name = "/" + "/".join(map(str, path))
        if isinstance(node, dict):
            yield name + " +bogus", set_at(base, path + ("bogus",), 1) if path else dict(base, bogus=1)
            yield name + " +x-ext", set_at(base, path + ("x-ext",), {"a": [1]}) if path else dict(base, **{"x-ext": 1})
            for key in node:
                yield f"{name}/{key} deleted", delete_at(base, path + (key,))
        if path:
            for value in REPLACEMENTS:
                yield f"{name} = {json.dumps(value)}", set_at(base, path, value)
    # Conditional requirements and exclusive fields.
    yield "closed without license", set_at(delete_at(base, ("model", "release", "license")),
                                           ("model", "release", "weights"), "closed")
    yield "jsonl sources", set_at(base, ("sources",), {"jsonl": "sources.jsonl"})
    yield "jsonl sources + other key", set_at(base, ("sources",), {"jsonl": "s.jsonl", "x": 1})
    yield "lineage manifest and attestation", set_at(
        base, ("model", "lineage", 0, "attestation"), "a.json")
    yield "lineage manifest and ledger false", set_at(base, ("model", "lineage", 0, "ledger"), False)
    yield "lineage manifest and ledger true", set_at(base, ("model", "lineage", 0, "ledger"), True)
    yield "contract with empty evidence", set_at(base, ("sources", 0, "permission", "evidence"), [])
    yield "license basis with empty evidence", set_at(
        set_at(base, ("sources", 0, "permission", "evidence"), []),
        ("sources", 0, "permission", "basis"), "license")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--provgate", required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--corpus", required=True)
    args = parser.parse_args()
    with open(args.schema, encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(schema,
                                                format_checker=jsonschema.FormatChecker())

    documents = list(variants(rich_manifest()))
    for path in sorted(glob.glob(os.path.join(args.corpus, "*.json"))):
        with open(path, "rb") as f:
            documents.append((os.path.basename(path), f.read()))

    disagreements = []
    counts = {"accepted": 0, "rejected": 0}
    with tempfile.TemporaryDirectory() as tmp:
        manifest_path = os.path.join(tmp, "manifest.json")
        # Side files that JSONL variants name (empty: zero sources), so only the manifest
        # itself decides.
        for side in ("sources.jsonl", "s.jsonl"):
            open(os.path.join(tmp, side), "w").close()
        for name, doc in documents:
            raw = doc if isinstance(doc, bytes) else json.dumps(doc, indent=1).encode()
            with open(manifest_path, "wb") as f:
                f.write(raw)
            try:
                parsed = json.loads(raw.decode("utf-8"))
                schema_ok = not list(validator.iter_errors(parsed))
            except (UnicodeDecodeError, ValueError):
                schema_ok = False
            proc = subprocess.run([args.provgate, "validate", manifest_path, "--format", "json"],
                                  capture_output=True, timeout=60)
            if proc.returncode not in (0, 1, 2):
                disagreements.append(f"{name}: provgate exit {proc.returncode}")
                continue
            loader_ok = proc.returncode != 2
            counts["accepted" if schema_ok else "rejected"] += 1
            if schema_ok != loader_ok:
                errors = [e.message for e in validator.iter_errors(parsed)] if not schema_ok else []
                disagreements.append(
                    f"{name}: schema {'accepts' if schema_ok else 'rejects'} {errors[:2]}, "
                    f"loader {'accepts' if loader_ok else 'rejects'} "
                    f"{proc.stderr.decode(errors='replace').strip()[:300]}")
    print(f"{len(documents)} manifests: {counts['accepted']} accepted, "
          f"{counts['rejected']} rejected by both")
    if counts["accepted"] < 20 or counts["rejected"] < 100:
        disagreements.append("the corpus is too one-sided to show agreement")
    if disagreements:
        print(f"{len(disagreements)} disagreements:")
        print("\n".join(disagreements))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
