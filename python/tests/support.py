"""What the Python tests share: where the CLI and the repository are, and running the CLI."""

import os
import subprocess
import sys
import unittest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLI = os.path.abspath(os.environ.get("PROVGATE_CLI", os.path.join(REPO, "build", "cli", "provgate")))
EXAMPLES = os.path.join(REPO, "examples")
GOLDEN = os.path.join(REPO, "tests", "golden", "cases")

import provgate  # noqa: E402  (PYTHONPATH names the built package)


def run_cli(args, cwd=None):
    """(exit code, stdout, stderr) of the provgate command."""
    done = subprocess.run([CLI] + list(args), cwd=cwd, capture_output=True, env=dict(
        os.environ, NO_COLOR="1"))
    return done.returncode, done.stdout.decode("utf-8", "replace"), \
        done.stderr.decode("utf-8", "replace")


def example(*parts):
    return os.path.join(EXAMPLES, *parts)


def main():
    unittest.main(verbosity=2)
