#!/usr/bin/env python3
"""Export then import: the manifest that comes back checks to the same verdict and findings.

For every example manifest and each format (spdx3, cyclonedx): `provgate export FORMAT` the
manifest, `provgate import FORMAT` the document into a manifest written beside the original (in
a copy of examples/, so that relative paths of evidence and lineage still resolve), check both
with the same date, and compare the verdict and the findings as (rule, subject, reason) with
their counts. Each format is exercised; a round trip that cannot be compared is a failure.
"""
import argparse
import collections
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

DATE = "2026-03-01"
FORMATS = ("cyclonedx", "spdx3")


def run(provgate, args, cwd=None):
    return subprocess.run([provgate] + args, cwd=cwd, capture_output=True, text=True, timeout=300)


def findings(report):
    return collections.Counter((f["rule"], f["subject"], f.get("reason", ""))
                               for f in report["findings"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--provgate", required=True)
    parser.add_argument("--source", required=True)
    args = parser.parse_args()
    provgate = os.path.abspath(args.provgate)
    formats = FORMATS
    failures = []
    compared = 0
    with tempfile.TemporaryDirectory() as work:
        examples = os.path.join(work, "examples")
        shutil.copytree(os.path.join(args.source, "examples"), examples, symlinks=True)
        manifests = sorted(p for p in glob.glob(os.path.join(examples, "**", "manifest.json"),
                                                recursive=True) if "/expected/" not in p)
        for path in manifests:
            folder = os.path.dirname(path)
            name = os.path.relpath(path, work)
            original = run(provgate, ["check", "manifest.json", "--format", "json", "--date",
                                      DATE], cwd=folder)
            if original.returncode not in (0, 1):
                failures.append(f"{name}: check exits {original.returncode}: {original.stderr}")
                continue
            expected = json.loads(original.stdout)
            for fmt in formats:
                document = os.path.join(folder, f"round-trip.{fmt}.json")
                imported = os.path.join(folder, f"round-trip.{fmt}.manifest.json")
                r = run(provgate, ["export", fmt, "manifest.json", "--date", DATE, "--output",
                                   document], cwd=folder)
                if r.returncode != 0:
                    failures.append(f"{name}: export {fmt} exits {r.returncode}: {r.stderr}")
                    continue
                r = run(provgate, ["import", fmt, document, "--output", imported], cwd=folder)
                if r.returncode != 0:
                    failures.append(f"{name}: import {fmt} exits {r.returncode}: {r.stderr}")
                    continue
                again = run(provgate, ["check", os.path.basename(imported), "--format", "json",
                                       "--date", DATE], cwd=folder)
                if again.returncode != original.returncode:
                    failures.append(f"{name} via {fmt}: check exits {again.returncode}, the "
                                    f"original {original.returncode}: {again.stderr}")
                    continue
                report = json.loads(again.stdout)
                compared += 1
                if report["verdict"] != expected["verdict"]:
                    failures.append(f"{name} via {fmt}: verdict {report['verdict']}, the "
                                    f"original {expected['verdict']}")
                got, want = findings(report), findings(expected)
                if got != want:
                    failures.append(f"{name} via {fmt}: findings differ: missing "
                                    f"{sorted((want - got).elements())}, extra "
                                    f"{sorted((got - want).elements())}")
    for f in failures:
        print("FAIL:", f)
    print(f"{compared} round trips compared ({', '.join(formats)}); {len(failures)} failures")
    return 1 if failures or compared < len(manifests) * len(formats) else 0


if __name__ == "__main__":
    sys.exit(main())
