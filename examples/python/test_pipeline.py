"""Runs the pipeline example on its two plans. The expectations come from the policy
(docs/policy.md), not from the program: a closed model trained on pirated books may not be
released (P1, reason `pirated`), so the job stops with exit code 1 before training; without
the books, every source is permitted (a permissive licence, CC-BY with attribution, the
lab's own annotations) and training starts."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def run(plan, report):
    done = subprocess.run([sys.executable, os.path.join(HERE, "pipeline.py"),
                           os.path.join(HERE, plan), report], capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr


class PipelineExampleTest(unittest.TestCase):
    def test_pirated_books_stop_the_job(self):
        with tempfile.TemporaryDirectory() as directory:
            report_path = os.path.join(directory, "report.json")
            code, out, err = run("closed-model-plan.json", report_path)
            self.assertEqual(code, 1, out + err)
            self.assertIn("training does not start", out)
            with open(report_path, encoding="utf-8") as handle:
                report = json.load(handle)
        errors = [(f["rule"], f["subject"], f.get("reason")) for f in report["findings"]
                  if f["severity"] == "error"]
        self.assertEqual(errors, [("P1", "novels", "pirated")])

    def test_permitted_sources_let_training_start(self):
        with tempfile.TemporaryDirectory() as directory:
            report_path = os.path.join(directory, "report.json")
            code, out, err = run("compliant-plan.json", report_path)
            self.assertEqual(code, 0, out + err)
            self.assertIn("training starts on 11 examples", out)
            with open(report_path, encoding="utf-8") as handle:
                report = json.load(handle)
        self.assertEqual(report["verdict"], "compliant")
        # CC-BY-4.0 and MIT ask for attribution: obligations of the release.
        self.assertEqual({(o["kind"], o["subject"]) for o in report["obligations"]},
                         {("attribution", "encyclopedia"), ("attribution", "code")})

    def test_invalid_provenance_is_exit_code_2(self):
        with tempfile.TemporaryDirectory() as directory:
            with open(os.path.join(HERE, "compliant-plan.json"), encoding="utf-8") as handle:
                plan = json.load(handle)
            plan["datasets"][0]["provenance"]["kind"] = "telepathy"
            path = os.path.join(directory, "plan.json")
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(plan, handle)
            code, out, err = run(path, os.path.join(directory, "r.json"))
        self.assertEqual(code, 2)
        self.assertIn("/sources/0/kind", err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
