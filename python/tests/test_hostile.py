"""Hostile and random input through every entry point of the Python package: whatever
comes in, the result is a Report or data, or one of provgate's exceptions, a TypeError or a
ValueError; never a crash of the interpreter or another exception. Seeded, so a failure
repeats."""

import json
import os
import random
import unittest

import support
from support import example, provgate

MANIFEST = example("licensed-closed", "manifest.json")
ALLOWED = (provgate.ProvgateError, TypeError, ValueError)


def random_value(rng, depth=0):
    kind = rng.randrange(9 if depth < 4 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([0, -1, 2 ** 63, -(2 ** 64), 10 ** 40, 7])
    if kind == 3:
        return rng.choice([0.5, float("inf"), float("nan"), -0.0, 1e308])
    if kind == 4:
        return rng.choice(["", "x", "\0", "\ud800", "é" * 50, "{", "P1", "MIT AND (",
                           "../../etc/passwd", "-----BEGIN PUBLIC KEY-----"])
    if kind == 5:
        return rng.choice([b"", b"\xff\xfe", set(), object()])
    if kind == 6:
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    keys = ["id", "kind", "license", "permission", "basis", "sources", "model", "release",
            "weights", "stages", "lineage", "manifest_version", 3, None, "x-ext"]
    return {rng.choice(keys): random_value(rng, depth + 1) for _ in range(rng.randrange(5))}


def mutate(rng, manifest):
    """The bundled manifest with one value replaced at a random place."""
    data = json.loads(json.dumps(manifest))
    node = data
    for _ in range(rng.randrange(1, 5)):
        if isinstance(node, dict) and node:
            key = rng.choice(list(node))
            if rng.random() < 0.4 or not isinstance(node[key], (dict, list)):
                node[key] = random_value(rng)
                break
            node = node[key]
        elif isinstance(node, list) and node:
            index = rng.randrange(len(node))
            if rng.random() < 0.4 or not isinstance(node[index], (dict, list)):
                node[index] = random_value(rng)
                break
            node = node[index]
    return data


class HostileInputTest(unittest.TestCase):
    def calls(self, rng, base):
        value = random_value(rng)
        mutated = mutate(rng, base)
        text = json.dumps(mutated, default=repr)
        cut = text[:rng.randrange(len(text) + 1)]
        directory = os.path.dirname(MANIFEST)
        return [
            lambda: provgate.check(mutated, base_dir=directory),
            lambda: provgate.check(cut),
            lambda: provgate.check(value),
            lambda: provgate.check(MANIFEST, params={"judge_propagates_taint": value}),
            lambda: provgate.check(MANIFEST, date=value),
            lambda: provgate.check(MANIFEST, profile=value),
            lambda: provgate.check(MANIFEST, waivers=value),
            lambda: provgate.check(MANIFEST, trust=value),
            lambda: provgate.validate(mutated, base_dir=directory),
            lambda: provgate.license.parse(value),
            lambda: provgate.license.parse(cut[:80]),
            lambda: provgate.expr(cut[:200]),
            lambda: provgate.expr("x", bindings={"x": value}),
            lambda: provgate.explain(value),
            lambda: provgate.verify(cut, keys=[MANIFEST]),
            lambda: provgate.evaluate_shard(mutated, rng.randrange(3), 2, base_dir=directory),
            lambda: provgate.merge(MANIFEST, [provgate.Partial(cut.encode("utf-8", "replace"))]),
            lambda: provgate.Session(mutated.get("model") and {"manifest_version": "1",
                                                              "model": mutated["model"]}
                                     or {}).finish(),
        ]

    def test_random_input_through_every_entry_point(self):
        rng = random.Random(1729)
        with open(MANIFEST, encoding="utf-8") as handle:
            base = json.load(handle)
        outcomes = {"report": 0, "data": 0, "refused": 0}
        for _ in range(200):
            for call in self.calls(rng, base):
                try:
                    result = call()
                except ALLOWED:
                    outcomes["refused"] += 1
                    continue
                if isinstance(result, provgate.Report):
                    self.assertIn(result.verdict, ("compliant", "non-compliant"))
                    json.loads(result.to_json())
                    outcomes["report"] += 1
                else:
                    outcomes["data"] += 1
        self.assertGreater(outcomes["refused"], 100, outcomes)
        self.assertGreater(outcomes["report"], 10, outcomes)


if __name__ == "__main__":
    support.main()
