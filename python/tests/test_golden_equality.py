"""provgate.check on every golden case's `check` run, against the CLI on the same input:
Report.to_json() is byte for byte what `provgate check --format json` writes, the exit code
is the CLI's, and invalid input raises InvalidInput (operational failures OperationalError)
whose diagnostics are the CLI's lines."""

import glob
import json
import os
import unittest

import support
from support import provgate, run_cli

# The CLI options that have a keyword of provgate.check, and their keyword.
KEYWORDS = {"--date": "date", "--profile": "profile", "--policy": "policy",
            "--waivers": "waivers", "--warn-expiring": "warn_expiring",
            "--fail-on": "fail_on"}
# Runs with options that belong to the CLI alone (baselines, extra reports, colours, signing)
# are not compared.
CLI_ONLY = {"--baseline", "--new-only", "--report", "--colour", "--color", "--ledger",
            "--bundle", "--sign", "--group", "--decisions"}


def python_call(args):
    """The manifest and keyword arguments of provgate.check for a CLI `check` run, or None
    when the run uses an option of the CLI alone."""
    manifest = None
    kwargs = {}
    params = {}
    trust = []
    rest = list(args[1:])
    i = 0
    while i < len(rest):
        arg = rest[i]
        name, _, inline = arg.partition("=")
        if name in CLI_ONLY:
            return None
        if not arg.startswith("--"):
            manifest = arg
            i += 1
            continue
        if name == "--verify-files":
            kwargs["verify_files"] = True
            i += 1
            continue
        if not inline and i + 1 >= len(rest):
            return None  # A usage error of the command line itself.
        value = inline if inline else rest[i + 1]
        i += 1 if inline else 2
        if name in ("--format", "--output"):
            if name == "--format" and value != "json":
                return None
            continue
        if name == "--param":
            key, _, text = value.partition("=")
            params[key] = text
        elif name == "--trust":
            trust.append(value)
        elif name == "--warn-expiring":
            kwargs["warn_expiring"] = int(value)
        elif name in KEYWORDS:
            kwargs[KEYWORDS[name]] = value
        else:
            raise AssertionError("option %s has no mapping in this test" % name)
    if manifest is None:
        return None  # The CLI's usage error: no MANIFEST argument.
    if params:
        kwargs["params"] = params
    if trust:
        kwargs["trust"] = trust
    return manifest, kwargs


class GoldenEqualityTest(unittest.TestCase):
    def test_every_golden_check_run(self):
        compared = {0: 0, 1: 0, 2: 0, 3: 0}
        for case_file in sorted(glob.glob(os.path.join(support.GOLDEN, "*", "case.json"))):
            case_dir = os.path.dirname(case_file)
            with open(case_file, encoding="utf-8") as handle:
                case = json.load(handle)
            for run in case["runs"]:
                args = run["args"]
                if not args or args[0] != "check":
                    continue
                call = python_call(args)
                if call is None or ("--output" in args and run["exit_code"] == 3):
                    continue
                cli_args = [a for a in args]
                # The CLI writes the JSON report to standard output here.
                if "--output" in cli_args:
                    at = cli_args.index("--output")
                    del cli_args[at:at + 2]
                if "--format" not in cli_args:
                    cli_args += ["--format", "json"]
                manifest, kwargs = call
                with self.subTest(case=os.path.basename(case_dir), run=run["name"]):
                    code, out, err = run_cli(cli_args, cwd=case_dir)
                    self.assertEqual(code, run["exit_code"], err)
                    previous = os.getcwd()
                    os.chdir(case_dir)
                    try:
                        if code in (0, 1):
                            report = provgate.check(manifest, **kwargs)
                            self.assertEqual(report.to_json(), out)
                            self.assertEqual(report.exit_code, code)
                            self.assertEqual(report.verdict,
                                             "compliant" if json.loads(out)["verdict"]
                                             == "compliant" else "non-compliant")
                        else:
                            expected = provgate.InvalidInput if code == 2 \
                                else provgate.OperationalError
                            with self.assertRaises(expected) as caught:
                                provgate.check(manifest, **kwargs)
                            self.assertEqual(caught.exception.exit_code, code)
                            # A command-line flag the CLI refused names the flag, where
                            # Python names the keyword: only the engine's lines compare.
                            if "(see provgate " not in err:
                                self.assertEqual(caught.exception.diagnostics,
                                                 err.splitlines())
                    finally:
                        os.chdir(previous)
                    compared[code] += 1
        # Every kind of outcome was compared, on most of the golden cases.
        self.assertGreaterEqual(compared[0], 12, compared)
        self.assertGreaterEqual(compared[1], 24, compared)
        self.assertGreaterEqual(compared[2], 25, compared)
        self.assertGreaterEqual(compared[3], 1, compared)


if __name__ == "__main__":
    support.main()
