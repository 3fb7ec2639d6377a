#!/usr/bin/env python3
"""provgate import through the command line: exit codes, the written manifest (valid, checked
by provgate validate), what is listed as not mapped, file:line:column errors for bad input of
every kind, and outputs that are never half-written or an input.

Usage: import_test.py --provgate BINARY --source SOURCE_DIR
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL:", message)


def run(provgate, args, cwd):
    proc = subprocess.run([provgate] + args, cwd=cwd, capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, NO_COLOR="1"))
    return proc.returncode, proc.stdout, proc.stderr


def write(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


BAD = [
    # (format, file name, content, expected "file:line:column: error" prefix)
    ("hf-card", "a/README.md", "no front matter\n", "a/README.md:1:1: error: a card starts"),
    ("hf-card", "a/README.md", "---\nlicense: mit\n", "a/README.md:2:1: error:"),
    ("hf-card", "a/README.md", "---\nlicense: [mit\n---\n", "a/README.md:"),
    ("hf-card", "a/README.md", "---\nx: &a 1\ny: *a\n---\n", "a/README.md:3:4: error:"),
    ("hf-card", "a/README.md", "---\nlicense: mit\n---\n", "a/README.md:1:1: error: cannot tell"),
    ("hf-card", "a/README.md", "---\nbase_model: [[x]]\n---\n", "a/README.md:2:14: error:"),
    ("croissant", "c.json", "{\"@type\": \"sc:Dataset\",\n \"name\": }",
     "c.json:2:10: error:"),
    ("croissant", "c.json", "{\"name\": \"x\"}", "c.json:1:1: error: no dataset"),
    ("croissant", "c.json", "{\"@type\": \"SoftwareApplication\", \"name\": \"x\"}",
     "c.json:1:11: error: the JSON-LD document is of type 'SoftwareApplication'"),
    ("croissant", "c.json", "\ufeff{}", "c.json:1:1: error:"),
    ("croissant", "c.json", "{\"@type\": \"Dataset\", \"name\": \"\\ud800\"}", "c.json:1:"),
    ("croissant", "c.json", "[" * 5000 + "]" * 5000, "c.json:1:"),
    ("spdx3", "s.json", "{\"@context\": \"https://schema.org/\", \"@graph\": []}",
     "s.json:1:14: error: not an SPDX 3 JSON-LD document"),
    ("cyclonedx", "b.json", "{\"bomFormat\": \"CycloneDX\",\n \"specVersion\": \"1.6\",}",
     "b.json:2:23: error: malformed JSON"),
    ("cyclonedx", "b.json", "{\"bomFormat\": \"SPDX\"}", "b.json:1:15: error: not a CycloneDX BOM"),
    ("cyclonedx", "b.json", "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\",\n"
     " \"components\": [{\"type\": \"data\", \"name\": \"d\", \"properties\":\n"
     " [{\"name\": \"provgate:size/bytes\", \"value\": \"-1\"}]}]}",
     "b.json:3:44: error: property 'provgate:size/bytes'"),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--provgate", required=True)
    parser.add_argument("--source", required=True)
    args = parser.parse_args()
    provgate = os.path.abspath(args.provgate)
    data = os.path.join(args.source, "tests", "data", "interop")
    with tempfile.TemporaryDirectory() as work:
        # A model card with its datasets' cards: exit 0, a valid manifest, the unmapped fields
        # on standard error, each with its line.
        cards = [os.path.join(data, "hf-card", d, "README.md")
                 for d in ("zephyr-7b-beta", "HuggingFaceH4--ultrachat_200k",
                           "ultrafeedback_binarized")]
        out = os.path.join(work, "m.json")
        code, stdout, stderr = run(provgate, ["import", "hf-card"] + cards +
                                   ["--model", "HuggingFaceH4/zephyr-7b-beta", "--output", out],
                                   work)
        check(code == 0, f"hf-card import exit {code}: {stderr}")
        check(stdout == "", "import with --output prints nothing on stdout")
        check("zephyr-7b-beta/README.md:11:15: not mapped: pipeline_tag:" in stderr,
              "pipeline_tag listed as not mapped with its line: " + stderr)
        check("README.md:30:1: not mapped: language_creators: machine-generated" in stderr,
              "machine-generated text flagged: " + stderr)
        manifest = json.load(open(out, encoding="utf-8"))
        check(manifest["model"]["id"] == "HuggingFaceH4/zephyr-7b-beta", "model id")
        check(len(manifest["x-import"]["unmapped"]) > 0, "x-import.unmapped kept")
        code, _, stderr = run(provgate, ["validate", out], work)
        check(code == 0, f"validate of the imported manifest: {code} {stderr}")
        code, stdout, _ = run(provgate, ["check", out, "--format", "json"], work)
        check(code in (0, 1), f"check of the imported manifest ends with a verdict: {code}")
        # Without --output: the manifest on stdout.
        code, stdout, _ = run(provgate, ["import", "croissant",
                                         os.path.join(data, "croissant", "1.0_huggingface-c4.json")],
                              work)
        check(code == 0 and json.loads(stdout)["sources"][0]["license"] == "ODC-By-1.0",
              "croissant import to stdout")
        # Bad input: exit 2, file:line:column, nothing written, the existing output untouched.
        for fmt, name, content, prefix in BAD:
            path = os.path.join(work, name)
            write(path, content)
            write(out, "previous\n")
            code, stdout, stderr = run(provgate, ["import", fmt, name, "--output", out], work)
            check(code == 2, f"{fmt} {content[:40]!r}: exit {code}, expected 2")
            check(stderr.startswith(prefix), f"{fmt} {content[:40]!r}: {stderr[:200]!r} does not "
                                             f"start with {prefix!r}")
            check(open(out, encoding="utf-8").read() == "previous\n",
                  f"{fmt} {content[:40]!r}: the output was replaced on an error")
        # An ordinary software SBOM describes neither a model nor a dataset.
        code, _, stderr = run(provgate, ["import", "spdx3",
                                         os.path.join(data, "spdx3", "software-sbom.spdx3.json")],
                              work)
        check(code == 2 and "neither a model" in stderr, f"software SBOM: {code} {stderr}")
        # Usage and files: unknown format, missing file, a directory, a FIFO, the output
        # being an input.
        code, _, _ = run(provgate, ["import", "spdx2", "x"], work)
        check(code == 2, "unknown format is a usage error")
        code, _, stderr = run(provgate, ["import", "croissant", "missing.json"], work)
        check(code == 2 and "missing.json" in stderr, f"missing file: {code} {stderr}")
        code, _, _ = run(provgate, ["import", "croissant", work], work)
        check(code == 2, f"a directory as input: {code}")
        fifo = os.path.join(work, "fifo")
        os.mkfifo(fifo)
        code, _, _ = run(provgate, ["import", "croissant", fifo], work)
        check(code == 2, f"a FIFO as input is refused without blocking: {code}")
        c4 = os.path.join(work, "c4.json")
        write(c4, open(os.path.join(data, "croissant", "1.0_huggingface-c4.json"),
                       encoding="utf-8").read())
        code, _, _ = run(provgate, ["import", "croissant", c4, "--output", c4], work)
        check(code == 2, f"output that is an input is refused: {code}")
        # CycloneDX: an ML-BOM of the CycloneDX examples, to a manifest that validates; the
        # examples as published (a comma before a closing brace) and an ordinary software SBOM
        # are refused with their position.
        bom = os.path.join(data, "cyclonedx", "mlbom-model-card-with-dataset.json")
        code, _, stderr = run(provgate, ["import", "cyclonedx", bom, "--output", out], work)
        check(code == 0, f"cyclonedx import exit {code}: {stderr}")
        check("mlbom-model-card-with-dataset.json:53:33: not mapped: "
              "modelCard/quantitativeAnalysis:" in stderr, "unmapped card field: " + stderr)
        manifest = json.load(open(out, encoding="utf-8"))
        check(manifest["model"]["id"] == "support-ticket-classifier", "cyclonedx model id")
        check([s["id"] for s in manifest["sources"]] ==
              ["support-ticket-training-data", "support-ticket-evaluation-data"],
              "cyclonedx sources")
        code, _, stderr = run(provgate, ["validate", out], work)
        check(code == 0, f"validate of the imported ML-BOM: {code} {stderr}")
        code, _, stderr = run(provgate, ["import", "cyclonedx", os.path.join(
            data, "cyclonedx", "mlbom-dataset-wikipedia.json")], work)
        check(code == 2 and "mlbom-dataset-wikipedia.json:9:5: error: malformed JSON" in stderr,
              f"published example with a trailing comma: {code} {stderr}")
        sbom = os.path.join(work, "sbom.cdx.json")
        write(sbom, json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
            {"type": "library", "name": "zlib", "version": "1.3"}]}))
        code, _, stderr = run(provgate, ["import", "cyclonedx", sbom], work)
        check(code == 2 and "sbom.cdx.json:1:1: error: the CycloneDX BOMs describe neither"
              in stderr, f"software SBOM (CycloneDX): {code} {stderr}")
    print(f"{len(FAILURES)} failures")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
