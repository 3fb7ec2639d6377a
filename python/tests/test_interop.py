"""provgate.interop: importing cards into a manifest and checking it in one step, and
exporting a manifest with its report; the same documents as `provgate import` and
`provgate export` write, and the same errors."""

import json
import os
import shutil
import tempfile
import unittest

import support
from support import provgate, run_cli

CARDS = os.path.join(support.EXAMPLES, "import", "cards")
MODEL_CARD = os.path.join(CARDS, "zephyr-7b-beta", "README.md")
DATASET_CARDS = [os.path.join(CARDS, "HuggingFaceH4--ultrachat_200k", "README.md"),
                 os.path.join(CARDS, "ultrafeedback_binarized", "README.md")]


class InteropTest(unittest.TestCase):
    def test_import_then_check_in_one_step(self):
        imported = provgate.interop.import_manifest(
            "hf-card", MODEL_CARD, *DATASET_CARDS, model="lab/zephyr-7b-beta", weights="open")
        directory = tempfile.mkdtemp()
        try:
            output = os.path.join(directory, "manifest.json")
            code, _, err = run_cli(["import", "hf-card", MODEL_CARD] + DATASET_CARDS +
                                   ["--model", "lab/zephyr-7b-beta", "--weights", "open",
                                    "--output", output])
            self.assertEqual(code, 0, err)
            with open(output, encoding="utf-8") as handle:
                self.assertEqual(imported.manifest_json, handle.read())
            # What the CLI lists as not mapped, field by field.
            listed = [line for line in err.splitlines() if "not mapped" in line]
            self.assertEqual(len(listed), len(imported.unmapped))
            report = provgate.check(imported.manifest, base_dir=directory, date="2026-10-01")
            code, out, _ = run_cli(["check", output, "--date", "2026-10-01", "--format", "json"])
            self.assertEqual(report.verdict, json.loads(out)["verdict"])
            self.assertEqual([(f["rule"], f["subject"], f.get("reason"))
                              for f in report.findings],
                             [(f["rule"], f["subject"], f.get("reason"))
                              for f in json.loads(out)["findings"]])
        finally:
            shutil.rmtree(directory)
        self.assertEqual(imported.manifest["model"]["id"], "lab/zephyr-7b-beta")
        self.assertIn("zephyr", repr(imported))

    def test_import_errors(self):
        with tempfile.TemporaryDirectory() as directory:
            bad = os.path.join(directory, "README.md")
            with open(bad, "w", encoding="utf-8") as handle:
                handle.write("---\nlicense: [unclosed\n---\n")
            with self.assertRaises(provgate.InvalidInput) as caught:
                provgate.interop.import_manifest("hf-card", bad)
            self.assertTrue(caught.exception.diagnostics[0].startswith(bad + ":"))
            code, _, err = run_cli(["import", "hf-card", bad])
            self.assertEqual(code, 2)
            self.assertEqual(caught.exception.diagnostics,
                             [line for line in err.splitlines() if ": error: " in line])
        with self.assertRaises(provgate.InvalidInput):
            provgate.interop.import_manifest("hf-card", "/nonexistent/README.md")
        with self.assertRaises(provgate.InvalidInput):
            provgate.interop.import_manifest("docx", MODEL_CARD)
        with self.assertRaises(provgate.InvalidInput):
            provgate.interop.import_manifest("hf-card")
        with self.assertRaises(provgate.InvalidInput):
            provgate.interop.import_manifest("hf-card", MODEL_CARD, weights="ajar")
        with self.assertRaises(TypeError):
            provgate.interop.import_manifest("hf-card", 42)

    def test_export_matches_the_cli(self):
        manifest = support.example("pirated-books-closed", "manifest.json")
        for format in ("cyclonedx", "spdx3"):
            document = provgate.interop.export_manifest(format, manifest, date="2026-06-01")
            code, out, err = run_cli(["export", format, manifest, "--date", "2026-06-01"])
            self.assertEqual(code, 0, err)
            self.assertEqual(document, out)
            json.loads(document)
        with self.assertRaises(provgate.InvalidInput):
            provgate.interop.export_manifest("cyclonedx", '/nonexistent/manifest.json')
        with self.assertRaises(provgate.InvalidInput):
            provgate.interop.export_manifest("docx", manifest)


if __name__ == "__main__":
    support.main()
