#!/usr/bin/env python3
"""examples/ci/ run as far as this machine allows.

Every YAML file parses and has the shape its CI system expects. The GitHub workflows and the
composite action run step by step as GitHub's runner runs them: `run:` blocks with bash and the
environment variables GitHub gives them, `if:` conditions and `${{ }}` expressions evaluated,
outputs, GITHUB_PATH and the job summary carried between steps; `uses:` steps of GitHub's own
actions are stood in for (checkout clones the fixture's origin as actions/checkout does, the
cache restores a prepared build, the SARIF upload records its file), and `gh` is a fake on PATH
that records its calls and answers with canned comment lists. The fixture is a git repository
built here: a compliant base branch, and pull requests that make a closed model non-compliant,
change it harmlessly, or break .provgate.yaml, each with the merge commit GitHub would make.

Asserted: the gate's exit code decides the job; SARIF (valid against the SARIF 2.1.0 schema),
JUnit, JSON and Markdown are written; the comment carrying the marker by github-actions[bot] is
updated and another bot's comment with the same marker is not; a fork's pull request still
fails but skips the upload and the comment with a notice; the daily run fails a month before a
waiver expires; the GitLab jobs' scripts and the pre-commit entry gate a change; the Dockerfile
is a multi-stage debian:12 build of the CLI alone whose sources configure on their own.

What cannot run here: GitHub's and GitLab's machinery itself (runners, the cache service, code
scanning, the comment API), and docker: the image is checked, not built, and the action's
docker path runs with a stand-in `docker` that runs provgate itself.
"""
import argparse
import datetime
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

try:
    import jsonschema
    import yaml
except ImportError as missing:
    print(f"skipped: {missing.name} is not installed (apt-get install python3-{missing.name})")
    sys.exit(77)

from github_actions import Job  # noqa: E402 (after the check above)

MARKER = "<!-- provgate-gate -->"
REPOSITORY = "lab/manifests"
SERVER_URL = "https://github.example"
BOT = "github-actions[bot]"
FAILURES = []


def check(condition, what):
    if not condition:
        FAILURES.append(what)
        print("FAIL:", what)
    return condition


# ---------------------------------------------------------------------------------------------
# The fixture repository.

# The fixture's commits do not depend on the user's git configuration (signing, hooks).
GIT_ENV = {"GIT_AUTHOR_NAME": "ci", "GIT_AUTHOR_EMAIL": "ci@example", "GIT_COMMITTER_NAME": "ci",
           "GIT_COMMITTER_EMAIL": "ci@example", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": os.devnull}


def git(repo, *argv, env=None):
    r = subprocess.run(["git", *argv], cwd=repo, capture_output=True, text=True,
                       env=dict(env or os.environ, **GIT_ENV))
    if r.returncode != 0:
        raise RuntimeError(f"git {' '.join(argv)}: {r.stderr}")
    return r.stdout.strip()


def load(path):
    with open(path) as f:
        return json.load(f)


def save(path, doc, indent=2):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(doc, f, indent=indent)
        f.write("\n")


# A source the manifest's own closed model may not use: acquired by piracy (docs/policy.md, P1).
# It states its size and digest, so that its only finding is the permission.
PIRATED = {"id": "scraped-books", "title": "A shadow library of books", "kind": "books",
           "license": "CC-BY-4.0", "permission": {"basis": "license"},
           "acquisition": {"method": "piracy"}, "size": {"tokens": 1000000},
           "digest": {"sha256": "a" * 64}}


def add_pirated(path):
    doc = load(path)
    doc["sources"].append(dict(PIRATED))
    doc["model"]["stages"][0]["sources"].append(PIRATED["id"])
    save(path, doc, indent=4)


def commit_all(repo, message):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def waivers_yaml(today, days_left):
    created = today - datetime.timedelta(days=10)
    expires = today + datetime.timedelta(days=days_left)
    return ("version: 1\nwaivers:\n  - rule: P1\n    subject: scraped-books\n"
            "    reason: The publisher's licence for these titles is being signed.\n"
            "    approver: jane.doe@acme.example\n"
            f"    created: {created.isoformat()}\n    expires: {expires.isoformat()}\n")


def build_origin(work, src, ci):
    """A bare origin: main (two compliant closed models, .provgate.yaml, the action copied in
    with install-provgate.sh vendor), pull requests 1-3 branched off main's first commit while
    main moved on, with GitHub's refs/pull/N/head and refs/pull/N/merge, and two branches whose
    models use the pirated source under a waiver expiring in 10 or in 200 days."""
    seed = os.path.join(work, "seed")
    os.makedirs(seed)
    git(seed, "init", "-q", "-b", "main")
    licensed = os.path.join(src, "examples", "licensed-closed", "manifest.json")
    assistant = os.path.join(seed, "models", "assistant", "manifest.json")
    scribe = os.path.join(seed, "models", "scribe", "manifest.json")
    save(assistant, load(licensed))
    doc = load(licensed)
    doc["model"]["id"] = "acme/scribe-7b"
    save(scribe, doc)
    with open(os.path.join(seed, ".provgate.yaml"), "w") as f:
        f.write("manifests:\n  - models/**/manifest.json\n")
    r = subprocess.run([os.path.join(ci, "install-provgate.sh"), "vendor",
                        os.path.join(seed, ".github", "actions", "provgate")],
                       capture_output=True, text=True)
    check(r.returncode == 0, f"install-provgate.sh vendor copies the action ({r.stderr})")
    workflows = os.path.join(seed, ".github", "workflows")
    os.makedirs(workflows)
    shutil.copy(os.path.join(ci, "github-workflow.yml"), os.path.join(workflows, "provgate.yml"))
    shutil.copy(os.path.join(ci, "github-scheduled.yml"),
                os.path.join(workflows, "provgate-daily.yml"))
    os.makedirs(os.path.join(seed, "scripts"))
    shutil.copy(os.path.join(ci, "provgate-pre-commit"), os.path.join(seed, "scripts"))
    shutil.copy(os.path.join(ci, "pre-commit-config.yaml"),
                os.path.join(seed, ".pre-commit-config.yaml"))
    shas = {"first": commit_all(seed, "two closed models")}
    # main moves on after the pull requests branched off: the scribe is reformatted.
    save(scribe, load(scribe), indent=1)
    shas["main"] = commit_all(seed, "reformat the scribe")

    def pull_request(number, change, message):
        git(seed, "checkout", "-q", "-b", f"pr{number}", shas["first"])
        change()
        head = commit_all(seed, message)
        git(seed, "checkout", "-q", "--detach", shas["main"])
        git(seed, "merge", "-q", "--no-ff", "-m", f"Merge {head} into {shas['main']}", head)
        merge = git(seed, "rev-parse", "HEAD")
        git(seed, "update-ref", f"refs/pull/{number}/head", head)
        git(seed, "update-ref", f"refs/pull/{number}/merge", merge)
        git(seed, "checkout", "-q", "main")
        shas[f"pr{number}"] = {"head": head, "merge": merge}

    def retitle():
        doc = load(assistant)
        doc["sources"][0]["title"] = "Forum posts 2008-2025 under a data licence agreement"
        save(assistant, doc)

    def break_config():
        with open(os.path.join(seed, ".provgate.yaml"), "a") as f:
            f.write("colour: blue\n")

    pull_request(1, lambda: add_pirated(assistant), "add a pirated book library")
    pull_request(2, retitle, "retitle the forum deal")
    pull_request(3, break_config, "a key .provgate.yaml does not have")
    today = datetime.datetime.now(datetime.timezone.utc).date()
    # Both models use the shadow library under one waiver (rule and subject): a waiver that
    # matched no finding of a manifest would be a warning there (waiver-unused).
    for branch, days in (("waiver-soon", 10), ("waiver-later", 200)):
        git(seed, "checkout", "-q", "-b", branch, shas["main"])
        add_pirated(assistant)
        add_pirated(scribe)
        with open(os.path.join(seed, "waivers.yaml"), "w") as f:
            f.write(waivers_yaml(today, days))
        with open(os.path.join(seed, ".provgate.yaml"), "a") as f:
            f.write("waivers: waivers.yaml\n")
        shas[branch] = commit_all(seed, f"waive the books for {days} days")
        git(seed, "checkout", "-q", "main")
    origin = os.path.join(work, "origin.git")
    subprocess.run(["git", "clone", "-q", "--mirror", seed, origin], check=True)
    return origin, shas


# ---------------------------------------------------------------------------------------------
# Stand-ins for GitHub's actions and for the tools the steps call.

def write_tools(work, here):
    """A directory for the front of PATH: gh and docker stand-ins run by this interpreter, and
    apt-get and sudo that refuse."""
    tools = os.path.join(work, "tools")
    os.makedirs(tools)
    stand_ins = os.path.join(here, "stand_ins")
    scripts = {
        "gh": f'exec {shlex.quote(sys.executable)} {shlex.quote(stand_ins)}/gh.py "$@"',
        "docker": f'exec {shlex.quote(sys.executable)} {shlex.quote(stand_ins)}/docker.py "$@"',
        "apt-get": f'exec sh {shlex.quote(stand_ins)}/refuse.sh apt-get "$@"',
        "sudo": f'exec sh {shlex.quote(stand_ins)}/refuse.sh sudo "$@"'}
    for name, command in scripts.items():
        path = os.path.join(tools, name)
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + command + "\n")
        os.chmod(path, 0o755)
    return tools


class GitHub:
    """The scenario's GitHub: the origin to check out from, the event, the canned comments, and
    what the stand-in actions were asked to do."""

    def __init__(self, origin, checkout_ref, expected_key, owner=None):
        self.origin = origin
        self.checkout_ref = checkout_ref
        self.expected_key = expected_key
        self.owner = owner
        self.calls = []
        self.uploads = []

    def __call__(self, job, uses, inputs):
        self.calls.append((uses, inputs))
        name, _, version = uses.partition("@")
        check(version == "v4", f"{uses}: a released major version")
        if name == "actions/checkout":
            return self.checkout(job, inputs)
        if name == "actions/cache/restore":
            hit = inputs["key"] == self.expected_key and os.path.isfile(
                os.path.join(inputs["path"], "bin", "provgate"))
            check(inputs["key"] == self.expected_key,
                  f"cache key {inputs['key']} is install-provgate.sh's key {self.expected_key}")
            return {"cache-hit": "true" if hit else "false",
                    "cache-primary-key": inputs["key"]}, 0
        if name == "actions/cache/save":
            check(os.path.isfile(os.path.join(inputs["path"], "bin", "provgate")) or
                  os.path.isfile(os.path.join(inputs["path"], "image.tar")),
                  "the build saved to the cache holds bin/provgate or the image")
            self.saved = inputs
            return {}, 0
        if name == "github/codeql-action/upload-sarif":
            with open(inputs["sarif_file"]) as f:
                self.uploads.append((inputs, json.load(f)))
            return {}, 0
        check(False, f"{uses}: an action this test knows")
        return {}, 1

    def checkout(self, job, inputs):
        """actions/checkout: the pull request's merge commit (or the branch), detached, with
        all history for fetch-depth 0, else that many commits."""
        check(not inputs.get("repository"), "checkout: the repository of the workflow")
        target = os.path.join(job.workspace, inputs.get("path", ""))
        depth = int(inputs.get("fetch-depth") or 1)
        os.makedirs(target, exist_ok=True)
        git(target, "init", "-q")
        git(target, "remote", "add", "origin", "file://" + self.origin)
        fetch = ["fetch", "-q", "--no-tags", "origin"]
        if depth:
            fetch.append(f"--depth={depth}")
        ref = self.checkout_ref
        local = ref.replace("refs/pull/", "refs/remotes/pull/").replace("refs/heads/",
                                                                         "refs/remotes/origin/")
        refspecs = [f"+{ref}:{local}"]
        if not depth:
            refspecs.append("+refs/heads/*:refs/remotes/origin/*")
        git(target, *fetch, *refspecs)
        git(target, "checkout", "-q", "--detach", local)
        if self.owner is not None:
            # A job container: the checkout belongs to the runner's user, the steps run as root.
            subprocess.run(["chown", "-R", f"{self.owner}:{self.owner}", target], check=True)
        return {}, 0


def prepared_build(ci, runner_temp, provgate):
    """What actions/cache restores: the install-provgate.sh build of an earlier run (here, the
    provgate under test, with the runtime packages its build records)."""
    prefix = os.path.join(runner_temp, "provgate-cli")
    os.makedirs(os.path.join(prefix, "bin"))
    shutil.copy(provgate, os.path.join(prefix, "bin", "provgate"))
    r = subprocess.run([os.path.join(ci, "install-provgate.sh"), "record", prefix],
                       capture_output=True, text=True)
    check(r.returncode == 0, f"install-provgate.sh record ({r.stderr})")
    return prefix


# ---------------------------------------------------------------------------------------------
# The checks of the files' shapes.

def check_shapes(ci, docs):
    action = docs["action.yml"]
    check(action["runs"]["using"] == "composite", "action: composite")
    steps = action["runs"]["steps"]
    for step in steps:
        check("uses" in step or step.get("shell") == "bash", f"action step {step['name']}: bash")
        for name in re.findall(r"inputs\.([A-Za-z0-9_-]+)", json.dumps(step)):
            check(name in action["inputs"], f"action: input {name} is declared")
    # Inside a job container these contexts name the runner's paths, not the container's
    # (actions/runner#2185); the environment variables are right in both.
    text = json.dumps(steps)
    for context in ("github.action_path", "runner.temp", "github.workspace"):
        check(context not in text, f"action: paths from the environment, not {context}")
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    check(uses == ["actions/cache/restore", "actions/cache/save",
                   "github/codeql-action/upload-sarif"],
          f"action: restores and saves the build, uploads SARIF ({uses})")
    gate_runs = [s["run"] for s in steps if "provgate" in s.get("run", "") and
                 re.search(r"\bprovgate \"\$\{args", s.get("run", ""))]
    check(len(gate_runs) == 1, "action: one provgate gate run")
    build = next(s for s in steps if s.get("name", "").startswith("Build provgate"))
    check("install-provgate.sh\" build" in build["run"] or
          "install-provgate.sh build" in build["run"], "action: builds with install-provgate.sh")
    with open(os.path.join(ci, "install-provgate.sh")) as f:
        installer = f.read()
    check("-DPROVGATE_BUILD_TESTS=OFF" in installer and "-DPROVGATE_BUILD_BENCH=OFF" in installer,
          "install-provgate.sh builds without tests and benchmarks")

    for file, permissions in (("github-workflow.yml", {"contents": "read",
                                                       "security-events": "write",
                                                       "pull-requests": "write"}),
                              ("github-scheduled.yml", {"contents": "read",
                                                        "security-events": "write"})):
        workflow = docs[file]
        triggers = workflow.get("on", workflow.get(True))
        check(workflow["permissions"] == permissions, f"{file}: permissions {permissions}")
        check("pull_request_target" not in triggers and "workflow_run" not in triggers,
              f"{file}: never runs a pull request's code with a write token")
        job = next(iter(workflow["jobs"].values()))
        check(job["runs-on"] == "ubuntu-latest" and job["container"] == "debian:12",
              f"{file}: a GitHub-hosted Ubuntu runner, in a debian:12 container")
        check(any(s.get("uses") == "./.github/actions/provgate" for s in job["steps"]),
              f"{file}: uses the action copied into .github/actions/provgate")
    triggers = docs["github-workflow.yml"].get("on", docs["github-workflow.yml"].get(True))
    check("pull_request" in triggers and not (triggers["pull_request"] or {}).get("paths"),
          "workflow: every pull request, no paths filter (a required check must report)")
    job = docs["github-workflow.yml"]["jobs"]["gate"]
    check(any((s.get("with") or {}).get("fetch-depth") == 0 for s in job["steps"]),
          "workflow: checkout with the history that holds the base revision")
    triggers = docs["github-scheduled.yml"].get("on", docs["github-scheduled.yml"].get(True))
    check(isinstance(triggers.get("schedule"), list) and triggers["schedule"][0].get("cron"),
          "scheduled workflow: a cron schedule")

    gitlab = docs["gitlab-ci.yml"]
    for name in ("provgate", "provgate-daily"):
        check(gitlab[name]["extends"] == ".provgate", f"gitlab: {name} extends .provgate")
    check(gitlab[".provgate"]["artifacts"]["reports"]["junit"] == "provgate-out/junit.xml",
          "gitlab: the JUnit report in the merge request")
    check(gitlab[".provgate"]["image"]["entrypoint"] == [""],
          "gitlab: the image's entry point is replaced by GitLab's shell")
    hooks = docs["pre-commit-config.yaml"]["repos"][0]["hooks"]
    check(len(hooks) == 1 and hooks[0]["language"] == "script" and
          hooks[0]["pass_filenames"] is False and hooks[0]["always_run"] is True,
          "pre-commit: one hook, on every commit, the gate choosing the manifests")

    with open(os.path.join(ci, "README.md")) as f:
        readme = f.read()
    for name in sorted(set(os.listdir(ci)) - {"README.md"}):
        check(name in readme, f"README.md says what {name} is")
    for file, doc_steps in (("action.yml", steps),
                            ("github-workflow.yml",
                             docs["github-workflow.yml"]["jobs"]["gate"]["steps"]),
                            ("github-scheduled.yml",
                             docs["github-scheduled.yml"]["jobs"]["gate"]["steps"])):
        for step in doc_steps:
            if "run" not in step:
                continue
            r = subprocess.run(["shellcheck", "--shell=bash", "-"], input=step["run"],
                               capture_output=True, text=True)
            check(r.returncode == 0,
                  f"{file}: shellcheck of {step.get('name')!r}: {r.stdout}")


def dockerfile_instructions(path):
    """(instruction, arguments) of each line of a Dockerfile, continuations joined."""
    with open(path) as f:
        text = f.read()
    instructions, pending = [], ""
    for line in text.split("\n"):
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        line = pending + line
        pending = ""
        word, _, rest = line.strip().partition(" ")
        instructions.append((word.upper(), rest.strip()))
    check(not pending, "Dockerfile: no dangling line continuation")
    return instructions


def check_dockerfile(src, ci, work):
    known = {"FROM", "RUN", "COPY", "ADD", "ENV", "WORKDIR", "ENTRYPOINT", "CMD", "ARG", "LABEL",
             "USER", "EXPOSE", "VOLUME", "SHELL", "HEALTHCHECK", "STOPSIGNAL", "ONBUILD"}
    instructions = dockerfile_instructions(os.path.join(ci, "Dockerfile"))
    for word, rest in instructions:
        check(word in known, f"Dockerfile: {word} is an instruction")
    stages = [rest.split() for word, rest in instructions if word == "FROM"]
    check(len(stages) == 2 and stages[0][0] == "debian:12" and stages[0][1:] == ["AS", "build"]
          and stages[1][0].startswith("debian:12"),
          f"Dockerfile: a debian:12 build stage and a debian:12 image ({stages})")
    copies = [rest.split() for word, rest in instructions if word == "COPY"]
    check(any(c[0] == "--from=build" for c in copies), "Dockerfile: the image takes the build")
    sources = sorted({c[0] for c in copies if not c[0].startswith("--")})
    for source in sources:
        check(os.path.exists(os.path.join(src, source)), f"Dockerfile: COPY {source} exists")
    runs = " ".join(rest for word, rest in instructions if word == "RUN")
    check("install-provgate.sh build" in runs and "PROVGATE_BUILD_TESTS=ON" not in runs,
          "Dockerfile: builds with install-provgate.sh (no tests, no benchmarks)")
    entry = next(rest for word, rest in instructions if word == "ENTRYPOINT")
    check(json.loads(entry) == ["provgate"], "Dockerfile: provgate is the entry point")
    with open(os.path.join(ci, "Dockerfile.dockerignore")) as f:
        allowed = {line[1:] for line in f.read().split("\n") if line.startswith("!")}
    check(set(sources) <= allowed, f"Dockerfile.dockerignore lets {sources} through")
    # The sources the Dockerfile copies are enough to configure the CLI's build.
    if shutil.which("cmake"):
        tree = os.path.join(work, "docker-context")
        for source in sources:
            target = os.path.join(tree, source)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if os.path.isdir(os.path.join(src, source)):
                shutil.copytree(os.path.join(src, source), target)
            else:
                shutil.copy(os.path.join(src, source), target)
        r = subprocess.run(["cmake", "-S", tree, "-B", os.path.join(work, "docker-build"),
                            "-DPROVGATE_BUILD_TESTS=OFF", "-DPROVGATE_BUILD_BENCH=OFF"],
                           capture_output=True, text=True)
        check(r.returncode == 0, f"Dockerfile: its sources configure on their own ({r.stderr})")


# ---------------------------------------------------------------------------------------------
# The reports the gate writes.

class Reports:
    def __init__(self, sarif_validator):
        self.sarif_validator = sarif_validator

    def check(self, outputs, what, *, expect_exit, checked=None, base=...):
        check(outputs.get("exit-code") == str(expect_exit),
              f"{what}: the gate exits {expect_exit} ({outputs.get('exit-code')})")
        markdown = outputs.get("markdown", "")
        if check(os.path.isfile(markdown), f"{what}: the Markdown summary"):
            with open(markdown) as f:
                check(f.read().startswith(MARKER), f"{what}: the summary begins with the marker")
        if expect_exit >= 2:
            check(not outputs.get("sarif") and not outputs.get("junit"),
                  f"{what}: no reports on exit {expect_exit}")
            return None
        for kind in ("sarif", "junit", "json"):
            check(os.path.isfile(outputs.get(kind, "")), f"{what}: the {kind} report")
        with open(outputs["sarif"]) as f:
            sarif = json.load(f)
        errors = list(self.sarif_validator.iter_errors(sarif))
        check(not errors, f"{what}: valid SARIF ({errors[0].message if errors else ''})")
        check(sarif.get("version") == "2.1.0" and len(sarif.get("runs", [])) == 1,
              f"{what}: SARIF 2.1.0 with a run")
        junit = ET.parse(outputs["junit"]).getroot()
        check(junit.tag == "testsuites", f"{what}: JUnit XML")
        failures = len(junit.findall(".//failure"))
        check((failures > 0) == (expect_exit == 1), f"{what}: JUnit failures ({failures})")
        gate = load(outputs["json"])
        check(gate["gate"]["exit_code"] == expect_exit, f"{what}: the JSON's exit code")
        if checked is not None:
            paths = sorted(m["path"] for m in gate["manifests"])
            check(paths == checked, f"{what}: the manifests checked are {checked} ({paths})")
        if base is not ...:
            check(gate["gate"]["base"] == base, f"{what}: compared with {base} "
                                                f"({gate['gate']['base']})")
        return gate, sarif


# ---------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--provgate", required=True, help="the provgate binary under test")
    parser.add_argument("--source", required=True, help="the provgate source tree")
    parser.add_argument("--build", action="store_true",
                        help="also build provgate as the action does on a cache miss "
                             "(install-provgate.sh build: minutes)")
    parser.add_argument("--keep", metavar="DIR",
                        help="build the fixtures in DIR (new or empty) and keep them")
    args = parser.parse_args()
    provgate = os.path.abspath(args.provgate)
    src = os.path.abspath(args.source)
    ci = os.path.join(src, "examples", "ci")
    for tool in ("git", "jq", "shellcheck"):
        if shutil.which(tool) is None:
            print(f"skipped: {tool} is not installed (apt-get install {tool})")
            return 77
    if shutil.which("dpkg-query") is None:
        print("skipped: install-provgate.sh needs Debian (dpkg-query)")
        return 77
    with open(os.path.join(src, "tests", "data", "sarif", "sarif-schema-2.1.0.json")) as f:
        reports = Reports(jsonschema.Draft4Validator(json.load(f)))

    docs = {}
    for path in sorted(glob.glob(os.path.join(ci, "*.yml")) +
                       glob.glob(os.path.join(ci, "*.yaml"))):
        with open(path) as f:
            docs[os.path.basename(path)] = yaml.safe_load(f)
    check(set(docs) == {"action.yml", "github-workflow.yml", "github-scheduled.yml",
                        "gitlab-ci.yml", "pre-commit-config.yaml"},
          f"the YAML files parse: {sorted(docs)}")
    check_shapes(ci, docs)

    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        if os.listdir(args.keep):
            print(f"error: --keep {args.keep} is not empty", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory() as scratch:
        work = os.path.abspath(args.keep) if args.keep else scratch
        check_dockerfile(src, ci, work)
        tools = write_tools(work, os.path.dirname(os.path.abspath(__file__)))
        install_log = os.path.join(work, "install.log")
        open(install_log, "w").close()
        # The environment of every step: no provgate on PATH but the one the action installs.
        base_env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("GITHUB_", "RUNNER_", "GH_", "CI_", "PROVGATE"))}
        base_env["PATH"] = os.pathsep.join(
            [tools] + [d for d in os.environ["PATH"].split(os.pathsep)
                       if d and not os.path.exists(os.path.join(d, "provgate"))])
        base_env["FAKE_INSTALL_LOG"] = install_log
        origin, shas = build_origin(work, src, ci)
        vendored = os.path.join(work, "seed", ".github", "actions", "provgate")
        key = subprocess.run([os.path.join(ci, "install-provgate.sh"), "key", src],
                             capture_output=True, text=True).stdout.strip()
        vendored_key = subprocess.run(
            [os.path.join(vendored, "examples", "ci", "install-provgate.sh"), "key", vendored],
            capture_output=True, text=True).stdout.strip()
        check_installer(src, ci, work, provgate, key, vendored, vendored_key)

        def comments_file(name, comments):
            path = os.path.join(work, f"comments-{name}.json")
            with open(path, "w") as f:
                json.dump(comments, f)
            return path

        def pull_request_job(name, number, *, fork=False, comments=(), workflow=True,
                             inputs=None, depth=None, event_base="main", job_key=None,
                             prepared=True, owner=None):
            root = os.path.join(work, name)
            pr = shas[f"pr{number}"]
            event = {"number": number,
                     "pull_request": {"number": number,
                                      "base": {"sha": shas[event_base], "ref": "main"},
                                      "head": {"sha": pr["head"], "ref": f"pr{number}",
                                               "repo": {"full_name": "someone/manifests" if fork
                                                        else REPOSITORY}}}}
            github = GitHub(origin, f"refs/pull/{number}/merge",
                            job_key or (vendored_key if workflow else key), owner)
            github_ctx = {"event_name": "pull_request", "event": event, "sha": pr["merge"],
                          "ref": f"refs/pull/{number}/merge", "repository": REPOSITORY,
                          "server_url": SERVER_URL, "actor": "someone" if fork else "alice",
                          "token": "token-of-the-job"}
            env = dict(base_env, FAKE_GH_LOG=os.path.join(root, "gh.log"),
                       FAKE_GH_COMMENTS=comments_file(name, list(comments)),
                       FAKE_DOCKER_LOG=os.path.join(root, "docker.log"),
                       FAKE_DOCKER_PROVGATE=provgate)
            job = Job(root, github_ctx, github, env, check)
            open(env["FAKE_GH_LOG"], "w").close()
            if prepared:
                prepared_build(ci, job.temp, provgate)
            if workflow:
                ok = job.run_job(docs["github-workflow.yml"], "gate")
            else:
                github.checkout(job, {"path": inputs.get("path", ""), "fetch-depth": str(depth)})
                job.github["action_path"] = ci
                _, code = job.run_action(ci, inputs)
                ok = code == 0
            with open(env["FAKE_GH_LOG"]) as f:
                gh_calls = [json.loads(line) for line in f if line.strip()]
            return job, github, ok, gh_calls

        def comment(id_, login, body):
            return {"id": id_, "user": {"login": login, "type": "Bot" if "[bot]" in login
                                        else "User"}, "body": body}

        # A pull request that adds a pirated source to a closed model: the job fails. The
        # comments: another bot's carrying the same marker, a person's, and the gate's own.
        # Run as root, the checkout belongs to another user, as in a job container.
        owner = 4242 if os.getuid() == 0 else None
        if owner is None:
            print("note: not root, so a checkout owned by another user is not tried")
        job, github, ok, gh_calls = pull_request_job("pr-bad", 1, owner=owner, comments=[
            comment(11, "other-linter[bot]", MARKER + "\nanother tool's summary"),
            comment(12, "alice", "Why does this fail?"),
            comment(13, BOT, MARKER + "\nan earlier run's summary")])
        outputs = job.action_outputs
        check(not ok, "pull request 1 (pirated books): the job fails")
        final = job.result("Fail when the gate fails")
        check(final is not None and final[2] == 1, "pull request 1: the last step exits 1")
        reports.check(outputs, "pull request 1", expect_exit=1,
                      checked=["models/assistant/manifest.json"], base=shas["main"])
        check(re.search(r"^::error file=models/assistant/manifest\.json,line=\d+,col=\d+,"
                        r"title=P1 [^:]*scraped-books", job.output("provgate gate"), re.M),
              "pull request 1: an annotation on the pirated source's line")
        with open(job.summary) as f:
            summary = f.read()
        check(MARKER in summary and "models/assistant/manifest.json" in summary,
              "pull request 1: the job summary has the gate's summary")
        check(len(github.uploads) == 1 and
              github.uploads[0][0]["sarif_file"] == outputs["sarif"] and
              github.uploads[0][0]["category"] == "provgate" and
              os.path.realpath(github.uploads[0][0]["checkout_path"]) ==
              os.path.realpath(job.workspace),
              "pull request 1: the SARIF uploaded to code scanning")
        with open(outputs["markdown"]) as f:
            markdown = f.read()
        check([c["method"] for c in gh_calls] == ["GET", "PATCH"],
              f"pull request 1: the comments listed, then one updated ({gh_calls})")
        if len(gh_calls) == 2:
            check(gh_calls[0]["path"] == f"repos/{REPOSITORY}/issues/1/comments" and
                  gh_calls[0].get("paginate"), "pull request 1: every page of the comments")
            check(gh_calls[1]["path"] == f"repos/{REPOSITORY}/issues/comments/13",
                  f"pull request 1: the gate's own comment is updated ({gh_calls[1]['path']})")
            check(gh_calls[1]["fields"]["body"] == markdown,
                  "pull request 1: the comment is the Markdown summary")
            check(gh_calls[1]["token"] == "token-of-the-job" and
                  gh_calls[1]["host"] == "github.example", "pull request 1: gh's token and host")

        # A harmless change: the job passes, and without a comment of its own the gate adds one
        # (the other bot's, with the marker, is not taken for it). The event names an older
        # base than the merge commit's (the target branch moved on): the gate still compares
        # with the branch the change is merged onto, so main's own change is not checked.
        job, github, ok, gh_calls = pull_request_job("pr-good", 2, event_base="first", comments=[
            comment(21, "other-linter[bot]", MARKER + "\nanother tool's summary")])
        check(ok, "pull request 2 (a new title): the job passes")
        reports.check(job.action_outputs, "pull request 2", expect_exit=0,
                      checked=["models/assistant/manifest.json"], base=shas["main"])
        check([(c["method"], c["path"]) for c in gh_calls] ==
              [("GET", f"repos/{REPOSITORY}/issues/2/comments"),
               ("POST", f"repos/{REPOSITORY}/issues/2/comments")],
              f"pull request 2: a new comment, the other bot's left alone ({gh_calls})")
        check(len(github.uploads) == 1, "pull request 2: the SARIF uploaded")

        # The same bad change from a fork: the job still fails; nothing is uploaded or
        # commented, and notices say why.
        job, github, ok, gh_calls = pull_request_job("pr-fork", 1, fork=True)
        check(not ok, "fork: the job fails")
        reports.check(job.action_outputs, "fork", expect_exit=1)
        check(not github.uploads and not gh_calls, f"fork: no upload, no comment ({gh_calls})")
        notices = job.output("Prepare the gate")
        check(re.search(r"^::notice [^\n]*SARIF not uploaded[^\n]*fork", notices, re.M) and
              re.search(r"^::notice [^\n]*No summary comment[^\n]*fork", notices, re.M),
              f"fork: notices say the upload and the comment are skipped ({notices})")

        # A broken .provgate.yaml: exit 2 fails the job, and the comment says the gate could not
        # run rather than keeping an earlier verdict.
        job, github, ok, gh_calls = pull_request_job("pr-config", 3, comments=[
            comment(31, BOT, MARKER + "\ncompliant, once")])
        check(not ok, "pull request 3 (bad .provgate.yaml): the job fails")
        final = job.result("Fail when the gate fails")
        check(final is not None and final[2] == 2, "pull request 3: the last step exits 2")
        reports.check(job.action_outputs, "pull request 3", expect_exit=2)
        check(not github.uploads, "pull request 3: no SARIF to upload")
        check([(c["method"], c["path"]) for c in gh_calls][-1:] ==
              [("PATCH", f"repos/{REPOSITORY}/issues/comments/31")] and
              "could not run" in gh_calls[-1]["fields"]["body"],
              f"pull request 3: the comment says the gate could not run ({gh_calls})")

        # The action used from provgate's own tree, the repository checked out beneath the
        # workspace with one commit of history: the base is fetched.
        job, github, ok, gh_calls = pull_request_job(
            "pr-shallow", 1, workflow=False, depth=1,
            inputs={"path": "repo", "upload-sarif": "false", "comment": "false"})
        check(not ok, "shallow checkout: the job fails")
        reports.check(job.action_outputs, "shallow checkout", expect_exit=1,
                      checked=["models/assistant/manifest.json"], base=shas["main"])
        check(not github.uploads and not gh_calls, "shallow checkout: upload and comment off")

        # A runner that is not Debian 12 (install: docker): the first run builds the image of
        # examples/ci/Dockerfile and saves it to the cache, and provgate runs in it over the
        # workspace, as the runner's user (docker is a stand-in that runs provgate).
        docker_key = subprocess.run(
            [os.path.join(ci, "install-provgate.sh"), "key", src,
             f"docker-debian-12-{os.uname().machine}"],
            capture_output=True, text=True).stdout.strip()
        job, github, ok, gh_calls = pull_request_job(
            "pr-docker", 1, workflow=False, depth=0, job_key=docker_key, prepared=False,
            inputs={"install": "docker", "upload-sarif": "false", "comment": "false"})
        check(not ok, "docker: the job fails")
        reports.check(job.action_outputs, "docker", expect_exit=1,
                      checked=["models/assistant/manifest.json"], base=shas["main"])
        with open(os.path.join(work, "pr-docker", "docker.log")) as f:
            docker_calls = [json.loads(line) for line in f if line.strip()]
        commands = [c[0] if c[0] != "image" else "image inspect" for c in docker_calls]
        check(commands == ["build", "save", "image inspect", "run"],
              f"docker: build, save, then run the image ({commands})")
        if commands == ["build", "save", "image inspect", "run"]:
            build = docker_calls[0]
            check(build[build.index("--file") + 1] == os.path.join(ci, "Dockerfile") and
                  build[-1] == src, "docker: the image is built from examples/ci/Dockerfile")
            run = docker_calls[3]
            volumes = [run[i + 1] for i, a in enumerate(run) if a == "--volume"]
            check(f"{job.workspace}:{job.workspace}" in volumes and
                  f"{job.temp}:{job.temp}" in volumes and
                  run[run.index("--user") + 1] == f"{os.getuid()}:{os.getgid()}",
                  f"docker: the workspace and the reports at their paths, as this user ({run})")
        check(getattr(github, "saved", {}).get("key") == docker_key,
              "docker: the image saved to the cache under its key")

        # The daily run over the default branch: a waiver ending in 10 days fails it, one ending
        # in 200 days does not.
        for branch, expect in (("waiver-soon", 1), ("waiver-later", 0)):
            root = os.path.join(work, f"daily-{branch}")
            github = GitHub(origin, f"refs/heads/{branch}", vendored_key)
            github_ctx = {"event_name": "schedule", "event": {"schedule": "17 5 * * *"},
                          "sha": shas[branch], "ref": "refs/heads/main",
                          "repository": REPOSITORY, "server_url": SERVER_URL,
                          "actor": "alice", "token": "token-of-the-job"}
            env = dict(base_env, FAKE_GH_LOG=os.path.join(root, "gh.log"),
                       FAKE_GH_COMMENTS=comments_file(branch, []))
            job = Job(root, github_ctx, github, env, check)
            open(env["FAKE_GH_LOG"], "w").close()
            prepared_build(ci, job.temp, provgate)
            ok = job.run_job(docs["github-scheduled.yml"], "gate")
            what = f"daily run, {branch}"
            check(ok == (expect == 0), f"{what}: the job {'passes' if expect == 0 else 'fails'}")
            result = reports.check(job.action_outputs, what, expect_exit=expect,
                                   checked=["models/assistant/manifest.json",
                                            "models/scribe/manifest.json"], base=None)
            if result:
                text = json.dumps(result[0])
                check(("waiver-expiring" in text) == (expect == 1),
                      f"{what}: waiver-expiring {'reported' if expect else 'not reported'}")
            check(len(github.uploads) == 1, f"{what}: the SARIF uploaded")
            with open(env["FAKE_GH_LOG"]) as f:
                check(not f.read().strip(), f"{what}: no comment")

        with open(install_log) as f:
            installs = f.read()
        check(not installs, f"the installed build needed no package installed ({installs})")

        check_gitlab(docs["gitlab-ci.yml"], origin, shas, work, provgate, reports)
        check_pre_commit(ci, origin, shas, work, provgate, src)
        if args.build:
            check_build(ci, src, work, base_env)

    if FAILURES:
        print(f"{len(FAILURES)} failure(s)")
        return 1
    print("ok: examples/ci parse; the GitHub action and workflows, the GitLab jobs and the "
          "pre-commit hook gate a change")
    return 0


def check_installer(src, ci, work, provgate, key, vendored, vendored_key):
    """install-provgate.sh: the cache key names the version and platform and follows the
    sources the build reads; the vendored copy has the same key; record names the packages of
    the libraries provgate links (CMakeLists.txt: yaml-cpp, OpenSSL, RE2, simdjson)."""
    with open(os.path.join(src, "CMakeLists.txt")) as f:
        version = re.search(r"project\(provgate VERSION ([0-9.]+)", f.read()).group(1)
    check(re.fullmatch(rf"provgate-cli-{re.escape(version)}-debian-12-[a-z0-9_]+-[0-9a-f]{{32}}",
                       key), f"install-provgate.sh key: version, platform, digest ({key})")
    check(vendored_key == key, f"the vendored copy builds the same ({vendored_key} vs {key})")
    check(os.path.isfile(os.path.join(vendored, "action.yml")) and
          os.path.isfile(os.path.join(vendored, "VENDORED")) and
          not glob.glob(os.path.join(vendored, "**", "manifest.json"), recursive=True),
          "vendored: the action at the top, a note of its origin, no manifests")
    r = subprocess.run([os.path.join(ci, "install-provgate.sh"), "vendor",
                        os.path.join(src, "examples")], capture_output=True, text=True)
    check(r.returncode != 0 and os.path.isdir(os.path.join(src, "examples", "ci")),
          "vendor refuses a directory it did not write")
    copy = os.path.join(work, "key-source")
    for name in ("CMakeLists.txt", "cmake", "engine", "cli", "rules", "schemas", "examples/ci"):
        target = os.path.join(copy, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.isdir(os.path.join(src, name)):
            shutil.copytree(os.path.join(src, name), target)
        else:
            shutil.copy(os.path.join(src, name), target)

    def key_of():
        return subprocess.run([os.path.join(ci, "install-provgate.sh"), "key", copy],
                              capture_output=True, text=True).stdout.strip()

    check(key_of() == key, "the key depends on the sources, not on where they are")
    with open(os.path.join(copy, "README.md"), "w") as f:
        f.write("not read by the build\n")
    check(key_of() == key, "the key ignores files the build does not read")
    with open(os.path.join(copy, "engine", "CMakeLists.txt"), "a") as f:
        f.write("# changed\n")
    check(key_of() != key, "the key changes with the sources")
    prefix = os.path.join(work, "record")
    os.makedirs(os.path.join(prefix, "bin"))
    shutil.copy(provgate, os.path.join(prefix, "bin", "provgate"))
    r = subprocess.run([os.path.join(ci, "install-provgate.sh"), "record", prefix],
                       capture_output=True, text=True)
    listing = os.path.join(prefix, "share", "provgate", "runtime-packages")
    packages = open(listing).read().split() if os.path.isfile(listing) else []
    for library in ("libyaml-cpp", "libssl", "libre2", "libsimdjson"):
        check(any(p.startswith(library) for p in packages),
              f"install-provgate.sh record: a package of {library} ({packages}, {r.stderr})")


def check_gitlab(gitlab, origin, shas, work, provgate, reports):
    """The GitLab jobs' scripts with GitLab's variables, provgate on PATH as in the image."""
    bin_dir = os.path.join(work, "gitlab-bin")
    os.makedirs(bin_dir)
    os.symlink(provgate, os.path.join(bin_dir, "provgate"))

    def run_job(name, checkout, variables):
        repo = os.path.join(work, f"gitlab-{name}-{len(os.listdir(work))}")
        subprocess.run(["git", "clone", "-q", "--no-checkout", origin, repo], check=True)
        git(repo, "fetch", "-q", "origin", "+refs/pull/*:refs/remotes/pull/*")
        git(repo, "checkout", "-q", "--detach", checkout)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CI_", "GITLAB_"))}
        env.update(variables, CI="true", GITLAB_CI="true", CI_PROJECT_DIR=repo,
                   PATH=bin_dir + os.pathsep + env["PATH"])
        job = gitlab[name]
        check(all(isinstance(line, str) for line in job["script"]), f"gitlab {name}: script")
        # The runner stops at the first line that fails, in one shell.
        script = "set -eo pipefail\n" + "\n".join(job["script"]) + "\n"
        r = subprocess.run(["bash", "-c", script], cwd=repo, env=env, capture_output=True,
                           text=True)
        out = os.path.join(repo, "provgate-out")
        outputs = {"exit-code": str(r.returncode), "markdown": os.path.join(out, "summary.md")}
        for kind, file in (("sarif", "provgate.sarif"), ("junit", "junit.xml"),
                           ("json", "gate.json")):
            if os.path.exists(os.path.join(out, file)):
                outputs[kind] = os.path.join(out, file)
        return r, outputs

    mr = {"CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_IID": "1"}
    r, outputs = run_job("provgate", shas["pr1"]["head"],
                         dict(mr, CI_MERGE_REQUEST_DIFF_BASE_SHA=shas["first"]))
    check(r.returncode == 1, f"gitlab: the merge request's job fails ({r.returncode}, {r.stderr})")
    reports.check(outputs, "gitlab merge request", expect_exit=1,
                  checked=["models/assistant/manifest.json"], base=shas["first"])
    check("models/assistant/manifest.json" in r.stdout, "gitlab: the job log has the report")
    # A merged results pipeline: the merge commit, compared with the target branch's head.
    r, outputs = run_job("provgate", shas["pr2"]["merge"],
                         dict(mr, CI_MERGE_REQUEST_DIFF_BASE_SHA=shas["first"],
                              CI_MERGE_REQUEST_TARGET_BRANCH_SHA=shas["main"]))
    check(r.returncode == 0, f"gitlab: a harmless merge request passes ({r.stderr})")
    reports.check(outputs, "gitlab merged results", expect_exit=0,
                  checked=["models/assistant/manifest.json"], base=shas["main"])
    for branch, expect in (("waiver-soon", 1), ("waiver-later", 0)):
        r, outputs = run_job("provgate-daily", shas[branch],
                             {"CI_PIPELINE_SOURCE": "schedule", "CI_COMMIT_BRANCH": "main",
                              "CI_DEFAULT_BRANCH": "main"})
        check(r.returncode == expect, f"gitlab daily, {branch}: exit {expect} ({r.returncode})")
        reports.check(outputs, f"gitlab daily, {branch}", expect_exit=expect)


def check_pre_commit(ci, origin, shas, work, provgate, src):
    """The pre-commit entry in a clone: a staged bad manifest fails, a staged harmless change
    passes, and before the first commit every manifest is checked."""
    repo = os.path.join(work, "pre-commit")
    subprocess.run(["git", "clone", "-q", origin, repo], check=True)
    entry = os.path.join(repo, "scripts", "provgate-pre-commit")
    env = dict(os.environ, PROVGATE=provgate)
    assistant = os.path.join(repo, "models", "assistant", "manifest.json")
    add_pirated(assistant)
    git(repo, "add", assistant)
    r = subprocess.run([entry], cwd=repo, env=env, capture_output=True, text=True)
    check(r.returncode == 1 and "models/assistant/manifest.json" in r.stdout,
          f"pre-commit: a staged pirated source fails ({r.returncode}: {r.stdout[-300:]})")
    git(repo, "reset", "-q", "--hard")
    doc = load(assistant)
    doc["sources"][1]["title"] = "Source code under MIT and Apache licences"
    save(assistant, doc)
    git(repo, "add", assistant)
    r = subprocess.run([entry], cwd=repo, env=env, capture_output=True, text=True)
    check(r.returncode == 0, f"pre-commit: a staged harmless change passes ({r.stdout[-300:]})")
    fresh = os.path.join(work, "pre-commit-first")
    os.makedirs(fresh)
    git(fresh, "init", "-q")
    shutil.copy(os.path.join(src, "examples", "pirated-books-closed", "manifest.json"),
                os.path.join(fresh, "manifest.json"))
    git(fresh, "add", "manifest.json")
    r = subprocess.run([os.path.join(ci, "provgate-pre-commit")], cwd=fresh, env=env,
                       capture_output=True, text=True)
    check(r.returncode == 1, f"pre-commit: before the first commit, every manifest ({r.stderr})")


def check_build(ci, src, work, base_env):
    """The action's cache miss: install-provgate.sh build, then runtime on what it installed."""
    prefix = os.path.join(work, "built")
    env = dict(base_env)
    r = subprocess.run([os.path.join(ci, "install-provgate.sh"), "build", src, prefix],
                       env=env, capture_output=True, text=True)
    check(r.returncode == 0, f"install-provgate.sh build ({r.stderr[-2000:]})")
    r = subprocess.run([os.path.join(ci, "install-provgate.sh"), "runtime", prefix],
                       env=env, capture_output=True, text=True)
    check(r.returncode == 0, f"install-provgate.sh runtime ({r.stderr})")


if __name__ == "__main__":
    sys.exit(main())
