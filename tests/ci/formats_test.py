#!/usr/bin/env python3
"""The CI formats and the gate's contract.

- SARIF validates against the official SARIF 2.1.0 schema (tests/data/sarif) and has what
  GitHub code scanning requires; its fingerprints do not move when a manifest is reordered.
- JUnit XML parses and is shaped as CI systems read it (counts agree, one test case per rule
  and subject, failures for errors).
- GitHub workflow commands: one annotation per finding, with file, line and column.
- The exit codes of docs/cli.md hold in every format, and nothing is written on exit 2 or 3.
- Baselines read from git history (git:REV:PATH), with the side file of the same revision.

Without git the rest runs, and the test then exits 77, which CTest reports as skipped.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import jsonschema

FORMATS = ["text", "json", "sarif", "junit", "github", "markdown", "csv"]
FAILURES = []


def check(condition, what):
    if not condition:
        FAILURES.append(what)
        print("FAIL:", what)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--provgate", required=True)
    parser.add_argument("--source", required=True)
    args = parser.parse_args()
    provgate = os.path.abspath(args.provgate)
    src = os.path.abspath(args.source)

    def run(*argv, cwd=src):
        return subprocess.run([provgate, *argv], capture_output=True, text=True, cwd=cwd)

    with open(os.path.join(src, "tests", "data", "sarif", "sarif-schema-2.1.0.json")) as f:
        sarif_validator = jsonschema.Draft4Validator(json.load(f))

    waivers_case = os.path.join("tests", "golden", "cases", "waivers")
    baseline_case = os.path.join("tests", "golden", "cases", "baseline")
    manifests = sorted(os.path.relpath(p, src) for p in
                       glob.glob(os.path.join(src, "examples", "*", "manifest.json")) +
                       glob.glob(os.path.join(src, "examples", "lineage", "*", "manifest.json")))
    runs = [[m] for m in manifests] + [
        [os.path.join(waivers_case, "manifest.json"), "--waivers",
         os.path.join(waivers_case, "unused.yaml"), "--date", "2026-11-01"],
        [os.path.join(baseline_case, "added-source.json"), "--baseline",
         os.path.join(baseline_case, "base.json")],
    ]
    checked = 0
    for extra in runs:
        name = " ".join(extra)
        report = json.loads(run("check", *extra, "--format", "json").stdout)
        findings = report["findings"]

        # SARIF
        r = run("check", *extra, "--format", "sarif")
        sarif = json.loads(r.stdout)
        errors = sorted(sarif_validator.iter_errors(sarif), key=lambda e: e.path)
        check(not errors, f"{name}: SARIF schema: {errors[0].message if errors else ''}")
        check(sarif["version"] == "2.1.0" and len(sarif["runs"]) == 1, f"{name}: SARIF version")
        sarif_run = sarif["runs"][0]
        driver = sarif_run["tool"]["driver"]
        rule_ids = [rule["id"] for rule in driver["rules"]]
        check(driver["name"] == "provgate" and len(set(rule_ids)) == len(rule_ids),
              f"{name}: driver and unique rule ids")
        for rule in driver["rules"]:
            check(rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and
                  rule["help"]["text"] and
                  rule["defaultConfiguration"]["level"] in ("error", "warning", "note"),
                  f"{name}: rule {rule['id']} has descriptions, help and a level")
        results = sarif_run["results"]
        check(len(results) == len(findings), f"{name}: one result per finding")
        for result, finding in zip(results, findings):
            check(result["ruleId"] in rule_ids and rule_ids[result["ruleIndex"]] == result["ruleId"],
                  f"{name}: result's rule is in the driver")
            check(result["message"]["text"].startswith(finding["message"]), f"{name}: message")
            # The message says what is wrong; the fix is apart, in properties.remedy.
            check("Fix:" not in result["message"]["text"] and
                  result["properties"].get("remedy", "") == finding["remedy"],
                  f"{name}: remedy apart from the message")
            location = result["locations"][0]["physicalLocation"]
            uri = location["artifactLocation"]["uri"]
            check(not uri.startswith("/") and ".." not in uri.split("/"),
                  f"{name}: repository-relative uri {uri}")
            line = finding["location"]["line"]
            if line > 0:
                check(location["region"]["startLine"] == line and
                      location["region"]["startColumn"] == finding["location"]["column"],
                      f"{name}: region is the finding's line and column")
            check(re.fullmatch(r"[0-9a-f]{64}", result["partialFingerprints"]["provgateFinding/v1"])
                  is not None, f"{name}: partialFingerprints")
            if finding["waived"]:
                check(result["suppressions"][0]["status"] == "accepted", f"{name}: suppression")
            check(result["level"] == {"error": "error", "warning": "warning",
                                      "info": "note"}[finding["severity"]], f"{name}: level")

        # JUnit
        r = run("check", *extra, "--format", "junit")
        root = ET.fromstring(r.stdout)
        check(root.tag == "testsuites", f"{name}: JUnit root")
        suites = root.findall("testsuite")
        check(sum(int(s.get("tests")) for s in suites) == int(root.get("tests")) and
              sum(int(s.get("failures")) for s in suites) == int(root.get("failures")),
              f"{name}: JUnit counts add up")
        cases = [c for s in suites for c in s.findall("testcase")]
        check(len(cases) == int(root.get("tests")), f"{name}: test cases counted")
        failing = {(f["rule"], f["subject"]) for f in findings
                   if f["severity"] == "error" and not f["waived"]}
        failed = [c for c in cases if c.find("failure") is not None]
        check(len(failed) == len(failing) == int(root.get("failures")),
              f"{name}: a failure per failing rule and subject")
        for c in cases:
            check(c.get("classname", "").startswith("provgate.") and c.get("name"),
                  f"{name}: test case names")

        # GitHub workflow commands
        r = run("check", *extra, "--format", "github")
        lines = r.stdout.splitlines()
        annotations = [l for l in lines if l.startswith("::")]
        check(len(annotations) == len(findings) and len(lines) == len(findings) + 1,
              f"{name}: one annotation per finding and a summary")
        for line, finding in zip(annotations, findings):
            m = re.match(r"::(error|warning|notice) file=([^,:]+)(,line=(\d+),col=(\d+))?,title=[^:]+::.+",
                         line)
            check(m is not None, f"{name}: annotation syntax: {line[:80]}")
            if m and finding["location"]["line"] > 0:
                check(int(m.group(4)) == finding["location"]["line"], f"{name}: annotation line")
        checked += 1

    # Fingerprints do not move when a manifest is reordered.
    def fingerprints(path):
        sarif = json.loads(run("check", path, "--format", "sarif").stdout)
        return sorted(r["partialFingerprints"]["provgateFinding/v1"]
                      for r in sarif["runs"][0]["results"])
    check(fingerprints(os.path.join(baseline_case, "base.json")) ==
          fingerprints(os.path.join(baseline_case, "reordered.json")),
          "SARIF fingerprints are stable across a reordered manifest")

    # The exit code contract in every format.
    with tempfile.TemporaryDirectory() as work:
        compliant = os.path.join(src, "examples", "licensed-closed", "manifest.json")
        non_compliant = os.path.join(src, "examples", "pirated-books-closed", "manifest.json")
        warnings_only = os.path.join(src, "examples", "jsonl-sources", "manifest.json")
        invalid = os.path.join(src, "tests", "golden", "cases", "invalid-truncated", "manifest.json")
        out = os.path.join(work, "out")
        for fmt in FORMATS:
            for manifest, flags, code in [(compliant, [], 0), (non_compliant, [], 1),
                                          (warnings_only, [], 0),
                                          (warnings_only, ["--fail-on", "warning"], 1)]:
                r = run("check", manifest, "--format", fmt, "--output", out, *flags)
                check(r.returncode == code and os.path.exists(out),
                      f"{fmt}: {os.path.basename(os.path.dirname(manifest))} {flags}: exit {code}, "
                      f"got {r.returncode} ({r.stderr.strip()})")
                if os.path.exists(out):
                    os.remove(out)
            r = run("check", invalid, "--format", fmt, "--output", out)
            check(r.returncode == 2 and not os.path.exists(out), f"{fmt}: invalid input: exit 2")
            r = run("check", compliant, "--format", fmt, "--output",
                    os.path.join(work, "missing-dir", "out"))
            check(r.returncode == 3, f"{fmt}: unwritable output: exit 3")

        # Baselines from git history, with the JSONL side file of the same revision.
        git_missing = shutil.which("git") is None
        if not git_missing:
            repo = os.path.join(work, "repo")
            shutil.copytree(os.path.join(src, "examples", "jsonl-sources"),
                            os.path.join(repo, "models", "coder"))
            env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example",
                       GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example")

            def git(*argv):
                subprocess.run(["git", *argv], cwd=repo, check=True, capture_output=True, env=env)
            git("init", "-q")
            git("add", ".")
            git("commit", "-q", "-m", "base")
            # HEAD: one more source, pirated, in the side file.
            jsonl = os.path.join(repo, "models", "coder", "sources.jsonl")
            with open(jsonl) as f:
                first = json.loads(f.readline())
            first.update(id="scraped-books", kind="books",
                         acquisition={"method": "piracy"}, license="CC-BY-4.0",
                         permission={"basis": "license"})
            with open(jsonl, "a") as f:
                f.write(json.dumps(first) + "\n")
            # ... used by the pretraining stage of a model now released closed.
            head_manifest = os.path.join(repo, "models", "coder", "manifest.json")
            with open(head_manifest) as f:
                doc = json.load(f)
            doc["model"]["release"] = {"weights": "closed", "deployment": "commercial"}
            doc["model"]["stages"][0]["sources"].append("scraped-books")
            with open(head_manifest, "w") as f:
                json.dump(doc, f)
            manifest = os.path.join("models", "coder", "manifest.json")
            r = run("diff", "git:HEAD:" + manifest, manifest, cwd=repo)
            check(r.returncode == 1 and "1 new" in r.stdout and "scraped-books" in r.stdout,
                  f"diff git:HEAD:PATH PATH finds the new source ({r.stdout} {r.stderr})")
            r = run("check", manifest, "--baseline", "git:HEAD:" + manifest, "--new-only",
                    "--format", "json", cwd=repo)
            report = json.loads(r.stdout) if r.stdout else {}
            new = [f["subject"] for f in report.get("findings", []) if f.get("baseline") == "new"]
            check(r.returncode == 1 and new == ["scraped-books"],
                  f"check --baseline git:HEAD:PATH --new-only ({new}, {r.stderr})")
            r = run("diff", "git:HEAD:./models/coder/manifest.json", manifest, cwd=repo)
            check(r.returncode == 1, f"git:REV:./PATH is relative to the current directory ({r.stderr})")
            for spec in ["git:no-such-rev:" + manifest, "git:HEAD:models/absent.json", "git:HEAD"]:
                r = run("diff", spec, manifest, cwd=repo)
                check(r.returncode == 2 and "error" in r.stderr, f"diff {spec}: exit 2 ({r.stderr})")
            leftovers = glob.glob(os.path.join(tempfile.gettempdir(), "provgate-git-*"))
            check(not leftovers, f"temporary git trees are removed ({leftovers})")

    if FAILURES:
        print(f"{len(FAILURES)} failure(s)")
        return 1
    if git_missing:
        print("skipped: git is not installed, so baselines from git:REV:PATH were not tested; "
              "everything else passed")
        return 77
    print(f"ok: {checked} reports in SARIF, JUnit and GitHub form; exit codes in "
          f"{len(FORMATS)} formats; git baselines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
