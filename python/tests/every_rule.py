"""A manifest whose check has findings of every rule of the default pack (P6 under profile
intermediate), with its sources in a JSON Lines side file: ids repeated far apart, and the
sources of every stage spread over the whole file, so that any split into partitions puts
them in different partitions."""

import json
import os

DIGEST = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"

TEACHER = {
    "manifest_version": "1",
    "model": {"id": "lab/tainted-teacher", "release": {"weights": "open", "license": "MIT"}},
    "sources": [{"id": "scraped", "kind": "web-crawl", "permission": {"basis": "none"},
                 "size": {"tokens": 100}, "digest": {"sha256": DIGEST}}],
}

# One source of each kind that a rule judges, repeated through the file.
PATTERNS = [
    # P1: no permission; P9 too, without a digest.
    lambda i: {"id": "crawl-%d" % i, "kind": "web-crawl", "permission": {"basis": "none"},
               "size": {"tokens": 1000 + i}},
    # P1: pirated books.
    lambda i: {"id": "books-%d" % i, "kind": "books", "title": "Shadow library %d" % i,
               "license": "LicenseRef-all-rights-reserved",
               "permission": {"basis": "license"},
               "acquisition": {"method": "piracy"},
               "size": {"tokens": 5000 + i}, "digest": {"sha256": DIGEST}},
    # P7: attribution.
    lambda i: {"id": "wiki-%d" % i, "kind": "encyclopedic", "title": "Encyclopedia dump %d" % i,
               "uri": "https://wiki.example/%d" % i, "license": "CC-BY-4.0",
               "permission": {"basis": "license"}, "acquisition": {"method": "download"},
               "size": {"tokens": 2000 + i}, "digest": {"sha256": DIGEST}},
    # P8: share-alike.
    lambda i: {"id": "sa-%d" % i, "kind": "encyclopedic", "title": "Share-alike text %d" % i,
               "license": "CC-BY-SA-4.0", "permission": {"basis": "license"},
               "acquisition": {"method": "download"}, "size": {"tokens": 3000 + i},
               "digest": {"sha256": DIGEST}},
    # P8: copyleft code.
    lambda i: {"id": "gpl-%d" % i, "kind": "code", "license": "GPL-3.0-only",
               "permission": {"basis": "license"}, "acquisition": {"method": "download"},
               "size": {"tokens": 700 + i}, "digest": {"sha256": DIGEST}},
    # Permitted.
    lambda i: {"id": "own-%d" % i, "kind": "first-party", "permission": {"basis": "first-party"},
               "acquisition": {"method": "internal"}, "size": {"tokens": 10 + i},
               "digest": {"sha256": DIGEST}},
]


def write(directory, count=3000, blank_every=97):
    """Writes manifest.json, teacher.json and sources.jsonl into `directory`; returns the
    manifest's path."""
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "teacher.json"), "w", encoding="utf-8") as handle:
        json.dump(TEACHER, handle, indent=2)
    ids = []
    with open(os.path.join(directory, "sources.jsonl"), "w", encoding="utf-8") as handle:
        for i in range(count):
            source = PATTERNS[i % len(PATTERNS)](i)
            # P2: ids repeated far apart (the first and the last tenth of the file).
            if i >= count - count // 10 and i % 50 == 0:
                source["id"] = ids[(i // 50) % (count // 10)]
            ids.append(source["id"])
            handle.write(json.dumps(source) + "\n")
            if i % blank_every == 0:
                handle.write("\n")
    stage_sources = {"pretrain": [], "sft": [], "rl": []}
    for position in range(0, count, count // 30):
        stage = ["pretrain", "sft", "rl"][(position // (count // 30)) % 3]
        stage_sources[stage].append(ids[position])
    stage_sources["rl"].append("no-such-source")  # P2: a stage names an unknown source.
    manifest = {
        "manifest_version": "1",
        "model": {
            "id": "acme/every-rule",
            "release": {"weights": "open", "license": "LicenseRef-acme-restrictive",
                        "date": "2026-09-01"},
            "stages": [
                {"id": "pretrain", "sources": stage_sources["pretrain"],
                 "checkpoint": {"id": "acme/every-rule-base", "weights": "open",
                                "license": "LicenseRef-acme-restrictive"}},
                {"id": "sft", "sources": stage_sources["sft"]},
                {"id": "rl", "sources": stage_sources["rl"]},
            ],
            "lineage": [
                # P3: a tainted teacher.
                {"relation": "distillation", "model": "lab/tainted-teacher",
                 "manifest": "teacher.json", "stage": "sft"},
                # P4: an upstream that nothing verifies.
                {"relation": "fine-tune", "model": "vendor/base"},
            ],
        },
        "sources": {"jsonl": "sources.jsonl"},
    }
    path = os.path.join(directory, "manifest.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2)
    return path
