#!/usr/bin/env python3
"""Checks provgate's decisions against permission_table.json, the policy's permission table
written by hand from docs/policy.md (see the file's "about").

For every source case and release (closed, open, unreleased) it writes a manifest, runs
`provgate check MANIFEST --format json`, and compares the report with what the table says:
the findings (rule, subject, severity, reason, and words the message must contain), the
obligations on the source, the verdict and the exit code. Model cases state their whole
expectation. A case marked `disagreement` is
expected to fail: it is listed on every run and fails the test once provgate agrees with it.

    run_table.py --provgate BUILD/cli/provgate [--table permission_table.json] [-k NAME]
    run_table.py --provgate BUILD/cli/provgate --self-test rules/default

--self-test checks that the table notices changes to a copy of the pack (a licence class, a
severity, a clause left out, the terms of a model's outputs, a licence condition), and that a
message without the words a case asks for does not match.
"""
import argparse
import copy
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_ID = "test/model"
SOURCE_ID = "s"
RELEASE_DATE = "2026-09-01"
OPEN_WEIGHTS_LICENSE = "Apache-2.0"
# P1: how an unpermitted source is reported, by the model's release.
P1_SEVERITY = {"closed": "error", "open": "info", "unreleased": "warning"}
RELEASES = ("closed", "open", "unreleased")
TABLE = None
POLICY_DIR = None


class Table:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.data = json.load(f)
        self.contract = self.data["contract"]["permission"]
        self.fixtures = self.data["fixtures"]

    def permission(self, value):
        """A permission object, with "$contract" (the table's contract) expanded; in
        {"$contract": {...}} the given members replace the contract's, and null removes one."""
        if value == "$contract":
            return copy.deepcopy(self.contract)
        if isinstance(value, dict) and "$contract" in value:
            result = copy.deepcopy(self.contract)
            for key, member in value["$contract"].items():
                if member is None:
                    result.pop(key, None)
                else:
                    result[key] = member
            return result
        return copy.deepcopy(value)

    def source(self, value, default_id):
        if isinstance(value, str):
            value = self.fixtures[value]
        source = copy.deepcopy(value)
        source.setdefault("id", default_id)
        if "permission" in source:
            if source["permission"] is None:
                del source["permission"]
            else:
                source["permission"] = self.permission(source["permission"])
        complete_source(source)
        return source

    def file_content(self, value):
        if isinstance(value, str) and value.startswith("$"):
            manifest = copy.deepcopy(self.fixtures[value])
            for source in manifest["sources"]:
                complete_source(source)
            return json.dumps(manifest, indent=1).encode()
        if isinstance(value, str):
            return value.encode()
        return json.dumps(value, indent=1).encode()


def complete_source(source):
    """Size and digest, so that P9 (transparency) has nothing to say about the source."""
    source.setdefault("size", {"tokens": 1000})
    source.setdefault("digest", {"sha256": hashlib.sha256(source["id"].encode()).hexdigest()})


def release_for(case, weights):
    release = {"weights": weights}
    if weights == "open":
        release["license"] = OPEN_WEIGHTS_LICENSE
    deployment = case.get("deployment", "commercial")
    if deployment is not None:
        release["deployment"] = deployment
    date = case.get("release_date", RELEASE_DATE)
    if date is not None:
        release["date"] = date
    return release


def per_release(value, weights):
    if isinstance(value, dict) and set(value) <= set(RELEASES):
        return value.get(weights)
    return value


def run_check(provgate, work, manifest, case):
    for name, content in case.get("files", {}).items():
        with open(os.path.join(work, name), "wb") as f:
            f.write(TABLE.file_content(content))
    path = os.path.join(work, "manifest.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
    argv = [provgate, "check", "manifest.json", "--format", "json"]
    if POLICY_DIR:
        argv += ["--policy", POLICY_DIR]
    if case.get("profile"):
        argv += ["--profile", case["profile"]]
    argv += case.get("args", [])
    proc = subprocess.run(argv, cwd=work, capture_output=True, timeout=60)
    report = None
    if proc.stdout.strip():
        try:
            report = json.loads(proc.stdout)
        except ValueError:
            pass
    return proc, report


def compare(proc, report, expected_findings, expected_obligations, effective_weights=None):
    """Differences between a run and its expectation, as sentences (none when they agree)."""
    problems = []
    errors = any(f["severity"] == "error" for f in expected_findings)
    expected_exit = 1 if errors else 0
    if proc.returncode != expected_exit:
        problems.append(f"exit code {proc.returncode}, expected {expected_exit}; stderr: "
                        + proc.stderr.decode(errors="replace").strip()[:600])
    if report is None:
        problems.append("no JSON report")
        return problems
    verdict = "non-compliant" if errors else "compliant"
    if report.get("verdict") != verdict:
        problems.append(f"verdict {report.get('verdict')}, expected {verdict}")
    if effective_weights and report["model"].get("effective_weights") != effective_weights:
        problems.append(f"effective weights {report['model'].get('effective_weights')}, "
                        f"expected {effective_weights}")

    actual = [f for f in report["findings"]]
    unmatched = list(actual)
    for want in expected_findings:
        match = next((f for f in unmatched if matches(f, want)), None)
        if match is None:
            problems.append(f"missing finding {describe(want)}")
        else:
            unmatched.remove(match)
    for extra in unmatched:
        problems.append(f"unexpected finding {describe(extra)}: {extra.get('message', '')}")

    if expected_obligations is not None:
        actual = list(report.get("obligations", []))
        for want in expected_obligations:
            match = next((o for o in actual if matches(o, want)), None)
            if match is None:
                problems.append(f"missing obligation {describe(want)}")
            else:
                actual.remove(match)
        for extra in actual:
            problems.append(f"unexpected obligation {describe(extra)}")
    return problems


def matches(actual, want):
    for key, value in want.items():
        if key == "message_contains":
            # Words the message must contain, compared without regard to case.
            message = actual.get("message", "").casefold()
            if not all(word.casefold() in message for word in value):
                return False
        elif isinstance(value, list):
            if actual.get(key) not in value:
                return False
        elif actual.get(key) != value:
            return False
    return True


def describe(item):
    keys = ("rule", "kind", "severity", "subject", "reason", "license", "text", "uri",
            "message_contains")
    return "{" + ", ".join(f"{k}={item[k]}" for k in keys if k in item) + "}"


def source_case_runs(case):
    """(release, manifest, expected findings, expected obligations) for each release."""
    expect = case["expect"]
    for weights in case.get("releases", RELEASES):
        source = TABLE.source(case["source"], SOURCE_ID)
        model = {"id": MODEL_ID, "release": release_for(case, weights)}
        if case.get("lineage"):
            model["lineage"] = copy.deepcopy(case["lineage"])
        manifest = {"manifest_version": "1", "model": model, "sources": [source]}

        findings = []
        for finding in expect.get("findings", []):
            finding = dict(finding)
            finding.setdefault("subject", SOURCE_ID)
            findings.append(finding)
        permitted = per_release(expect["permitted"], weights)
        obligations = None
        if "obligations" in expect:
            obligations = []
            for obligation in expect["obligations"]:
                obligation = dict(obligation)
                obligation.setdefault("subject", SOURCE_ID)
                obligations.append(obligation)
        if not permitted:
            p1 = {"rule": "P1", "severity": P1_SEVERITY[weights], "subject": SOURCE_ID,
                  "reason": per_release(expect["reason"], weights)}
            if "message_contains" in expect:
                p1["message_contains"] = expect["message_contains"]
            findings.append(p1)
            if weights == "unreleased" and obligations is not None:
                obligations.append({"kind": "open-weight-release", "subject": MODEL_ID})
        yield weights, manifest, findings, obligations


def model_case_run(case):
    release = dict(case["release"])
    release.setdefault("date", RELEASE_DATE)
    model = {"id": case.get("model_id", MODEL_ID), "release": release}
    if case.get("stages"):
        model["stages"] = copy.deepcopy(case["stages"])
    if case.get("lineage"):
        model["lineage"] = copy.deepcopy(case["lineage"])
    sources = [TABLE.source(s, f"source-{i}") for i, s in enumerate(case["sources"])]
    manifest = {"manifest_version": "1", "model": model, "sources": sources}
    expect = case["expect"]
    return manifest, expect["findings"], expect.get("obligations", [])


# Changes to a copy of the default pack that the table must notice: (file, text, replacement).
MUTATIONS = [
    ("data/licenses.yaml",
     '{ pattern: "CC-BY-NC-*", class: non-commercial, attribution: true }',
     '{ pattern: "CC-BY-NC-*", class: permissive, attribution: true }'),
    ("rules/P1.yaml",
     "model.effective_weights == 'unreleased'\"\n      severity: warning",
     "model.effective_weights == 'unreleased'\"\n      severity: info"),
    ("pack.yaml", "  - rules/P5.yaml\n", ""),
    ("data/licenses.yaml",
     "{ id: LicenseRef-OpenAI-Terms, class: proprietary, outputs_training: forbidden }",
     "{ id: LicenseRef-OpenAI-Terms, class: proprietary, outputs_training: allowed }"),
    ("data/licenses.yaml",
     '- { kind: name-prefix, text: "Llama" }\n'
     '      - { kind: display-notice, text: "Built with Llama" }\n'
     '      - { kind: use-restrictions, uri: "https://llama.meta.com/llama3_1/use-policy" }',
     '- { kind: display-notice, text: "Built with Llama" }\n'
     '      - { kind: use-restrictions, uri: "https://llama.meta.com/llama3_1/use-policy" }'),
]


def matcher_mistakes():
    """The comparison itself: a finding whose message lacks a word the table asks for, or
    has a different reason, must not match."""
    finding = {"rule": "P1", "subject": "s", "reason": "pirated",
               "message": "source 's' was acquired by piracy (alleged: Doe v. Lab, ¶ 12)"}
    checks = [
        ({"rule": "P1", "message_contains": ["ALLEGED", "Doe v. Lab, ¶ 12"]}, True),
        ({"rule": "P1", "message_contains": ["alleged", "Roe v. Lab"]}, False),
        ({"rule": "P1", "reason": "no-basis", "message_contains": ["alleged"]}, False),
        ({"rule": "P1", "reason": ["no-basis", "pirated"]}, True),
    ]
    return [f"matching {want} against {finding}: expected {expected}"
            for want, expected in checks if matches(finding, want) != expected]


def self_test(provgate, pack):
    """Runs the table against copies of PACK, each with one mutation; every copy must differ
    from the table somewhere (the first difference ends its run)."""
    global POLICY_DIR
    failures = matcher_mistakes()
    for path, text, replacement in MUTATIONS:
        with tempfile.TemporaryDirectory() as copy_dir:
            shutil.copytree(pack, copy_dir, dirs_exist_ok=True)
            target = os.path.join(copy_dir, path)
            with open(target, encoding="utf-8") as f:
                content = f.read()
            if text not in content:
                failures.append(f"{path}: the text to mutate is gone: {text!r}")
                continue
            with open(target, "w", encoding="utf-8") as f:
                f.write(content.replace(text, replacement, 1))
            POLICY_DIR = copy_dir
            found = first_difference(provgate)
            if found is None:
                failures.append(f"{path}: {text!r} -> {replacement!r} went unnoticed")
            else:
                print(f"noticed {path} {replacement!r}: {found}")
    if failures:
        print("\n".join(failures))
        return 1
    print(f"each of {len(MUTATIONS)} changes to the pack is noticed")
    return 0


def first_difference(provgate):
    # Model cases first: they are few, and each covers several clauses.
    for kind, case in sorted(all_cases(), key=lambda kind_case: kind_case[0] != "model"):
        if case.get("disagreement"):
            continue
        for label, problems in evaluate(provgate, kind, case):
            if problems:
                return f"{label}: {problems[0]}"
    return None


def all_cases():
    return [("source", c) for c in TABLE.data["sources"]] + \
           [("model", c) for c in TABLE.data["models"]]


def evaluate(provgate, kind, case):
    """Yields (label, problems) for each run of a case."""
    if kind == "source":
        for weights, manifest, findings, obligations in source_case_runs(case):
            with tempfile.TemporaryDirectory() as work:
                proc, report = run_check(provgate, work, manifest, case)
            yield (f"{case['name']} [{weights}]",
                   compare(proc, report, findings, obligations))
    else:
        manifest, findings, obligations = model_case_run(case)
        with tempfile.TemporaryDirectory() as work:
            proc, report = run_check(provgate, work, manifest, case)
        yield (case["name"], compare(proc, report, findings, obligations,
                                     case["expect"].get("effective_weights")))


CASE_KEYS = {
    "source": {"name", "why", "source", "expect", "deployment", "release_date", "profile", "args",
               "files", "releases", "lineage", "disagreement"},
    "model": {"name", "why", "model_id", "release", "sources", "stages", "lineage", "files",
              "expect", "profile", "args", "disagreement"},
}
EXPECT_KEYS = {
    "source": {"permitted", "reason", "message_contains", "findings", "obligations"},
    "model": {"effective_weights", "findings", "obligations"},
}


def table_mistakes(cases):
    """Misspelt keys would silently weaken a case: every key must be one the driver reads."""
    mistakes = []
    for kind, case in cases:
        name = case.get("name", "?")
        for key in sorted(set(case) - CASE_KEYS[kind]):
            mistakes.append(f"{name}: unknown key '{key}'")
        for key in sorted(set(case.get("expect", {})) - EXPECT_KEYS[kind]):
            mistakes.append(f"{name}: unknown key 'expect.{key}'")
        if not case.get("why"):
            mistakes.append(f"{name}: no 'why' (the policy text the case comes from)")
        if kind == "source" and "permitted" not in case.get("expect", {}):
            mistakes.append(f"{name}: no 'expect.permitted'")
        expect = case.get("expect", {})
        for want in [expect] + list(expect.get("findings", [])):
            if "message_contains" not in want:
                continue
            words = want["message_contains"]
            if not isinstance(words, list) or not words or \
                    not all(isinstance(w, str) and w for w in words):
                mistakes.append(f"{name}: 'message_contains' must be a list of words")
    return mistakes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--provgate", required=True)
    parser.add_argument("--table", default=os.path.join(HERE, "permission_table.json"))
    parser.add_argument("--policy", help="a rule pack directory instead of the built-in pack")
    parser.add_argument("--self-test", metavar="PACK",
                        help="check that changes to a copy of PACK make the table fail")
    parser.add_argument("-k", dest="only", help="run only cases whose name contains this")
    args = parser.parse_args()
    provgate = os.path.abspath(args.provgate)
    global TABLE, POLICY_DIR
    TABLE = Table(args.table)
    POLICY_DIR = os.path.abspath(args.policy) if args.policy else None

    if args.self_test:
        return self_test(provgate, args.self_test)

    failures, disagreements, agreed_now, runs = [], [], [], 0
    reasons_covered = set()
    cases = all_cases()
    failures += table_mistakes(cases)
    names = [c["name"] for _, c in cases]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        failures.append(f"case names repeated: {sorted(duplicates)}")

    for kind, case in cases:
        if args.only and args.only not in case["name"]:
            continue
        if kind == "source":
            reason = case["expect"].get("reason")
            for weights in RELEASES:
                value = per_release(reason, weights)
                reasons_covered.update(value if isinstance(value, list) else [value])
            reasons_covered.update(f.get("reason") for f in case["expect"].get("findings", []))
        else:
            reasons_covered.update(f.get("reason") for f in case["expect"]["findings"])
        problems = []
        for label, run_problems in evaluate(provgate, kind, case):
            runs += 1
            problems += [f"{label}: {p}" for p in run_problems]
        if case.get("disagreement"):
            if problems:
                disagreements.append((case, problems))
            else:
                agreed_now.append(case["name"])
        else:
            failures += problems

    if not args.only:
        missing = set(TABLE.data["reason_codes"]) - reasons_covered
        if missing:
            failures.append(f"reason codes of the policy that no case covers: {sorted(missing)}")

    for case, problems in disagreements:
        print(f"KNOWN DISAGREEMENT {case['name']}: {case['disagreement']}")
        for problem in problems[:3]:
            print(f"    {problem}")
    for name in agreed_now:
        failures.append(f"{name}: provgate now agrees with the policy text; remove the case's "
                        "disagreement mark")
    if failures:
        print("\n".join(failures))
        print(f"{len(failures)} differences from the policy table")
        return 1
    print(f"{runs} runs of {len(cases)} cases agree with the policy table "
          f"({len(disagreements)} known disagreements)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
