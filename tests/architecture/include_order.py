#!/usr/bin/env python3
"""Fails when a file of engine/ includes from a stage above its own.

The stages, bottom up, are listed in engine/src/README.md; STAGES below is the same list. A
public header belongs to the stage that defines what it declares. Usage:
include_order.py ENGINE_DIR
"""
import os
import re
import sys

STAGES = ["common", "json", "crypto", "manifest", "license", "expr", "lineage", "policy",
          "attest", "report", "api", "interop",
          "repo"]

# The public headers' stages.
PUBLIC = {
    "diagnostic.h": "common", "status.h": "common", "version.h": "common", "export.h": "common",
    "shared_text.h": "common",
    "manifest.h": "manifest", "expr.h": "expr", "lineage.h": "lineage",
    "policy.h": "policy", "report.h": "policy", "license.h": "policy",  # The report's types are what policy makes.
    "attest.h": "attest", "formats.h": "report",
    "check.h": "api", "session.h": "api", "shard.h": "api", "provgate.h": "repo",
    "gate.h": "repo", "interop.h": "interop",
    "export_formats.h": "interop",
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def stage_of_include(name):
    if name.startswith("provgate/"):
        return PUBLIC.get(name[len("provgate/"):])
    first = name.split("/", 1)[0]
    return first if first in STAGES else None


def main():
    engine = sys.argv[1]
    problems = []
    files = 0
    for base, _, names in os.walk(engine):
        for name in names:
            if not name.endswith((".h", ".cc")):
                continue
            path = os.path.join(base, name)
            rel = os.path.relpath(path, engine)
            parts = rel.split(os.sep)
            if parts[0] == "src" and len(parts) > 2:
                stage = parts[1]
            elif parts[0] == "src":
                stage = "api"  # Files beside the stages (version.cc) sit at the top.
            elif parts[0] == "include":
                stage = PUBLIC.get(parts[-1])
            else:
                continue
            if stage not in STAGES:
                problems.append(f"{rel}: not in a known stage ({stage})")
                continue
            files += 1
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for m in INCLUDE.finditer(text):
                target = stage_of_include(m.group(1))
                if target is None:
                    problems.append(f"{rel}: includes \"{m.group(1)}\", which is in no stage")
                elif STAGES.index(target) > STAGES.index(stage):
                    line = text.count("\n", 0, m.start()) + 1
                    problems.append(f"{rel}:{line}: stage {stage} includes \"{m.group(1)}\" "
                                    f"from stage {target}, above it")
    if files == 0:
        print(f"no engine files under {engine}", file=sys.stderr)
        return 1
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{files} files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
