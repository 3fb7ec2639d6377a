#!/usr/bin/env python3
"""A training job that records each dataset's provenance as it loads it, and stops before
training starts when the release it plans would not be compliant.

Usage: pipeline.py PLAN.json [REPORT.json]

PLAN.json describes the run: the model and its release (the manifest's header) and the
datasets the job loads, each with its provenance record (a manifest source). A real job
would take those records from its data catalogue as it opens each dataset; here they come
from the plan so that the example runs anywhere. Exit code 0: training may start; 1: the
planned release is not compliant and the job stops (the report says why); 2: invalid
provenance data.
"""

import json
import sys

import provgate


def load_dataset(dataset):
    """Stands for the job's data loader: yields the dataset's examples."""
    for n in range(dataset.get("examples", 3)):
        yield {"dataset": dataset["name"], "n": n}


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        plan = json.load(handle)
    try:
        session = provgate.Session(plan["header"])
        batches = []
        for dataset in plan["datasets"]:
            # Provenance is recorded when the data is loaded, not written up afterwards.
            session.add(dataset["provenance"])
            batches.extend(load_dataset(dataset))
            print("loaded %-28s %6d examples  (%d sources recorded)"
                  % (dataset["name"], dataset.get("examples", 3), len(session)))
        report = session.finish()
    except provgate.InvalidInput as error:
        for line in error.diagnostics:
            print(line, file=sys.stderr)
        return 2
    if len(argv) == 3:
        with open(argv[2], "w", encoding="utf-8") as handle:
            handle.write(report.to_json())
    if not report.compliant:
        print("\nThe planned release is %s: training does not start.\n" % report.verdict)
        for finding in report.findings:
            if finding["severity"] == "error":
                print("  %s %s: %s" % (finding["rule"], finding["subject"], finding["message"]))
        return 1
    print("\nThe planned release is compliant: training starts on %d examples." % len(batches))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
