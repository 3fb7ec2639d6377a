"""The provgate Python module: every entry point, the ways to give a manifest, bad input of
every kind, and the GIL released while the engine works."""

import copy
import datetime
import json
import os
import pathlib
import pickle
import random
import tempfile
import threading
import time
import unittest

import support
from support import example, provgate, run_cli

CLOSED = example("licensed-closed", "manifest.json")
PIRATED = example("pirated-books-closed", "manifest.json")


def load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


class CheckInputsTest(unittest.TestCase):
    def test_path_pathlike_text_and_dict_reach_the_same_findings(self):
        by_path = provgate.check(PIRATED)
        by_pathlike = provgate.check(pathlib.Path(PIRATED))
        self.assertEqual(by_path.to_json(), by_pathlike.to_json())
        directory = os.path.dirname(PIRATED)
        with open(PIRATED, encoding="utf-8") as handle:
            text = handle.read()
        by_text = provgate.check(text, base_dir=directory)
        by_dict = provgate.check(json.loads(text), base_dir=directory)
        for report in (by_text, by_dict):
            self.assertEqual(report.verdict, "non-compliant")
            self.assertEqual(report.exit_code, 1)
            self.assertEqual([(f["rule"], f["subject"], f.get("reason")) for f in report.findings],
                             [(f["rule"], f["subject"], f.get("reason"))
                              for f in by_path.findings])
        # Text is read as a file with the same bytes: only the name differs.
        self.assertEqual(by_text.data["manifest"]["sha256"], by_path.data["manifest"]["sha256"])
        self.assertEqual(by_text.data["manifest"]["path"], "manifest.json")

    def test_report_fields(self):
        report = provgate.check(CLOSED)
        self.assertEqual(report.verdict, "compliant")
        self.assertTrue(report.compliant)
        self.assertEqual(report.exit_code, 0)
        self.assertIsInstance(report.findings, list)
        self.assertIsInstance(report.obligations, list)
        self.assertEqual(report.summary["findings"], {"error": 0, "warning": 0, "info": 0})
        self.assertEqual(report.model["id"], "acme/atlas-70b")
        self.assertIn("acme/atlas-70b", repr(report))
        self.assertIn("COMPLIANT", report.to_text().upper())
        self.assertTrue(json.loads(report.to_sarif())["runs"])
        self.assertIn("<testsuite", report.to_junit())
        self.assertIsInstance(report.notice(), str)
        self.assertEqual(json.loads(report.statement())["_type"],
                         "https://in-toto.io/Statement/v1")
        self.assertIn("nodes", report.graph())
        self.assertTrue(report.graph("dot").startswith("digraph"))
        self.assertIn(os.path.abspath(CLOSED) if os.path.isabs(CLOSED) else CLOSED,
                      report.dependencies)

    def test_check_options_match_the_cli(self):
        code, out, err = run_cli([PIRATED, "--format", "json", "--date", "2026-01-01",
                                  "--profile", "intermediate"][0:0] +
                                 ["check", PIRATED, "--format", "json", "--date", "2026-01-01"])
        report = provgate.check(PIRATED, date=datetime.date(2026, 1, 1))
        self.assertEqual(report.to_json(), out)
        self.assertEqual(report.exit_code, code)

    def test_params_take_bool_int_and_str(self):
        info = provgate.rule_pack()
        self.assertTrue(info["parameters"], "the default pack declares parameters")
        params = {}
        for parameter in info["parameters"]:
            if parameter["type"] == "bool":
                params[parameter["name"]] = parameter["default"] == "true"
            elif parameter["type"] == "int":
                params[parameter["name"]] = int(parameter["default"])
            else:
                params[parameter["name"]] = parameter["default"]
        with_defaults = provgate.check(PIRATED, params=params)
        self.assertEqual(with_defaults.to_json(), provgate.check(PIRATED).to_json())

    def test_text_grouping_is_checked(self):
        report = provgate.check(PIRATED)
        self.assertEqual(report.to_text(0), report.to_text(group=0))
        with self.assertRaises(ValueError):
            report.to_text(-1)
        with self.assertRaises(ValueError):
            report.to_text(2 ** 70)
        with self.assertRaises(TypeError):
            report.to_text("5")

    def test_decisions_and_csv(self):
        report = provgate.check(PIRATED, decisions=True)
        csv = report.to_csv()
        self.assertGreater(len(csv.splitlines()), 1)
        code, out, err = run_cli(["check", PIRATED, "--format", "csv"])
        self.assertEqual(csv, out)


class BadInputTest(unittest.TestCase):
    def assertInvalid(self, call, *fragments):
        with self.assertRaises(provgate.InvalidInput) as caught:
            call()
        error = caught.exception
        self.assertEqual(error.exit_code, 2)
        self.assertIsInstance(error, ValueError)
        text = "\n".join(error.diagnostics)
        for fragment in fragments:
            self.assertIn(fragment, text)
        return error

    def test_malformed_json_text_names_line_and_column(self):
        error = self.assertInvalid(lambda: provgate.check('{"manifest_version": "1",\n  "model": }'),
                                   "manifest.json:2:")
        self.assertTrue(all(line.startswith("manifest.json:") for line in error.diagnostics))

    def test_truncated_text_and_named_text(self):
        self.assertInvalid(lambda: provgate.check('{"manifest_version": "1"', name="m.json"),
                           "m.json:1:")

    def test_schema_errors_in_a_dict_carry_pointers(self):
        manifest = load(CLOSED)
        manifest["sources"][1]["size"]["tokens"] = "many"
        manifest["model"]["release"]["weights"] = "ajar"
        error = self.assertInvalid(lambda: provgate.check(manifest,
                                                          base_dir=os.path.dirname(CLOSED)),
                                   "/sources/1/size/tokens", "/model/release/weights")
        pointers = {d["pointer"] for d in error.details}
        self.assertIn("/sources/1/size/tokens", pointers)

    def test_python_values_json_cannot_hold(self):
        manifest = load(CLOSED)
        manifest["sources"][0]["size"] = {1: 2}
        self.assertInvalid(lambda: provgate.check(manifest), "/sources/0/size", "keys are strings")
        manifest = load(CLOSED)
        manifest["sources"][2]["size"]["tokens"] = float("nan")
        self.assertInvalid(lambda: provgate.check(manifest), "/sources/2/size/tokens")
        manifest = load(CLOSED)
        manifest["sources"][0]["title"] = {"a", "b"}
        self.assertInvalid(lambda: provgate.check(manifest), "/sources/0/title", "set")
        deep = {}
        node = deep
        for _ in range(1000):
            node["x"] = {}
            node = node["x"]
        self.assertInvalid(lambda: provgate.check(deep), "nested deeper")
        manifest = load(CLOSED)
        manifest["sources"][0]["title"] = "broken \ud800 surrogate"
        self.assertInvalid(lambda: provgate.check(manifest, base_dir=os.path.dirname(CLOSED)),
                           "/sources/0/title")

    def test_wrong_types_in_a_dict(self):
        manifest = load(CLOSED)
        manifest["sources"] = {"not": "a list"}
        self.assertInvalid(lambda: provgate.check(manifest), "/sources")
        self.assertInvalid(lambda: provgate.check({}), "manifest_version")
        self.assertInvalid(lambda: provgate.check({"manifest_version": 1, "model": [],
                                                   "sources": []}), "/manifest_version")

    def test_missing_and_unreadable_files(self):
        self.assertInvalid(lambda: provgate.check("/nonexistent/manifest.json"),
                           "/nonexistent/manifest.json")
        self.assertInvalid(lambda: provgate.check(support.EXAMPLES), "directory")
        self.assertInvalid(lambda: provgate.check("bad\0path.json"), "NUL")
        self.assertInvalid(lambda: provgate.check(""), "empty")

    def test_bad_options(self):
        self.assertInvalid(lambda: provgate.check(CLOSED, profile="no-such-profile"),
                           "no-such-profile")
        self.assertInvalid(lambda: provgate.check(CLOSED, date="2026-02-30"), "2026-02-30")
        self.assertInvalid(lambda: provgate.check(CLOSED, params={"no_such_param": 1}),
                           "no_such_param")
        self.assertInvalid(lambda: provgate.check(CLOSED, fail_on="sometimes"), "fail_on")
        self.assertInvalid(lambda: provgate.check(CLOSED, warn_expiring=99999), "warn_expiring")
        self.assertInvalid(lambda: provgate.check(CLOSED, policy="/nonexistent/pack"),
                           "/nonexistent/pack")
        with self.assertRaises(provgate.OperationalError):
            provgate.check(CLOSED, trust=["/nonexistent/key.pub"])
        with self.assertRaises(provgate.InvalidInput):
            provgate.check(CLOSED, waivers="/nonexistent/waivers.yaml")
        for bad in (lambda: provgate.check(42),
                    lambda: provgate.check(b"{}"),
                    lambda: provgate.check(CLOSED, params={"x": 1.5}),
                    lambda: provgate.check(CLOSED, params=[("x", 1)]),
                    lambda: provgate.check(CLOSED, date=20260101),
                    lambda: provgate.check(CLOSED, profile=3),
                    lambda: provgate.check(CLOSED, verify_files="yes"),
                    lambda: provgate.check(CLOSED, max_threads=-1),
                    lambda: provgate.check(CLOSED, base_dir=3),
                    lambda: provgate.check(CLOSED, no_such_keyword=1)):
            with self.assertRaises(TypeError):
                bad()

    def test_int_parameter_out_of_range_is_invalid_input(self):
        pack = os.path.join(support.GOLDEN, "custom-rule-pack", "pack")
        info = provgate.rule_pack(pack)
        ints = [p["name"] for p in info["parameters"] if p["type"] == "int"]
        self.assertTrue(ints, "the custom pack of the golden cases declares an int parameter")
        self.assertEqual(provgate.check(CLOSED, policy=pack, params={ints[0]: 3}).exit_code,
                         provgate.check(CLOSED, policy=pack, params={ints[0]: "3"}).exit_code)
        for bad in (10 ** 30, -(10 ** 30), "1-2", "-", "", True):
            self.assertInvalid(lambda: provgate.check(CLOSED, policy=pack,
                                                      params={ints[0]: bad}), ints[0])

    def test_errors_pickle(self):
        try:
            provgate.check('{"x": ')
        except provgate.InvalidInput as error:
            copied = pickle.loads(pickle.dumps(error))
            self.assertEqual(copied.diagnostics, error.diagnostics)
            self.assertIsInstance(copied, provgate.InvalidInput)
        error = pickle.loads(pickle.dumps(provgate.OperationalError("x", ["a"])))
        self.assertEqual(error.diagnostics, ["a"])


class GilTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.TemporaryDirectory()
        sources = []
        for i in range(60000):
            sources.append({"id": "s%d" % i, "title": "Source %d" % i, "kind": "web-crawl",
                            "license": ["MIT", "CC-BY-4.0", "CC-BY-NC-4.0"][i % 3],
                            "permission": {"basis": "license"},
                            "acquisition": {"method": "crawl", "opt_outs_honored": True},
                            "size": {"tokens": 1000 + i}})
        cls.manifest = {"manifest_version": "1",
                        "model": {"id": "acme/big", "release": {"weights": "open",
                                                                "license": "Apache-2.0"}},
                        "sources": sources}
        cls.path = os.path.join(cls.directory.name, "manifest.json")
        with open(cls.path, "w", encoding="utf-8") as handle:
            json.dump(cls.manifest, handle)

    @classmethod
    def tearDownClass(cls):
        cls.directory.cleanup()

    def test_python_runs_while_the_engine_checks(self):
        # The longest time the main thread goes without running while another thread is in
        # check(): with the GIL held, the whole check.
        start = time.perf_counter()
        provgate.check(self.path, max_threads=1)
        alone = time.perf_counter() - start
        self.assertGreater(alone, 0.05, "the manifest is too small to tell")
        done = threading.Event()
        worker = threading.Thread(target=lambda: (provgate.check(self.path, max_threads=1),
                                                  done.set()))
        gaps = []
        last = time.perf_counter()
        worker.start()
        while not done.is_set():
            now = time.perf_counter()
            gaps.append(now - last)
            last = now
        worker.join()
        self.assertLess(max(gaps), alone / 2, "the main thread was held up for %.3f s of a "
                        "%.3f s check" % (max(gaps), alone))

    def test_two_threads_check_at_once_with_the_same_results(self):
        results = [None, None]

        def run(i):
            results[i] = provgate.check(self.path).to_json()

        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(results[0], results[1])
        self.assertEqual(results[0], provgate.check(self.path).to_json())


class SessionTest(unittest.TestCase):
    def test_session_reaches_the_report_of_the_whole_manifest(self):
        manifest = load(PIRATED)
        header = {k: v for k, v in manifest.items() if k != "sources"}
        base = os.path.dirname(PIRATED)
        with provgate.Session(header, base_dir=base) as session:
            session.add(manifest["sources"][0])
            session.add_many(manifest["sources"][1:])
            self.assertEqual(len(session), len(manifest["sources"]))
        report = session.report
        whole = provgate.check(manifest, base_dir=base)

        def without_digest(data):
            # The session's manifest is canonical JSON, without lines: its digest and the
            # findings' lines and columns are its own.
            data = copy.deepcopy(data)
            del data["manifest"]["sha256"]
            for finding in data["findings"]:
                finding.get("location", {}).pop("line", None)
                finding.get("location", {}).pop("column", None)
            return data
        self.assertEqual(without_digest(report.data), without_digest(whole.data))

    def test_invalid_source_is_refused_with_its_position(self):
        manifest = load(CLOSED)
        header = {k: v for k, v in manifest.items() if k != "sources"}
        session = provgate.Session(header, base_dir=os.path.dirname(CLOSED))
        session.add(manifest["sources"][0])
        bad = dict(manifest["sources"][1], kind="telepathy")
        with self.assertRaises(provgate.InvalidInput) as caught:
            session.add(bad)
        self.assertIn("/sources/1/kind", "\n".join(caught.exception.diagnostics))
        with self.assertRaises(TypeError):
            session.add(["not", "a", "dict"])
        with self.assertRaises(provgate.InvalidInput):
            session.add({"id": 1.5e400 if False else float("inf")})
        session.add_many(manifest["sources"][1:])
        self.assertEqual(session.finish().verdict, "compliant")
        with self.assertRaises(RuntimeError):
            session.add(manifest["sources"][0])

    def test_threads_sharing_a_session_take_turns(self):
        manifest = load(CLOSED)
        header = {k: v for k, v in manifest.items() if k != "sources"}
        session = provgate.Session(header, base_dir=os.path.dirname(CLOSED))
        batch = [dict(manifest["sources"][2], id="own-%d" % i) for i in range(50)]

        def add(n):
            for k in range(20):
                session.add_many([dict(s, id="%s-%d-%d" % (s["id"], n, k)) for s in batch])
                len(session)

        threads = [threading.Thread(target=add, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(len(session), 4 * 20 * 50)
        self.assertIn(session.finish().verdict, ("compliant", "non-compliant"))

    def test_a_failed_finish_ends_the_session(self):
        session = provgate.Session({"manifest_version": "1", "model": {"id": 3}})
        for _ in range(2):
            with self.assertRaises(provgate.InvalidInput):
                session.finish()
        with self.assertRaises(RuntimeError):
            session.add({"id": "x"})

    def test_invalid_header(self):
        with self.assertRaises(provgate.InvalidInput) as caught:
            provgate.Session({"manifest_version": "1", "model": {"id": 3}}).finish()
        self.assertIn("/model/id", "\n".join(caught.exception.diagnostics))
        with self.assertRaises(provgate.InvalidInput):
            provgate.Session({"manifest_version": "1", "model": {}, "sources": [{"id": "x"}]})
        with self.assertRaises(TypeError):
            provgate.Session("header")


class ShardTest(unittest.TestCase):
    def test_shards_pickle_and_merge_into_the_whole_report(self):
        for manifest in (PIRATED, CLOSED, example("jsonl-sources", "manifest.json"),
                         example("lineage", "distilled", "manifest.json")
                         if os.path.exists(example("lineage", "distilled", "manifest.json"))
                         else PIRATED):
            whole = provgate.check(manifest).to_json()
            for count in (1, 2, 3, 5):
                partials = [pickle.loads(pickle.dumps(provgate.evaluate_shard(manifest, i, count)))
                            for i in range(count)]
                random.Random(count).shuffle(partials)
                self.assertEqual(provgate.merge(manifest, partials).to_json(), whole,
                                 "%s in %d shards" % (manifest, count))

    def test_merge_refuses_what_does_not_fit(self):
        partials = [provgate.evaluate_shard(PIRATED, i, 3) for i in range(3)]
        with self.assertRaises(provgate.InvalidInput):
            provgate.merge(PIRATED, partials[:2])
        with self.assertRaises(provgate.InvalidInput):
            provgate.merge(PIRATED, partials + partials[:1])
        with self.assertRaises(provgate.InvalidInput):
            provgate.merge(CLOSED, partials)
        with self.assertRaises(provgate.InvalidInput):
            provgate.merge(PIRATED, partials, date="2020-01-01")
        damaged = provgate.Partial(partials[0].data[:-3] + b"xyz")
        with self.assertRaises(provgate.InvalidInput):
            provgate.merge(PIRATED, [damaged] + partials[1:])
        with self.assertRaises(provgate.InvalidInput):
            provgate.evaluate_shard(PIRATED, 3, 3)
        with self.assertRaises(TypeError):
            provgate.merge(PIRATED, [b"bytes"])


class OtherCommandsTest(unittest.TestCase):
    def test_validate(self):
        report = provgate.validate(CLOSED)
        self.assertEqual(report.exit_code, 0)
        code, out, _ = run_cli(["validate", CLOSED, "--format", "json"])
        self.assertEqual(report.to_json(), out)
        integrity = example("integrity-problems", "manifest.json")
        self.assertEqual(provgate.validate(integrity).exit_code, 1)
        with self.assertRaises(provgate.InvalidInput):
            provgate.validate('{"manifest_version": "1"}')

    def test_notice_matches_the_cli(self):
        code, out, _ = run_cli(["notice", PIRATED])
        self.assertEqual(provgate.notice(PIRATED), out)

    def test_explain(self):
        code, out, _ = run_cli(["explain", "P1"])
        self.assertEqual(provgate.explain("P1"), out)
        self.assertIn("pirated", provgate.explain(reason="pirated").lower())
        self.assertIn("source", provgate.explain(facts=True))
        with self.assertRaises(provgate.InvalidInput):
            provgate.explain("P99")
        with self.assertRaises(provgate.InvalidInput):
            provgate.explain(reason="no-such-reason")
        info = provgate.rule_pack()
        self.assertEqual(sorted(r["id"] for r in info["rules"])[:2], ["P1", "P2"])
        self.assertTrue(any(p["reads_sources_twice"] for p in info["profiles"]))

    def test_expr(self):
        self.assertEqual(provgate.expr("1 + 2"), {"int64Value": "3"})
        self.assertEqual(provgate.expr("x * 2", bindings={"x": {"int64Value": "21"}}),
                         {"int64Value": "42"})
        self.assertIn("error", provgate.expr("1 / 0"))
        with self.assertRaises(provgate.InvalidInput) as caught:
            provgate.expr("1 +")
        self.assertTrue(caught.exception.diagnostics[0].startswith("<expr>:1:"))
        with self.assertRaises(provgate.InvalidInput):
            provgate.expr("x", bindings={"x": {"int64Value": "not a number"}})
        with self.assertRaises(TypeError):
            provgate.expr(3)
        with self.assertRaises(provgate.InvalidInput):
            provgate.expr("1", cost_limit=-1)
        with self.assertRaises(provgate.InvalidInput):
            provgate.evaluate_shard(PIRATED, 0, 2 ** 64)

    def test_license_parse(self):
        info = provgate.license.parse("apache-2.0 OR mit")
        self.assertEqual(info["expression"], "Apache-2.0 OR MIT")
        self.assertEqual(info["class"], "permissive")
        self.assertTrue(info["permitted"])
        self.assertEqual(info["tree"]["kind"], "or")
        self.assertEqual([c["id"] for c in info["tree"]["children"]], ["Apache-2.0", "MIT"])
        nc = provgate.license.parse("CC-BY-NC-4.0")
        self.assertFalse(nc["permitted"])
        self.assertEqual(nc["reason"], "non-commercial")
        self.assertTrue(provgate.license.parse("CC-BY-NC-4.0", commercial=False)["permitted"])
        with_exception = provgate.license.parse("GPL-2.0-only WITH Classpath-exception-2.0")
        self.assertEqual(with_exception["tree"]["kind"], "with")
        with self.assertRaises(provgate.InvalidInput) as caught:
            provgate.license.parse("MIT AND (")
        self.assertRegex(caught.exception.diagnostics[0], r"^<license>:1:\d+: error: ")
        with self.assertRaises(TypeError):
            provgate.license.parse(None)

    def test_sign_and_verify(self):
        directory = tempfile.mkdtemp()
        code, _, err = run_cli(["keygen", "--out", os.path.join(directory, "lab")])
        self.assertEqual(code, 0, err)
        private = os.path.join(directory, "lab.key")
        public = os.path.join(directory, "lab.pub")
        report = provgate.check(CLOSED)
        envelope = report.sign(private)
        result = provgate.verify(envelope, keys=[public], manifest=CLOSED)
        self.assertEqual(result["exit_code"], 0, result)
        with open(private, "rb") as handle:
            pem = handle.read()
        self.assertEqual(provgate.verify(provgate.sign(report, pem),
                                         keys=open(public).read())["exit_code"], 0)
        path = os.path.join(directory, "report.dsse.json")
        with open(path, "w") as handle:
            handle.write(envelope)
        code, out, _ = run_cli(["verify", path, "--key", public, "--format", "json"])
        self.assertEqual(code, 0)
        self.assertEqual(provgate.verify(path, keys=[public])["verdict"], json.loads(out)["verdict"])
        tampered = envelope.replace('"payload": "', '"payload": "AAAA')
        self.assertNotEqual(provgate.verify(tampered, keys=[public])["exit_code"], 0)
        with self.assertRaises(provgate.InvalidInput):
            provgate.verify("{not json", keys=[public])
        with self.assertRaises(provgate.OperationalError):
            provgate.verify(envelope, keys=["/nonexistent.pub"])
        with self.assertRaises(provgate.OperationalError):
            report.sign("/nonexistent.key")
        with self.assertRaises(provgate.InvalidInput):
            provgate.verify(envelope, keys=[])
        with self.assertRaises(provgate.InvalidInput):
            provgate.verify(envelope, keys=[public], threshold=2 ** 40)


if __name__ == "__main__":
    support.main()
