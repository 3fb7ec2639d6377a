"""provgate.dask on a local cluster of two worker processes: the merged report is byte for
byte the CLI's for the same manifest, under every profile, however the side file is split;
sources given as a bag, a dataframe or JSON Lines files reach the report of the same
sources in one side file; bad input raises as provgate.check does."""

import json
import os
import shutil
import tempfile
import unittest

import support
from support import provgate, run_cli

import every_rule

try:
    import dask
    import dask.bag as db
    import dask.dataframe as dd
    import pandas
    from distributed import Client, LocalCluster
    import provgate.dask as pgdask
except ImportError as error:  # Debian: python3-dask python3-distributed python3-pandas
    print("SKIP: %s" % error)
    raise SystemExit(77)


def without_digests(text):
    data = json.loads(text)
    # The digest of sources in a Dask collection is the digest of its partitions' digests
    # (docs/python.md).
    data["manifest"]["sources"].pop("sha256", None)
    return json.dumps(data, indent=1)


def first_difference(a, b):
    """Where two long texts first differ, with a little context (unittest's diff of
    megabytes would take minutes)."""
    lines_a, lines_b = a.splitlines(), b.splitlines()
    for n, (x, y) in enumerate(zip(lines_a, lines_b)):
        if x != y:
            return "line %d:\n  %s\n  %s" % (n + 1, x[:300], y[:300])
    return "lengths %d and %d lines" % (len(lines_a), len(lines_b))


class DaskTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=40)
        cls.client = Client(cls.cluster)
        cls.directory = tempfile.mkdtemp(prefix="provgate-dask-")
        cls.manifest = every_rule.write(os.path.join(cls.directory, "every"))

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.cluster.close()
        shutil.rmtree(cls.directory, ignore_errors=True)

    def cli_json(self, manifest, *args, cwd=None):
        code, out, err = run_cli(["check", manifest, "--format", "json"] + list(args), cwd=cwd)
        self.assertIn(code, (0, 1), err)
        return out

    def assertSame(self, actual, expected):
        if actual != expected:
            self.fail(first_difference(actual, expected))

    def test_side_file_partitions_merge_into_the_cli_report(self):
        rules = set()
        for profile in (None, "intermediate", "thread"):
            args = [] if profile is None else ["--profile", profile]
            expected = self.cli_json(self.manifest, *args)
            data = json.loads(expected)
            # P7 gives obligations only (attribution), never findings.
            rules |= {f["rule"] for f in data["findings"]}
            rules |= {o["rule"] for o in data["obligations"]}
            for partition_bytes in (7000, 60000, 1 << 30):
                with self.subTest(profile=profile, partition_bytes=partition_bytes):
                    report = pgdask.check(self.manifest, client=self.client,
                                          partition_bytes=partition_bytes, profile=profile)
                    self.assertSame(report.to_json(), expected)
        self.assertTrue({"P%d" % i for i in range(1, 10)} <= rules, sorted(rules))
        # Ids repeated between the first and the last tenth of the file: in different
        # partitions whenever there is more than one.
        self.assertEqual(sum(1 for f in data["findings"] if f.get("reason") == "duplicate-id"),
                         6)

    def test_options_and_a_custom_pack_travel_with_the_tasks(self):
        pack = os.path.join(support.GOLDEN, "custom-rule-pack", "pack")
        if not os.path.isdir(pack):
            self.skipTest("no custom pack directory in the golden cases")
        expected = self.cli_json(self.manifest, "--policy", pack)
        report = pgdask.check(self.manifest, client=self.client, partition_bytes=50000,
                              policy=pack)
        self.assertSame(report.to_json(), expected)
        expected = self.cli_json(self.manifest, "--date", "2027-06-01", "--param",
                                 "judge_propagates_taint=false")
        report = pgdask.check(self.manifest, client=self.client, partition_bytes=50000,
                              date="2027-06-01", params={"judge_propagates_taint": False})
        self.assertSame(report.to_json(), expected)

    def sources_and_header(self):
        with open(os.path.join(os.path.dirname(self.manifest), "sources.jsonl"),
                  encoding="utf-8") as handle:
            lines = [line for line in handle.read().split("\n") if line.strip()]
        with open(self.manifest, encoding="utf-8") as handle:
            header = json.load(handle)
        header["sources"] = []
        return [json.loads(line) for line in lines], header

    def reference(self, records, name):
        """The CLI's report of the header with `records` in a side file, one per line."""
        directory = os.path.join(self.directory, name)
        os.makedirs(directory, exist_ok=True)
        shutil.copy(os.path.join(os.path.dirname(self.manifest), "teacher.json"), directory)
        _, header = self.sources_and_header()
        header["sources"] = {"jsonl": "sources.jsonl"}
        with open(os.path.join(directory, "manifest.json"), "w", encoding="utf-8") as handle:
            # As provgate.dask writes a header given as a dict (ASCII, indent 1): the same
            # bytes, so that lines in the header and its digest are the same too.
            handle.write(json.dumps(header, ensure_ascii=True, indent=1))
        with open(os.path.join(directory, "sources.jsonl"), "w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, separators=(",", ":")) + "\n")
        return directory, self.cli_json("manifest.json", cwd=directory)

    def test_bag_of_dicts(self):
        records, header = self.sources_and_header()
        directory, expected = self.reference(records, "bag")
        bag = db.from_sequence(records, npartitions=7)
        report = pgdask.check(header, client=self.client, sources=bag, base_dir=directory)
        self.assertSame(without_digests(report.to_json()), without_digests(expected))
        again = pgdask.check(header, client=self.client, sources=db.from_sequence(
            records, npartitions=7), base_dir=directory)
        self.assertSame(report.to_json(), again.to_json())

    def test_jsonl_files_and_dataframe(self):
        records, header = self.sources_and_header()
        directory, expected = self.reference(records, "files")
        parts = []
        for i, chunk in enumerate((records[:1000], records[1000:])):
            path = os.path.join(self.directory, "part-%d.jsonl" % i)
            with open(path, "w", encoding="utf-8") as handle:
                for record in chunk:
                    handle.write(json.dumps(record, separators=(",", ":")) + "\n")
            parts.append(path)
        report = pgdask.check(header, client=self.client, sources=parts, base_dir=directory)
        self.assertSame(without_digests(report.to_json()), without_digests(expected))
        frame = dd.from_pandas(pandas.DataFrame(
            {"id": ["a%d" % i for i in range(40)],
             "kind": ["web-crawl" if i % 4 == 0 else "first-party" for i in range(40)],
             "permission": [{"basis": "none"} if i % 4 == 0 else {"basis": "first-party"}
                            for i in range(40)],
             "size": [{"tokens": 10 + i} for i in range(40)]}), npartitions=3)
        small = {"manifest_version": "1",
                 "model": {"id": "acme/frame", "release": {"weights": "closed"}},
                 "sources": []}
        _, expected = self.reference(frame.compute().to_dict("records"), "frame")
        small_directory = os.path.join(self.directory, "frame")
        with open(os.path.join(small_directory, "manifest.json"), "w") as handle:
            handle.write(json.dumps(dict(small, sources={"jsonl": "sources.jsonl"}),
                                    ensure_ascii=True, indent=1))
        expected = self.cli_json("manifest.json", cwd=small_directory)
        report = pgdask.check(small, client=self.client, sources=frame,
                              base_dir=small_directory)
        self.assertSame(without_digests(report.to_json()), without_digests(expected))
        self.assertEqual(report.verdict, "non-compliant")

    def test_the_same_manifest_checked_again_and_again(self):
        manifest = support.example("jsonl-sources", "manifest.json")
        expected = self.cli_json(manifest)
        for _ in range(12):
            report = pgdask.check(manifest, client=self.client, partition_bytes=300)
            self.assertSame(report.to_json(), expected)

    def test_missing_cells_and_empty_files(self):
        frame = dd.from_pandas(pandas.DataFrame(
            [{"id": "a", "kind": "code", "license": "MIT", "permission": {"basis": "license"}},
             {"id": "b", "kind": "first-party", "permission": {"basis": "first-party"}}]),
            npartitions=2)
        small = {"manifest_version": "1",
                 "model": {"id": "acme/sparse", "release": {"weights": "closed"}},
                 "sources": []}
        report = pgdask.check(small, client=self.client, sources=frame)
        self.assertEqual([f["rule"] for f in report.findings if f["severity"] == "error"], [])
        empty = os.path.join(self.directory, "empty.jsonl")
        open(empty, "w").close()
        report = pgdask.check(small, client=self.client, sources=[empty])
        self.assertEqual(report.data["summary"]["sources"], 0)

    def test_a_symlink_inside_a_custom_pack_travels(self):
        pack = os.path.join(self.directory, "pack")
        shutil.copytree(os.path.join(support.GOLDEN, "custom-rule-pack", "pack"), pack)
        rules = os.path.join(pack, "rules")
        name = sorted(os.listdir(rules))[0]
        os.makedirs(os.path.join(pack, "common"))
        os.replace(os.path.join(rules, name), os.path.join(pack, "common", name))
        os.symlink(os.path.join("..", "common", name), os.path.join(rules, name))
        expected = self.cli_json(self.manifest, "--policy", pack)
        report = pgdask.check(self.manifest, client=self.client, partition_bytes=50000,
                              policy=pack)
        self.assertSame(report.to_json(), expected)

    def test_sources_in_an_array_are_judged_in_shards(self):
        manifest = support.example("pirated-books-closed", "manifest.json")
        report = pgdask.check(manifest, client=self.client)
        self.assertSame(report.to_json(), self.cli_json(manifest))

    def test_bad_input(self):
        with self.assertRaises(provgate.InvalidInput):
            pgdask.check('{"manifest_version": "1", "model": ', client=self.client)
        broken = os.path.join(self.directory, "broken")
        os.makedirs(broken, exist_ok=True)
        with open(os.path.join(broken, "manifest.json"), "w") as handle:
            json.dump({"manifest_version": "1", "model": {"id": "x/y", "release": {
                "weights": "closed"}}, "sources": {"jsonl": "missing.jsonl"}}, handle)
        with self.assertRaises(provgate.InvalidInput):
            pgdask.check(os.path.join(broken, "manifest.json"), client=self.client)
        with open(os.path.join(broken, "manifest.json"), "w") as handle:
            json.dump({"manifest_version": "1", "model": {"id": "x/y", "release": {
                "weights": "closed"}}, "sources": {"jsonl": "bad.jsonl"}}, handle)
        with open(os.path.join(broken, "bad.jsonl"), "w") as handle:
            handle.write('{"id": "a", "kind": "web-crawl", "permission": {"basis": "none"}}\n')
            handle.write('{"id": "b", "kind": "telepathy"}\n')
        with self.assertRaises(provgate.InvalidInput) as caught:
            pgdask.check(os.path.join(broken, "manifest.json"), client=self.client,
                         partition_bytes=1)
        self.assertIn("bad.jsonl:2:", "\n".join(caught.exception.diagnostics))
        records, header = self.sources_and_header()
        with self.assertRaises(provgate.InvalidInput):
            pgdask.check(header, client=self.client,
                         sources=db.from_sequence([{"id": "x", "kind": 3}]))
        with self.assertRaises(provgate.InvalidInput):
            pgdask.check(dict(header, sources=records[:1]), client=self.client,
                         sources=db.from_sequence(records[:3]))
        with self.assertRaises(TypeError):
            pgdask.check(header, client=self.client, sources=42)
        # The header is read by the engine, from its own bytes: a repeated key is refused
        # with its position, as provgate.check refuses it.
        repeated = ('{"manifest_version": "1", "model": {"id": "a/x", "release": {"weights": '
                    '"closed"}}, "model": {"id": "a/y", "release": {"weights": "closed"}}, '
                    '"sources": []}')
        with self.assertRaises(provgate.InvalidInput) as caught:
            pgdask.check(repeated, client=self.client, sources=db.from_sequence(records[:3]))
        with self.assertRaises(provgate.InvalidInput) as direct:
            provgate.check(repeated)
        self.assertEqual(caught.exception.diagnostics, direct.exception.diagnostics)
        with self.assertRaises(TypeError):
            pgdask.check(self.manifest, client=self.client, partition_bytes=0)


if __name__ == "__main__":
    support.main()
