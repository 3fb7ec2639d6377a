#!/usr/bin/env python3
"""provgate gate against pull requests that try to get around it, through the real CLI and git.

A fixture repository is built from the bundled examples: an open teacher trained on permitted
data and a closed student distilled from it (and a closed chat model fine-tuned from the
student), an open model trained without permission (compliant because it is open), two closed
models whose contracts carry evidence with a sha256, a closed model whose sources live in a
JSON Lines side file (with a waiver for its one P9 warning), a manifest that is a symbolic link
to a file elsewhere in the repository, and a copy of the default rule pack as the repository's
own pack. `.provgate.yaml` lists the manifests, the pack, the waivers, verify_files and the date
of the check. The main branch passes the gate.

Each pull request branches from main, makes one change and runs `provgate gate --base main`,
first with the change in the working tree, then committed. Every way around the gate must fail
it and name the manifest and the reason; the honest pull requests must pass. The expectations
come from docs/cli.md ("The repository gate", "Waivers") and the policy, not from the output.
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

FAILURES = []

# The date of the check (`date:` in .provgate.yaml), so that nothing depends on today.
CHECK_DATE = "2026-10-25"


def check(condition, what):
    if not condition:
        FAILURES.append(what)
        print("FAIL:", what)
    return condition


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class Repo:
    """The fixture repository and the CLI run in it."""

    def __init__(self, path, provgate, scratch):
        self.path = path
        self.provgate = provgate
        self.scratch = scratch  # Outside the repository: report files must not be changes.
        self.runs = 0

    def git(self, *argv):
        env = dict(os.environ, GIT_AUTHOR_NAME="dev", GIT_AUTHOR_EMAIL="dev@example",
                   GIT_COMMITTER_NAME="dev", GIT_COMMITTER_EMAIL="dev@example",
                   GIT_CONFIG_NOSYSTEM="1", HOME=self.scratch)
        return subprocess.run(["git", *argv], cwd=self.path, check=True, capture_output=True,
                              text=True, env=env).stdout

    def file(self, relative):
        return os.path.join(self.path, relative)

    def read(self, relative):
        with open(self.file(relative), "rb") as f:
            return f.read()

    def write(self, relative, data):
        path = self.file(relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.islink(path):
            os.unlink(path)
        with open(path, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)

    def load(self, relative):
        return json.loads(self.read(relative))

    def dump(self, relative, value):
        self.write(relative, json.dumps(value, indent=2) + "\n")

    def gate(self, *argv):
        """Runs the gate with a JSON report beside standard output; returns (exit code, stdout,
        stderr, the JSON report or None when none was written)."""
        self.runs += 1
        report = os.path.join(self.scratch, f"gate-{self.runs}.json")
        proc = subprocess.run([self.provgate, "gate", *argv, "--report", f"json={report}"],
                              cwd=self.path, capture_output=True, text=True, timeout=60)
        parsed = None
        if os.path.exists(report):
            with open(report) as f:
                parsed = json.load(f)
        return proc.returncode, proc.stdout, proc.stderr, parsed


# --- The fixture ----------------------------------------------------------------------------

def example(src, relative):
    with open(os.path.join(src, "examples", relative)) as f:
        return json.load(f)


def set_evidence(manifest, source_id, uri, digest):
    for source in manifest["sources"]:
        if source["id"] == source_id:
            source["permission"]["evidence"] = [{"uri": uri, "sha256": digest}]
            return
    raise KeyError(source_id)


def source_of(manifest, source_id):
    return next(s for s in manifest["sources"] if s["id"] == source_id)


PIRATED_BOOKS = None  # The open base's pirated source, filled in by build_fixture.
SOURCE = None  # The source tree.


def build_fixture(repo, src):
    global PIRATED_BOOKS
    open_base = example(src, "lineage/open-base/manifest.json")
    PIRATED_BOOKS = source_of(open_base, "shadow-books")

    # Evidence documents: their content is ours, so the manifests carry their real digests.
    news = b"News archive data licence agreement, signed 2025-01-01.\n"
    for model in ("clean-teacher", "closed-fixed"):
        manifest = example(src, f"lineage/{model}/manifest.json")
        set_evidence(manifest, "licensed-news", "contracts/news.pdf", sha256(news))
        repo.write(f"models/{model}/contracts/news.pdf", news)
        repo.dump(f"models/{model}/manifest.json", manifest)
    repo.dump("models/open-base/manifest.json", open_base)

    # A closed chat model fine-tuned from the closed student: taint would reach it in two steps.
    repo.dump("models/closed-chat/manifest.json", {
        "manifest_version": "1",
        "model": {
            "id": "lab/closed-pro-2-chat",
            "release": {"weights": "closed", "deployment": "commercial", "date": "2026-10-01"},
            "stages": [{"id": "chat-sft", "sources": ["chat-annotations"]}],
            "lineage": [{"relation": "fine-tune", "model": "lab/closed-pro-2",
                         "manifest": "../closed-fixed/manifest.json", "stage": "chat-sft"}],
        },
        "sources": [{
            "id": "chat-annotations", "title": "Dialogues written by the lab's annotators",
            "kind": "first-party", "permission": {"basis": "first-party"},
            "size": {"tokens": 300000000},
            "digest": {"sha256": sha256(b"chat-annotations")},
        }],
    })

    for model, uri in (("licensed-closed", "contracts/forum-2024.pdf"),
                       ("forum-data-deal", "contracts/forum-2025.pdf")):
        manifest = example(src, f"{model}/manifest.json")
        contract = f"Forum data licence agreement for {model}: training, closed weights.\n".encode()
        set_evidence(manifest, "forum-deal", uri, sha256(contract))
        repo.write(f"models/{model}/{uri}", contract)
        repo.dump(f"models/{model}/manifest.json", manifest)

    # The JSON Lines example as a closed model: every source's licence allows closed
    # commercial use; `docs` has no digest (a P9 warning, waived in waivers.yaml).
    code = example(src, "jsonl-sources/manifest.json")
    code["model"]["id"] = "example/code-assist-pro"
    code["model"]["release"] = {"weights": "closed", "deployment": "commercial",
                                "date": "2026-09-01"}
    repo.dump("models/code-assist/manifest.json", code)
    with open(os.path.join(src, "examples", "jsonl-sources", "sources.jsonl"), "rb") as f:
        repo.write("models/code-assist/sources.jsonl", f.read())

    # A manifest that is a symbolic link to a file outside the configured paths.
    chat = example(src, "licensed-closed/manifest.json")
    chat["model"]["id"] = "acme/code-chat-3b"
    chat["model"]["stages"] = [{"id": "pretrain", "sources": ["permissive-code"]},
                               {"id": "sft", "sources": ["acme-annotations"]}]
    chat["sources"] = [s for s in chat["sources"] if s["id"] != "forum-deal"]
    repo.dump("catalog/code-chat.json", chat)
    os.makedirs(repo.file("models/code-chat"))
    os.symlink("../../catalog/code-chat.json", repo.file("models/code-chat/manifest.json"))

    # A vendored upstream outside the configured paths (not gated itself), its sources in a
    # side file, and a closed model distilled from it (the teacher's data is all permitted).
    teacher = example(src, "jsonl-sources/manifest.json")
    teacher["model"]["id"] = "vendor/code-teacher"
    repo.dump("vendor/code-teacher/model.json", teacher)
    with open(os.path.join(src, "examples", "jsonl-sources", "sources.jsonl"), "rb") as f:
        repo.write("vendor/code-teacher/sources.jsonl", f.read())
    repo.dump("models/code-student/manifest.json", {
        "manifest_version": "1",
        "model": {
            "id": "lab/code-student",
            "release": {"weights": "closed", "deployment": "commercial", "date": "2026-10-01"},
            "stages": [{"id": "distill", "sources": ["code-annotations"]}],
            "lineage": [{"relation": "distillation", "model": "vendor/code-teacher",
                         "manifest": "../../vendor/code-teacher/model.json", "stage": "distill"}],
        },
        "sources": [{
            "id": "code-annotations", "title": "Code reviews written by the lab's engineers",
            "kind": "first-party", "permission": {"basis": "first-party"},
            "size": {"tokens": 20000000}, "digest": {"sha256": sha256(b"code-annotations")},
        }],
    })

    shutil.copytree(os.path.join(src, "rules", "default"), repo.file("policy"))
    repo.write("waivers.yaml", WAIVERS)
    repo.write(".provgate.yaml", CONFIG)
    repo.write("README.md", "# Models of the lab\n")


WAIVERS = """\
version: 1
waivers:
  - rule: P9
    subject: docs
    reason: The documentation export gets its digest with the next nightly run.
    approver: data-governance@acme.example
    created: 2026-10-01
    expires: 2026-12-31
"""

CONFIG = f"""\
manifests:
  - models/**/manifest.json
policy: policy/
waivers: waivers.yaml
verify_files: true
fail_on: error
date: {CHECK_DATE}
"""

MANIFESTS = [
    "models/clean-teacher/manifest.json",
    "models/closed-chat/manifest.json",
    "models/closed-fixed/manifest.json",
    "models/code-assist/manifest.json",
    "models/code-chat/manifest.json",
    "models/code-student/manifest.json",
    "models/forum-data-deal/manifest.json",
    "models/licensed-closed/manifest.json",
    "models/open-base/manifest.json",
]


# --- What a run must show -------------------------------------------------------------------

def entry(report, path):
    for m in report.get("manifests", []):
        if m["path"] == path:
            return m
    return None


def failing_findings(manifest_entry):
    report = manifest_entry.get("report") or {}
    return [f for f in report.get("findings", [])
            if f["severity"] == "error" and not f.get("waived")]


def verify_failure(what, result, expect_exit, failing=(), ungated=(), selected=(),
                   stderr_has=(), base="main"):
    """failing: (manifest, rule, reason, subject or None) that must be an unwaived error of a
    selected manifest whose exit code is 1, named with its reason on standard output.
    ungated: (path, status) in the ungated list. selected: (manifest, changed path) that must
    be among the reasons it was selected."""
    rc, out, err, report = result
    check(rc == expect_exit, f"{what}: exit {rc}, expected {expect_exit}\n{out}\n{err}")
    if expect_exit == 2:
        # Invalid input: nothing is written (docs/cli.md), the problem is on standard error.
        check(report is None, f"{what}: no report file on exit 2")
        for text in stderr_has:
            check(text in err, f"{what}: stderr names {text!r}: {err}")
        return
    if not check(report is not None, f"{what}: a JSON report"):
        return
    check(report["gate"]["exit_code"] == expect_exit,
          f"{what}: gate.exit_code {report['gate']['exit_code']}")
    check(report["gate"]["base"] == base, f"{what}: gate.base")
    for path, rule, reason, subject in failing:
        m = entry(report, path)
        if not check(m is not None, f"{what}: {path} is checked"):
            continue
        check(m["exit_code"] == 1, f"{what}: {path} exit_code {m['exit_code']}")
        check(any(f["rule"] == rule and f["reason"] == reason
                  and (subject is None or f["subject"] == subject)
                  for f in failing_findings(m)),
              f"{what}: {path} fails {rule} {reason} {subject or ''}: "
              f"{[(f['rule'], f['reason'], f['subject']) for f in failing_findings(m)]}")
        # The text on standard output names the manifest and the reason.
        check(path in out, f"{what}: stdout names {path}")
        check(reason in out, f"{what}: stdout names the reason {reason}")
    for path, status in ungated:
        u = [g for g in report.get("ungated", []) if g["path"] == path]
        if check(len(u) == 1, f"{what}: {path} in ungated: {report.get('ungated')}"):
            check(u[0]["status"] == status, f"{what}: {path} is {u[0]['status']}, not {status}")
            check(u[0]["fails"] == (status in ("ungated", "removed")),
                  f"{what}: {path} fails is {u[0]['fails']}")
        check(path in out and status in out, f"{what}: stdout names {path} as {status}")
    for path, because in selected:
        m = entry(report, path)
        if check(m is not None, f"{what}: {path} is selected"):
            check(because in m["selected_because"],
                  f"{what}: {path} selected because of {because}: {m['selected_because']}")
    for text in stderr_has:
        check(text in err + out, f"{what}: output names {text!r}")


def pull_request(repo, name, change, verify, uncommitted=True):
    """Branches from main, makes the change, and runs the gate on the working tree (unless
    `uncommitted` is false), then on the commit. The working tree differs from a commit in how
    git reports new files (untracked), deletions and renames; a modified file is the same
    change either way, so some cases of that kind run on the commit only, to keep the test
    fast."""
    repo.git("checkout", "-q", "-b", f"pr/{name}", "main")
    change(repo)
    if uncommitted:
        verify(f"{name} (uncommitted)", repo.gate("--base", "main"))
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", name)
    verify(f"{name} (committed)", repo.gate("--base", "main"))
    repo.git("checkout", "-q", "-f", "main")
    repo.git("clean", "-q", "-f", "-d", "-x")


# --- The pull requests ----------------------------------------------------------------------

def add_jsonl_source(repo, source, manifest="models/code-assist/manifest.json",
                     side="models/code-assist/sources.jsonl"):
    repo.write(side, repo.read(side).decode() + json.dumps(source) + "\n")
    m = repo.load(manifest)
    m["model"]["stages"][0]["sources"].append(source["id"])
    repo.dump(manifest, m)


UNPERMITTED_SCRAPE = {"id": "scraped-forum", "title": "Forum posts scraped without a licence",
                      "kind": "social", "uri": "https://forum.example/",
                      "permission": {"basis": "none"}, "size": {"tokens": 5000000},
                      "digest": {"sha256": sha256(b"scraped-forum")}}


def add_pirated(repo, manifest):
    m = repo.load(manifest)
    m["sources"].append(PIRATED_BOOKS)
    m["model"]["stages"][0]["sources"].append(PIRATED_BOOKS["id"])
    repo.dump(manifest, m)


def run_cases(repo):
    CODE = "models/code-assist/manifest.json"
    FORUM = "models/forum-data-deal/manifest.json"
    TEACHER = "models/clean-teacher/manifest.json"
    STUDENT = "models/closed-fixed/manifest.json"
    CHAT = "models/closed-chat/manifest.json"
    OPEN = "models/open-base/manifest.json"
    LICENSED = "models/licensed-closed/manifest.json"
    LINKED = "models/code-chat/manifest.json"

    # 1. A source without permission added to a closed model's JSON Lines side file (and named
    # by a stage: a source no stage uses is only a P2 warning). Then the side file alone: an
    # existing source's permission rewritten to none, the manifest untouched.
    pull_request(repo, "jsonl-side-file",
                 lambda r: add_jsonl_source(r, UNPERMITTED_SCRAPE),
                 lambda what, res: verify_failure(
                     what, res, 1, failing=[(CODE, "P1", "no-basis", "scraped-forum")],
                     selected=[(CODE, "models/code-assist/sources.jsonl")]))

    def replace_jsonl_line(r):
        side = "models/code-assist/sources.jsonl"
        lines = r.read(side).decode().splitlines()
        record = json.loads(lines[0])
        record["permission"] = {"basis": "none"}
        record["license"] = "NOASSERTION"
        lines[0] = json.dumps(record)
        r.write(side, "\n".join(lines) + "\n")
    pull_request(repo, "jsonl-side-file-only", replace_jsonl_line,
                 lambda what, res: verify_failure(
                     what, res, 1, failing=[(CODE, "P1", "no-basis", "repo-0001")],
                     selected=[(CODE, "models/code-assist/sources.jsonl")]),
                 uncommitted=False)

    # 2. Evidence replaced: the contract document no longer has the digest the manifest states
    # (verify_files: true). The file is a P2 integrity error, and the contract counts as
    # without evidence (P1 contract-no-evidence), docs/cli.md --verify-files.
    pull_request(repo, "evidence-replaced",
                 lambda r: r.write("models/forum-data-deal/contracts/forum-2025.pdf",
                                   b"A different agreement: evaluation only.\n"),
                 lambda what, res: verify_failure(
                     what, res, 1,
                     failing=[(FORUM, "P2", "file-not-verified", None),
                              (FORUM, "P1", "contract-no-evidence", "forum-deal")],
                     selected=[(FORUM, "models/forum-data-deal/contracts/forum-2025.pdf")]),
                 uncommitted=False)
    pull_request(repo, "evidence-deleted",
                 lambda r: os.unlink(r.file("models/licensed-closed/contracts/forum-2024.pdf")),
                 lambda what, res: verify_failure(
                     what, res, 1, failing=[(LICENSED, "P1", "contract-no-evidence", "forum-deal")]))

    # 3. An upstream manifest tainted: a pirated source added to the open teacher. The teacher
    # still passes (open weights: P1 is info), the closed student distilled from it fails P3,
    # and so does the chat model fine-tuned from the student (taint follows the lineage).
    def taint_teacher(r):
        add_pirated(r, TEACHER)

    def verify_taint(what, res):
        verify_failure(what, res, 1,
                       failing=[(STUDENT, "P3", "tainted-upstream", "lab/clean-teacher"),
                                (CHAT, "P3", "tainted-upstream", "lab/closed-pro-2")],
                       selected=[(STUDENT, TEACHER), (CHAT, TEACHER), (TEACHER, TEACHER)])
        report = res[3]
        if report:
            teacher = entry(report, TEACHER)
            check(teacher is not None and teacher["exit_code"] == 0,
                  f"{what}: the open teacher itself passes")
            # Nothing else depends on the teacher: only the three are checked.
            check(report["gate"]["checked"] == 3,
                  f"{what}: gate.checked {report['gate']['checked']}")
            check(sorted(m["path"] for m in report["manifests"]) == sorted([TEACHER, STUDENT, CHAT]),
                  f"{what}: the selected manifests {[m['path'] for m in report['manifests']]}")
            check(report["gate"]["gated"] == len(MANIFESTS),
                  f"{what}: gate.gated {report['gate']['gated']}")
    pull_request(repo, "upstream-tainted", taint_teacher, verify_taint, uncommitted=False)

    # The same pull request in the working tree, with every report format from one run.
    repo.git("checkout", "-q", "-b", "pr/upstream-tainted-formats", "main")
    taint_teacher(repo)
    verify_formats(repo)
    repo.git("checkout", "-q", "-f", "main")
    repo.git("clean", "-q", "-f", "-d", "-x")

    # An upstream outside the configured paths: the gate does not check it, so the models
    # downstream must be selected by its changes. Its side file gains a source without
    # permission (the teacher is open, the closed student distilled from it fails P3)...
    CODE_STUDENT = "models/code-student/manifest.json"
    pull_request(repo, "vendored-upstream-side-file",
                 lambda r: add_jsonl_source(r, UNPERMITTED_SCRAPE,
                                            manifest="vendor/code-teacher/model.json",
                                            side="vendor/code-teacher/sources.jsonl"),
                 lambda what, res: verify_failure(
                     what, res, 1,
                     failing=[(CODE_STUDENT, "P3", "tainted-upstream", "vendor/code-teacher")],
                     selected=[(CODE_STUDENT, "vendor/code-teacher/sources.jsonl")]),
                 uncommitted=False)
    # ...or is broken, so that the upstream cannot be read: the student cannot establish its
    # upstream (P2 invalid-upstream-manifest). The check lists an upstream's side file only
    # when it could read the upstream, so it is the upstream's directory that selects.
    pull_request(repo, "vendored-upstream-side-file-broken",
                 lambda r: r.write("vendor/code-teacher/sources.jsonl",
                                   r.read("vendor/code-teacher/sources.jsonl") + b"{\"id\":\n"),
                 lambda what, res: verify_failure(
                     what, res, 1,
                     failing=[(CODE_STUDENT, "P2", "invalid-upstream-manifest", "vendor/code-teacher")],
                     selected=[(CODE_STUDENT, "vendor/code-teacher/sources.jsonl")]))

    # A new closed model distilled from the open base: the distillation loophole (P3).
    def add_distilled(r):
        m = example(SOURCE, "lineage/closed-distilled/manifest.json")
        r.dump("models/closed-distilled/manifest.json", m)
    pull_request(repo, "new-distilled-model", add_distilled,
                 lambda what, res: verify_failure(
                     what, res, 1,
                     failing=[("models/closed-distilled/manifest.json", "P3", "tainted-upstream",
                               "lab/open-base")]))

    # 4. An upstream manifest deleted: the student's lineage manifest is gone, P2
    # missing-lineage-manifest; the teacher itself is removed (no gated manifest declares it).
    pull_request(repo, "upstream-deleted",
                 lambda r: os.unlink(r.file(TEACHER)),
                 lambda what, res: verify_failure(
                     what, res, 1,
                     failing=[(STUDENT, "P2", "missing-lineage-manifest", "lab/clean-teacher")],
                     ungated=[(TEACHER, "removed")], selected=[(STUDENT, TEACHER)]))
    # ...and moved elsewhere within the configured paths: the teacher is still gated (moved,
    # which passes), so only the student's broken lineage fails the gate.
    def move_teacher(r):
        os.makedirs(r.file("models/teachers"))
        os.rename(r.file("models/clean-teacher"), r.file("models/teachers/clean"))
    pull_request(repo, "upstream-moved", move_teacher,
                 lambda what, res: verify_failure(
                     what, res, 1,
                     failing=[(STUDENT, "P2", "missing-lineage-manifest", "lab/clean-teacher"),
                              (CHAT, "P3", "tainted-upstream", "lab/closed-pro-2")],
                     ungated=[(TEACHER, "moved")], selected=[(STUDENT, TEACHER)]))

    # 5. A manifest moved out of the configured paths, after a pirated source was added to it:
    # the base gated it, and nothing gated declares its model: removed, which fails.
    def move_out(r):
        add_pirated(r, FORUM)
        os.makedirs(r.file("attic"))
        os.rename(r.file("models/forum-data-deal"), r.file("attic/forum-data-deal"))
    pull_request(repo, "manifest-moved-out", move_out,
                 lambda what, res: verify_failure(what, res, 1, ungated=[(FORUM, "removed")]))

    # Moved out, with another gated manifest renamed to declare its model: a manifest the base
    # gated as another model's is no place the model moved to, so it is still removed.
    def move_out_and_take_over(r):
        move_out(r)
        m = r.load(LICENSED)
        m["model"]["id"] = "acme/forum-chat-8b"
        r.dump(LICENSED, m)
    pull_request(repo, "manifest-moved-out-taken-over", move_out_and_take_over,
                 lambda what, res: verify_failure(what, res, 1, ungated=[(FORUM, "removed")]),
                 uncommitted=False)

    def rename_in_place(r):
        add_pirated(r, FORUM)
        os.rename(r.file(FORUM), r.file("models/forum-data-deal/manifest.json.orig"))
    pull_request(repo, "manifest-renamed", rename_in_place,
                 lambda what, res: verify_failure(what, res, 1, ungated=[(FORUM, "removed")]))

    # The file stays, but git no longer tracks it and .gitignore hides it: the working tree
    # does not gate it, the base did: ungated.
    def ignore_manifest(r):
        add_pirated(r, FORUM)
        r.git("rm", "-q", "--cached", FORUM)
        r.write(".gitignore", FORUM + "\n")
    pull_request(repo, "manifest-ignored", ignore_manifest,
                 lambda what, res: verify_failure(what, res, 1, ungated=[(FORUM, "ungated")]))

    # 6. The configuration narrowed to exclude a manifest that would fail if checked.
    def narrow(r):
        add_jsonl_source(r, UNPERMITTED_SCRAPE)
        r.write(".provgate.yaml", CONFIG.replace(
            "  - models/**/manifest.json\n",
            "".join(f"  - {m}\n" for m in MANIFESTS if m != CODE)))
    pull_request(repo, "config-narrowed", narrow,
                 lambda what, res: verify_failure(what, res, 1, ungated=[(CODE, "ungated")]),
                 uncommitted=False)

    # 7. Waivers. A waiver without an approver is invalid input: docs/cli.md ("Waivers") makes
    # every field required and such a file invalid input, exit 2, at its line and column, and
    # the gate's exit code is the worst over the run (2: "a manifest or the configuration is
    # invalid"). An invalid waivers file must not be read as "no waivers" either.
    def waive_without_approver(r):
        add_jsonl_source(r, UNPERMITTED_SCRAPE)
        r.write("waivers.yaml", WAIVERS + """\
  - rule: P1
    subject: scraped-forum
    reason: Licence being negotiated.
    created: 2026-10-20
    expires: 2026-12-31
""")
    pull_request(repo, "waiver-without-approver", waive_without_approver,
                 lambda what, res: verify_failure(what, res, 2,
                                                  stderr_has=["waivers.yaml:9:", "approver"]))

    # A waiver that expired before the date of the check waives nothing and is itself an error
    # (rule waiver, reason waiver-expired): exit 1, with the P1 error it meant to hide.
    def waive_expired(r):
        add_jsonl_source(r, UNPERMITTED_SCRAPE)
        r.write("waivers.yaml", WAIVERS + """\
  - rule: P1
    subject: scraped-forum
    reason: Licence being negotiated.
    approver: jane.doe@acme.example
    created: 2026-01-10
    expires: 2026-06-30
""")
    pull_request(repo, "waiver-expired", waive_expired,
                 lambda what, res: verify_failure(
                     what, res, 1,
                     failing=[(CODE, "P1", "no-basis", "scraped-forum"),
                              (CODE, "waiver", "waiver-expired", None)],
                     selected=[(CODE, "waivers.yaml")]),
                 uncommitted=False)

    # A waiver dated ahead of the check is not yet in force: the finding fails as if the file
    # did not hold it.
    def waive_ahead(r):
        add_jsonl_source(r, UNPERMITTED_SCRAPE)
        r.write("waivers.yaml", WAIVERS + """\
  - rule: P1
    subject: scraped-forum
    reason: Licence signed next month.
    approver: jane.doe@acme.example
    created: 2026-11-01
    expires: 2027-06-30
""")
    pull_request(repo, "waiver-ahead", waive_ahead,
                 lambda what, res: verify_failure(
                     what, res, 1, failing=[(CODE, "P1", "no-basis", "scraped-forum")]),
                 uncommitted=False)

    # P2 integrity errors cannot be waived: a waiver naming P2 is invalid input (exit 2).
    def waive_p2(r):
        r.write("models/forum-data-deal/contracts/forum-2025.pdf", b"Another document.\n")
        r.write("waivers.yaml", WAIVERS + """\
  - rule: P2
    subject: contracts/forum-2025.pdf
    reason: The scan is being redone.
    approver: jane.doe@acme.example
    created: 2026-10-20
    expires: 2026-12-31
""")
    pull_request(repo, "waiver-p2", waive_p2,
                 lambda what, res: verify_failure(what, res, 2, stderr_has=["waivers.yaml:9:"]),
                 uncommitted=False)

    # 8. The rule pack edited. A relaxed severity cannot make a compliant main fail, so what
    # is tested is the other direction: an edit that makes untouched manifests fail proves
    # that editing the pack re-checks every manifest (had the gate not re-checked them, the
    # repository would carry failing manifests that no pull request ever showed).
    # A data file: MIT classed as non-commercial (entries match in order) makes the closed
    # JSON Lines model, whose code is MIT, fail P1 non-commercial.
    def classify_mit_nc(r):
        text = r.read("policy/data/licenses.yaml").decode()
        anchor = "licenses:\n"
        r.write("policy/data/licenses.yaml",
                text.replace(anchor, anchor + "  - { id: MIT, class: non-commercial }\n", 1))

    def verify_pack(what, res, failing, changed):
        verify_failure(what, res, 1, failing=failing, selected=[(failing[0][0], changed)])
        report = res[3]
        if report:
            check(report["gate"]["checked"] == len(MANIFESTS),
                  f"{what}: every manifest is checked: {report['gate']['checked']}")
    pull_request(repo, "pack-data-edited", classify_mit_nc,
                 lambda what, res: verify_pack(what, res,
                                               [(CODE, "P1", "non-commercial", "repo-0001")],
                                               "policy/data/licenses.yaml"),
                 uncommitted=False)

    # A rule file: P1's open-weight branch turned from info into an error makes the open base
    # (pirated books, a crawl without permission) fail.
    def p1_strict(r):
        text = r.read("policy/rules/P1.yaml").decode()
        branch = "condition: \"!source.permitted && model.effective_weights == 'open'\"\n      severity: info"
        check(branch in text, "the pack's P1 has the open-weight branch this test edits")
        r.write("policy/rules/P1.yaml", text.replace(branch, branch.replace("info", "error")))
    pull_request(repo, "pack-rule-edited", p1_strict,
                 lambda what, res: verify_pack(what, res,
                                               [(OPEN, "P1", "pirated", "shadow-books")],
                                               "policy/rules/P1.yaml"))

    # 9. A symlinked manifest changed through its target, which lies outside the patterns.
    pull_request(repo, "symlink-target", lambda r: add_pirated(r, "catalog/code-chat.json"),
                 lambda what, res: verify_failure(
                     what, res, 1, failing=[(LINKED, "P1", "pirated", "shadow-books")],
                     selected=[(LINKED, "catalog/code-chat.json")]))

    # --- Honest pull requests pass ---
    def verify_pass(what, res, checked, selected=()):
        rc, out, err, report = res
        check(rc == 0, f"{what}: exit {rc}, expected 0\n{out}\n{err}")
        if check(report is not None, f"{what}: a JSON report"):
            check(report["gate"]["exit_code"] == 0, f"{what}: gate.exit_code")
            check(report["gate"]["checked"] == checked,
                  f"{what}: gate.checked {report['gate']['checked']}, expected {checked}")
            check(not [u for u in report.get("ungated", []) if u["fails"]],
                  f"{what}: nothing ungated fails: {report.get('ungated')}")
            for path, because in selected:
                m = entry(report, path)
                if check(m is not None, f"{what}: {path} is checked"):
                    check(m["exit_code"] == 0, f"{what}: {path} passes")
                    check(because in m["selected_because"],
                          f"{what}: {path} selected because of {because}")

    pull_request(repo, "readme",
                 lambda r: r.write("README.md", "# Models of the lab\n\nSee models/.\n"),
                 lambda what, res: verify_pass(what, res, 0),
                 uncommitted=False)
    pull_request(repo, "compliant-source",
                 lambda r: add_jsonl_source(r, {
                     "id": "repo-0005", "title": "Repository 5", "kind": "code",
                     "uri": "https://git.example/repo-5", "license": "Apache-2.0",
                     "permission": {"basis": "license"}, "size": {"tokens": 5000000},
                     "digest": {"sha256": sha256(b"repo-0005")}}),
                 lambda what, res: verify_pass(
                     what, res, 1, selected=[(CODE, "models/code-assist/sources.jsonl")]),
                 uncommitted=False)

    # An honest move within the configured paths: the model is gated at its new path.
    def move_within(r):
        os.rename(r.file("models/licensed-closed"), r.file("models/atlas"))

    def verify_moved(what, res):
        verify_pass(what, res, 1, selected=[("models/atlas/manifest.json",
                                              "models/atlas/manifest.json")])
        report = res[3]
        if report:
            check([(u["path"], u["status"]) for u in report.get("ungated", [])]
                  == [(LICENSED, "moved")], f"{what}: the old path is moved")
    pull_request(repo, "moved-within", move_within, verify_moved)

    # Two steps: an earlier change marks the manifests export-ignore in .gitattributes (no
    # manifest changes, so it passes), and a later one deletes a manifest. The base tree must
    # still hold the manifest (git archive would leave it out), so its removal is reported.
    repo.git("checkout", "-q", "-b", "pr/export-ignore", "main")
    repo.write(".gitattributes", "models/** export-ignore\nmodels/** export-subst\n")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "attributes")
    attributes_base = repo.git("rev-parse", "HEAD").strip()
    repo.git("rm", "-q", FORUM)
    verify_failure("export-ignore then delete (uncommitted)",
                   repo.gate("--base", attributes_base), 1, ungated=[(FORUM, "removed")],
                   base=attributes_base)
    repo.git("commit", "-q", "-m", "delete")
    verify_failure("export-ignore then delete (committed)",
                   repo.gate("--base", attributes_base), 1, ungated=[(FORUM, "removed")],
                   base=attributes_base)
    repo.git("checkout", "-q", "-f", "main")
    repo.git("clean", "-q", "-f", "-d", "-x")


def verify_formats(repo):
    """--format json on standard output and SARIF, JUnit and Markdown files from one run."""
    out_dir = os.path.join(repo.scratch, "formats")
    os.makedirs(out_dir)
    sarif, junit, markdown = (os.path.join(out_dir, n) for n in ("gate.sarif", "gate.xml", "gate.md"))
    proc = subprocess.run([repo.provgate, "gate", "--base", "main", "--format", "json",
                           "--report", f"sarif={sarif}", "--report", f"junit={junit}",
                           "--report", f"markdown={markdown}"],
                          cwd=repo.path, capture_output=True, text=True, timeout=60)
    what = "formats"
    check(proc.returncode == 1, f"{what}: exit {proc.returncode}\n{proc.stderr}")
    try:
        report = json.loads(proc.stdout)
    except ValueError as e:
        check(False, f"{what}: standard output is JSON: {e}")
        return
    student = entry(report, "models/closed-fixed/manifest.json")
    check(report["gate"]["checked"] == 3, f"{what}: gate.checked")
    check(student is not None
          and student["selected_because"] == ["models/clean-teacher/manifest.json"],
          f"{what}: the student is selected because of the teacher's manifest: "
          f"{student and student['selected_because']}")
    check(student is not None and "models/clean-teacher/manifest.json" in student["dependencies"]
          and "models/closed-fixed/" in student["dependencies"]
          and "policy/" in student["dependencies"] and "waivers.yaml" in student["dependencies"],
          f"{what}: the student's dependencies: {student and student['dependencies']}")

    with open(sarif) as f:
        log = json.load(f)
    check(log.get("version") == "2.1.0" and len(log.get("runs", [])) == 1,
          f"{what}: SARIF 2.1.0 with one run")
    results = log["runs"][0].get("results", []) if log.get("runs") else []
    check(any(r.get("ruleId") == "P3" and r.get("level") == "error"
              and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
              == "models/closed-fixed/manifest.json" for r in results),
          f"{what}: SARIF has the student's P3 error in its file")
    rule_ids = {r["id"] for r in log["runs"][0]["tool"]["driver"].get("rules", [])}
    check({r.get("ruleId") for r in results} <= rule_ids | {"provgate/gate"},
          f"{what}: every SARIF result names a declared rule")

    tree = ET.parse(junit)
    root = tree.getroot()
    check(root.tag == "testsuites", f"{what}: JUnit root is testsuites")
    failures = [tc for tc in root.iter("testcase") if tc.find("failure") is not None]
    check(any("closed-fixed" in (tc.get("file", "") + tc.get("classname", "") + tc.get("name", ""))
              for tc in failures), f"{what}: JUnit fails the student")
    check(not any("clean-teacher/manifest.json" == tc.get("file") for tc in failures),
          f"{what}: JUnit does not fail the open teacher")

    with open(markdown) as f:
        md = f.read()
    check(md.startswith("<!-- provgate-gate -->"), f"{what}: Markdown starts with the marker")
    check("closed-fixed/manifest.json" in md and "P3" in md, f"{what}: Markdown names the P3")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--provgate", required=True)
    parser.add_argument("--source", required=True)
    args = parser.parse_args()
    if shutil.which("git") is None:
        print("skipped: git is not installed")
        return 77
    global SOURCE
    provgate = os.path.abspath(args.provgate)
    src = SOURCE = os.path.abspath(args.source)
    with tempfile.TemporaryDirectory(prefix="provgate-gate-bypass-") as tmp:
        repo = Repo(os.path.join(tmp, "repo"), provgate, os.path.join(tmp, "scratch"))
        os.makedirs(repo.path)
        os.makedirs(repo.scratch)
        repo.git("init", "-q", "-b", "main")
        build_fixture(repo, src)
        repo.git("add", "-A")
        repo.git("commit", "-q", "-m", "models")

        # Main passes: every manifest checked without a base, and nothing changed with one.
        rc, out, err, report = repo.gate()
        check(rc == 0, f"main: exit {rc}\n{out}\n{err}")
        if check(report is not None, "main: a JSON report"):
            check(sorted(m["path"] for m in report["manifests"]) == MANIFESTS,
                  f"main: the gated manifests {[m['path'] for m in report['manifests']]}")
            check(all(m["exit_code"] == 0 for m in report["manifests"]),
                  f"main: every manifest passes "
                  f"{[(m['path'], m['exit_code']) for m in report['manifests']]}")
            check(report["gate"]["base"] is None, "main: no base")
            code = entry(report, "models/code-assist/manifest.json")
            check(code is not None and any(f.get("waived") for f in code["report"]["findings"]),
                  "main: the waiver accepts the P9 warning of code-assist")
        rc, out, err, report = repo.gate("--base", "main")
        check(rc == 0 and report is not None and report["gate"]["checked"] == 0,
              f"main against itself: exit {rc}, nothing checked\n{err}")

        run_cases(repo)
    if FAILURES:
        print(f"{len(FAILURES)} failure(s)")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
