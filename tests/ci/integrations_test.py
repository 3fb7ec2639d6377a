#!/usr/bin/env python3
"""examples/ci/ run as far as this machine allows.

Every YAML file parses and has the shape its CI system expects. Against a fixture repository
(a base branch with two manifests, and a change that adds a pirated source to one of them):
the GitHub action's shell steps run with the environment the action gives them, the GitLab
job's script runs with GitLab's variables, and the pre-commit entry runs on the manifests.
The SARIF they write validates against the SARIF 2.1.0 schema and the JUnit XML parses.
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
import yaml

FAILURES = []


def check(condition, what):
    if not condition:
        FAILURES.append(what)
        print("FAIL:", what)


def git(repo, *argv):
    env = dict(os.environ, GIT_AUTHOR_NAME="ci", GIT_AUTHOR_EMAIL="ci@example",
               GIT_COMMITTER_NAME="ci", GIT_COMMITTER_EMAIL="ci@example")
    return subprocess.run(["git", *argv], cwd=repo, check=True, capture_output=True, text=True,
                          env=env).stdout.strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--provgate", required=True)
    parser.add_argument("--source", required=True)
    args = parser.parse_args()
    provgate = os.path.abspath(args.provgate)
    src = os.path.abspath(args.source)
    ci = os.path.join(src, "examples", "ci")
    if shutil.which("git") is None:
        print("skipped: git is not installed")
        return 77
    with open(os.path.join(src, "tests", "data", "sarif", "sarif-schema-2.1.0.json")) as f:
        sarif_validator = jsonschema.Draft4Validator(json.load(f))

    docs = {}
    for path in sorted(glob.glob(os.path.join(ci, "*.yml")) + glob.glob(os.path.join(ci, "*.yaml"))):
        with open(path) as f:
            docs[os.path.basename(path)] = yaml.safe_load(f)
    check(set(docs) == {"action.yml", "github-workflow.yml", "gitlab-ci.yml",
                        "pre-commit-config.yaml"}, f"the YAML files parse: {sorted(docs)}")

    action = docs["action.yml"]
    check(action["runs"]["using"] == "composite", "action: composite")
    steps = action["runs"]["steps"]
    for step in steps:
        check("uses" in step or step.get("shell") == "bash", f"action step {step['name']}: shell")
        for expr in re.findall(r"\$\{\{\s*inputs\.([a-z-]+)", json.dumps(step)):
            check(expr in action["inputs"], f"action: input {expr} is declared")
    check(any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps),
          "action: uploads SARIF")
    workflow = docs["github-workflow.yml"]
    check(workflow["permissions"].get("security-events") == "write", "workflow: SARIF upload permission")
    job_steps = workflow["jobs"]["provgate"]["steps"]
    check(any(s.get("uses") == "./.provgate/examples/ci" for s in job_steps), "workflow: uses the action")
    check(any(s.get("with", {}).get("fetch-depth") == 0 for s in job_steps), "workflow: full history")
    gitlab = docs["gitlab-ci.yml"]["provgate"]
    check(gitlab["artifacts"]["reports"]["junit"] == "provgate-out/junit/*.xml", "gitlab: JUnit report")
    hook = docs["pre-commit-config.yaml"]["repos"][0]["hooks"][0]
    check(hook["entry"] == "provgate-pre-commit" and re.search(hook["files"], "m/manifest.json"),
          "pre-commit: hook definition")

    with tempfile.TemporaryDirectory() as work:
        # The fixture: a base branch with a compliant and a non-compliant manifest, and a
        # change that adds a pirated source to the compliant one and reformats the other.
        origin = os.path.join(work, "origin.git")
        repo = os.path.join(work, "repo")
        os.makedirs(os.path.join(repo, "models", "assistant"))
        os.makedirs(os.path.join(repo, "models", "scribe"))
        shutil.copy(os.path.join(src, "examples", "licensed-closed", "manifest.json"),
                    os.path.join(repo, "models", "assistant", "manifest.json"))
        shutil.copy(os.path.join(src, "examples", "pirated-books-closed", "manifest.json"),
                    os.path.join(repo, "models", "scribe", "manifest.json"))
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", ".")
        git(repo, "commit", "-q", "-m", "base")
        subprocess.run(["git", "clone", "-q", "--bare", repo, origin], check=True)
        git(repo, "remote", "add", "origin", origin)
        git(repo, "fetch", "-q", "origin")
        git(repo, "checkout", "-q", "-b", "change")
        assistant = os.path.join(repo, "models", "assistant", "manifest.json")
        with open(assistant) as f:
            doc = json.load(f)
        doc["sources"].append({"id": "scraped-books", "kind": "books", "license": "CC-BY-4.0",
                               "permission": {"basis": "license"},
                               "acquisition": {"method": "piracy"}})
        doc["model"]["stages"][0]["sources"].append("scraped-books")
        with open(assistant, "w") as f:
            json.dump(doc, f, indent=4)
        scribe = os.path.join(repo, "models", "scribe", "manifest.json")
        with open(scribe) as f:
            doc = json.load(f)
        with open(scribe, "w") as f:
            json.dump(doc, f, indent=1)
        git(repo, "commit", "-q", "-am", "add books; reformat")

        def validate_outputs(out_dir, what):
            sarifs = sorted(glob.glob(os.path.join(out_dir, "sarif", "*.sarif")))
            check(len(sarifs) == 2, f"{what}: a SARIF file per changed manifest ({sarifs})")
            for path in sarifs:
                with open(path) as f:
                    errors = list(sarif_validator.iter_errors(json.load(f)))
                check(not errors, f"{what}: {os.path.basename(path)} is valid SARIF")
            junits = sorted(glob.glob(os.path.join(out_dir, "junit", "*.xml")))
            check(len(junits) == 2, f"{what}: a JUnit file per changed manifest")
            for path in junits:
                check(ET.parse(path).getroot().tag == "testsuites", f"{what}: JUnit parses")

        # GitHub: the action's shell steps, with the environment the action gives them.
        step = next(s for s in steps if s.get("id") == "check")
        script = step["run"].replace("${{ github.action_path }}", ci)
        check("${{" not in script, "action: the check step takes its inputs from env")
        github_output = os.path.join(work, "github_output")
        step_summary = os.path.join(work, "step_summary")
        env = dict(os.environ, PROVGATE=provgate, GITHUB_ACTIONS="true",
                   GITHUB_OUTPUT=github_output, GITHUB_STEP_SUMMARY=step_summary,
                   MANIFESTS=action["inputs"]["manifests"]["default"], BASE_REF="origin/main",
                   NEW_ONLY="true", POLICY="", WAIVERS="", OUT_DIR="provgate-out",
                   LINK_BASE="https://github.example/lab/manifests/blob/abc/")
        r = subprocess.run(["bash", "-c", script], cwd=repo, env=env, capture_output=True, text=True)
        with open(github_output) as f:
            outputs = f.read()
        check("status=1" in outputs, f"action: the check fails the change ({outputs!r}, {r.stderr})")
        check(re.search(r"^::error file=models/assistant/manifest.json,line=\d+,col=\d+,"
                        r"title=P1 pirated scraped-books::", r.stdout, re.M) is not None,
              f"action: an annotation on the new source's line ({r.stdout[:400]})")
        check("::error file=models/scribe" not in r.stdout,
              "action: with new-only, the scribe's old error is not annotated as failing")
        with open(step_summary) as f:
            summary = f.read()
        check("**non-compliant**" in summary and
              "https://github.example/lab/manifests/blob/abc/models/assistant/manifest.json#L" in summary,
              "action: the summary links the finding's line")
        validate_outputs(os.path.join(repo, "provgate-out"), "action")
        gate = next(s for s in steps if s.get("name") == "Gate")["run"]
        gate = gate.replace("${{ steps.check.outputs.status }}", outputs.split("=")[1].strip())
        check(subprocess.run(["bash", "-c", gate]).returncode == 1, "action: the gate step fails")
        shutil.rmtree(os.path.join(repo, "provgate-out"))

        # GitLab: the job's script with GitLab's variables, provgate from this source tree.
        env = dict(os.environ, CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main")
        script = "set -e\n" + "\n".join(gitlab["script"]).replace("/opt/provgate/build/cli/provgate",
                                                                  provgate).replace("/opt/provgate", src)
        r = subprocess.run(["bash", "-c", script], cwd=repo, env=env, capture_output=True, text=True)
        check(r.returncode == 1, f"gitlab: the job fails the change ({r.returncode}, {r.stderr})")
        validate_outputs(os.path.join(repo, "provgate-out"), "gitlab")
        junit = ET.parse(glob.glob(os.path.join(repo, "provgate-out", "junit",
                                                "models_assistant*.xml"))[0]).getroot()
        check(int(junit.get("failures")) == 1, "gitlab: the JUnit report has the new failure")

        # pre-commit: the entry on both manifests.
        r = subprocess.run([os.path.join(ci, "provgate-pre-commit"), assistant, scribe], cwd=repo,
                           env=dict(os.environ, PROVGATE=provgate), capture_output=True, text=True)
        check(r.returncode == 1 and r.stdout.count("NON-COMPLIANT") == 2,
              f"pre-commit: both manifests fail ({r.returncode})")
        r = subprocess.run([os.path.join(ci, "provgate-pre-commit"),
                            os.path.join(src, "examples", "licensed-closed", "manifest.json")],
                           env=dict(os.environ, PROVGATE=provgate), capture_output=True, text=True)
        check(r.returncode == 0 and r.stdout == "", "pre-commit: a compliant manifest passes quietly")

        # No manifest changed: the script passes and says so.
        git(repo, "checkout", "-q", "main")
        r = subprocess.run([os.path.join(ci, "provgate-ci.sh")], cwd=repo,
                           env=dict(os.environ, PROVGATE=provgate, BASE_REF="origin/main",
                                    OUT_DIR=os.path.join(work, "none")),
                           capture_output=True, text=True)
        check(r.returncode == 0 and "no manifest changed" in r.stdout, "no change: passes")

    if FAILURES:
        print(f"{len(FAILURES)} failure(s)")
        return 1
    print("ok: examples/ci parse, and the action, GitLab job and pre-commit hook gate a change")
    return 0


if __name__ == "__main__":
    sys.exit(main())
