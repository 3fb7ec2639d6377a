"""provgate on Dask: a check whose sources are judged on the workers of a Dask cluster.

``check(manifest, client=...)`` splits the manifest's JSON Lines side file into partitions
at line starts, judges each partition on a worker (which reads only its part of the file)
and merges the partial results on the client into the Report of the whole manifest: the same
report, byte for byte, as ``provgate check --format json`` gives. With ``sources=``, the
sources come from a Dask bag of dicts, a Dask dataframe, or a list of JSON Lines files
instead. Workers need only the provgate package; the rule pack travels with the tasks.
See docs/python.md.
"""

from __future__ import annotations

import hashlib
import json
import datetime
import math
import os
import shutil
import tempfile
import threading
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from . import _core
from ._api import Report, _check_fail_on, _finish
from ._inputs import (PathLike, check_options, fspath, load_pack, manifest_input, raise_for,
                      to_json_text)
from .errors import InvalidInput, OperationalError

__all__ = ["check"]

# Partitions of a side file are about this large unless partition_bytes says otherwise.
DEFAULT_PARTITION_BYTES = 64 << 20
# The largest rule pack (all its files) that travels with the tasks.
MAX_PACK_BYTES = 64 << 20
# The largest manifest (its header, when the sources are in a side file) sent to the workers.
MAX_MANIFEST_BYTES = 256 << 20
# The name of the side file that stands for the sources given with `sources=`.
SOURCES_NAME = "sources.jsonl"


# --- The rule pack, carried to the workers ---------------------------------------------------

def _pack_files(policy: Optional[PathLike]) -> Optional[Tuple[str, Tuple[Tuple[str, bytes], ...]]]:
    """A custom pack's files as (digest, ((relative path, bytes), ...)); None for the
    built-in pack, which every worker has."""
    if policy is None:
        return None
    root = fspath(policy, "policy")
    files: List[Tuple[str, bytes]] = []
    total = 0
    for directory, subdirectories, names in os.walk(root, followlinks=False):
        subdirectories.sort()
        for name in sorted(names):
            path = os.path.join(directory, name)
            # A symlink counts as the file it names when that file lies inside the pack, as
            # when the engine reads the pack; one that leaves the pack is not sent.
            real_root = os.path.realpath(root)
            target = os.path.realpath(path)
            if os.path.commonpath([real_root, target]) != real_root or not os.path.isfile(target):
                continue
            with open(path, "rb") as handle:
                data = handle.read(MAX_PACK_BYTES + 1)
            total += len(data)
            if total > MAX_PACK_BYTES:
                raise InvalidInput("the rule pack is larger than %d bytes" % MAX_PACK_BYTES,
                                   ["%s: error: the rule pack is too large to send to the "
                                    "workers" % root])
            files.append((os.path.relpath(path, root), data))
    digest = hashlib.sha256()
    for relative, data in files:
        digest.update(relative.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest(), tuple(files)


_worker_packs: Dict[str, Any] = {}
_worker_lock = threading.Lock()


def _worker_pack(carried: Optional[Tuple[str, Tuple[Tuple[str, bytes], ...]]]) -> Any:
    """On a worker: the pack the task carries, written once per process into a private
    temporary directory and loaded from there."""
    if carried is None:
        return load_pack(None)
    digest, files = carried
    with _worker_lock:
        pack = _worker_packs.get(digest)
        if pack is not None:
            return pack
        directory = tempfile.mkdtemp(prefix="provgate-pack-")
        try:
            for relative, data in files:
                target = os.path.normpath(os.path.join(directory, relative))
                if os.path.commonpath([directory, target]) != directory:
                    raise InvalidInput("a rule pack file leaves the pack's directory",
                                       ["provgate: error: %r leaves the pack" % relative])
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as handle:
                    handle.write(data)
            pack = load_pack(directory)
        finally:
            # The pack is compiled into memory: its files are not needed once loaded.
            shutil.rmtree(directory, ignore_errors=True)
        _worker_packs[digest] = pack
        return pack


# --- Tasks run on the workers ----------------------------------------------------------------

def _facts_task(carried, spec, options, partition, lines=None):
    status, details, stage = _core.partition_facts(_worker_pack(carried), spec, options,
                                                   partition, lines)
    raise_for(status, details)
    return stage


def _partition_task(carried, spec, options, partition, stage, lines=None):
    status, details, partial = _core.evaluate_partition(_worker_pack(carried), spec, options,
                                                        partition, stage, lines)
    raise_for(status, details)
    return partial


def _shard_task(carried, spec, options, index, count):
    status, details, partial = _core.evaluate_shard(_worker_pack(carried), spec, options,
                                                    index, count)
    raise_for(status, details)
    return partial


def _is_blank(line: str) -> bool:
    return line.rstrip("\n").rstrip("\r").strip(" \t") == ""


def _lines_of(records: Sequence[Any]) -> str:
    """A partition of records (dicts, or lines of JSON Lines text) as side-file text."""
    out: List[str] = []
    for record in records:
        if isinstance(record, str):
            out.append(record if record.endswith("\n") else record + "\n")
        elif isinstance(record, Mapping):
            out.append(to_json_text(record, "a source", compact=True) + "\n")
        else:
            raise TypeError("a source must be a dict or a line of JSON text, not %s"
                            % type(record).__name__)
    return "".join(out)


def _count_task(records) -> List[Tuple[int, int]]:
    """[(lines, sources)] of one partition of records."""
    text = _lines_of(list(records))
    lines = text.count("\n")
    sources = sum(1 for line in text.split("\n")[:lines] if not _is_blank(line))
    return [(lines, sources)]


def _bag_partition_task(records, carried, spec, options, first_line, first_index, stage,
                        facts_only=False):
    text = _lines_of(list(records))
    lines = text.count("\n")
    sources = sum(1 for line in text.split("\n")[:lines] if not _is_blank(line))
    partition = (0, len(text.encode("utf-8")), first_line, first_index, sources)
    data = text.encode("utf-8", "surrogatepass")
    if facts_only:
        return [_facts_task(carried, spec, options, partition, data)]
    digest = hashlib.sha256(data).hexdigest()
    return [(digest, _partition_task(carried, spec, options, partition, stage, data))]


# --- The client ------------------------------------------------------------------------------

def _gather(futures: List[Any]) -> List[Any]:
    """The results of `futures`, in order, each released on the cluster as soon as it reached
    the client: a worker holds a partition's result only until then, not until every
    partition is done. Empties `futures`."""
    from distributed import as_completed
    position = {future.key: i for i, future in enumerate(futures)}
    results: List[Any] = [None] * len(futures)
    pending = as_completed(futures)
    futures.clear()
    for future in pending:
        results[position[future.key]] = future.result()
        future.release()
    return results


def _client(client: Any) -> Any:
    if client is not None:
        return client
    try:
        from distributed import get_client
    except ImportError as error:  # pragma: no cover - dask.distributed is a dependency here
        raise OperationalError("provgate.dask needs dask.distributed (Debian: "
                               "python3-distributed)") from error
    try:
        return get_client()
    except ValueError as error:
        raise OperationalError("no Dask client: give client= or create a "
                               "distributed.Client first") from error


def _read_manifest_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_MANIFEST_BYTES + 1)
    except OSError as error:
        raise OperationalError("cannot read %s: %s" % (path, error.strerror),
                               ["provgate: error: cannot read %s: %s"
                                % (path, error.strerror)]) from None
    if len(data) > MAX_MANIFEST_BYTES:
        raise InvalidInput("%s is larger than %d bytes: put its sources in a JSON Lines side "
                           "file" % (path, MAX_MANIFEST_BYTES),
                           ["%s: error: the manifest is too large to send to the workers"
                            % path])
    return data


def _worker_spec(spec: Tuple[str, Any, str, str]) -> Tuple[str, Any, str, str]:
    """The manifest as the workers receive it: its bytes, named as on the client, placed in
    the client's directory (an absolute base, since workers may run elsewhere)."""
    kind, value, name, base = spec
    if kind == "file":
        return ("text", _read_manifest_bytes(value), value, os.getcwd())
    return ("text", value, name, os.path.join(os.getcwd(), base))


def check(manifest: Any, *, client: Any = None, sources: Any = None,
          partition_bytes: int = DEFAULT_PARTITION_BYTES, policy: Optional[PathLike] = None,
          base_dir: Optional[PathLike] = None, name: Optional[str] = None,
          fail_on: str = "error", **options: Any) -> Report:
    """Checks a manifest on the workers of a Dask cluster and returns the Report of the whole.

    Without `sources`, the manifest's sources must live in a JSON Lines side file, which the
    client scans once (its lines and digest) and splits into partitions of about
    `partition_bytes`; each worker reads its partition from the file, at the same path as the
    client (a file system the cluster shares). A manifest with its sources in an array is
    judged in as many shards as the cluster has workers, each reading the whole manifest.

    With `sources` (a Dask bag of source dicts or JSON lines, a Dask dataframe whose rows are
    sources, or a list of JSON Lines files), the manifest gives the header and must have no
    sources of its own (``[]``); each partition is judged where it is computed. The report is
    then the report of the manifest whose side file holds those sources in order; its
    ``sources_sha256`` is the SHA-256 of the partitions' SHA-256 digests, in order.

    `client` is a ``distributed.Client`` (None: the current one). Takes the keyword arguments
    of provgate.check. Memory on each worker is bounded by its partition; the client holds
    every source's id (to find ids repeated across partitions) and the findings.
    """
    fail_on = _check_fail_on(fail_on)
    if isinstance(partition_bytes, bool) or not isinstance(partition_bytes, int) \
            or not 1 <= partition_bytes < 2 ** 63:
        raise TypeError("partition_bytes must be a positive int")
    pack = load_pack(policy)
    carried = _pack_files(policy)
    # Every worker judges as of the same day, the client's (UTC), and confines lineage to the
    # same directory.
    if options.get("date") is None:
        options["date"] = datetime.datetime.now(datetime.timezone.utc).date()
    if options.get("root") is not None:
        options["root"] = os.path.abspath(fspath(options["root"], "root"))
    engine_options = check_options(**options)
    dask_client = _client(client)
    if sources is not None:
        return _check_sources(manifest, sources, dask_client, pack, carried, engine_options,
                              base_dir, name, fail_on)
    spec = manifest_input(manifest, base_dir, name)
    status, details, partitions, count, digest, two_pass = _core.plan_partitions(
        pack, spec, engine_options, partition_bytes)
    if any(d["code"] == "partition" for d in details) and len(details) == 1:
        return _check_shards(spec, dask_client, pack, carried, engine_options, fail_on)
    raise_for(status, details)
    # The manifest and the pack go to every worker once, not with every task.
    remote, carried = dask_client.scatter([_worker_spec(spec), carried], broadcast=True,
                                         hash=False)
    stage = None
    if two_pass:
        facts = dask_client.map(_facts_task, [carried] * len(partitions),
                                [remote] * len(partitions), [engine_options] * len(partitions),
                                partitions, pure=False)
        stage = max(_gather(facts), default=-1)
    futures = dask_client.map(_partition_task, [carried] * len(partitions),
                              [remote] * len(partitions), [engine_options] * len(partitions),
                              partitions, [stage] * len(partitions), pure=False)
    partials = _gather(futures)
    return _finish(_core.merge_partitions(pack, spec, engine_options, partials, count, digest),
                   fail_on)


def _check_shards(spec, dask_client, pack, carried, engine_options, fail_on) -> Report:
    workers = max(1, len(dask_client.scheduler_info().get("workers", {})))
    remote, carried = dask_client.scatter([_worker_spec(spec), carried], broadcast=True,
                                         hash=False)
    futures = dask_client.map(_shard_task, [carried] * workers, [remote] * workers,
                              [engine_options] * workers, list(range(workers)),
                              [workers] * workers, pure=False)
    partials = _gather(futures)
    return _finish(_core.merge_shards(pack, spec, engine_options, partials), fail_on)


def _without_missing(row: Mapping[str, Any]) -> Dict[str, Any]:
    return {key: value for key, value in row.items()
            if value is not None and not (isinstance(value, float) and math.isnan(value))}


def _as_bag(sources: Any) -> Any:
    import dask.bag as db
    if isinstance(sources, (list, tuple)) and all(isinstance(s, (str, os.PathLike))
                                                 for s in sources):
        paths = [fspath(s, "a JSON Lines file") for s in sources]
        if not paths:
            raise InvalidInput("sources is an empty list of files",
                               ["provgate: error: sources names no JSON Lines file"])
        # dask reads no empty file; an empty side file holds no sources.
        paths = [p for p in paths if not os.path.isfile(p) or os.path.getsize(p) > 0]
        if not paths:
            return db.from_sequence([], npartitions=1)
        return db.read_text(paths, blocksize=DEFAULT_PARTITION_BYTES, encoding="utf-8",
                            linedelimiter="\n")
    if isinstance(sources, db.Bag):
        return sources
    try:
        import dask.dataframe as dd
    except ImportError:  # pragma: no cover
        dd = None
    if dd is not None and isinstance(sources, dd.DataFrame):
        # A missing cell (NaN or None) is a field the source does not have.
        return sources.to_bag(index=False, format="dict").map(_without_missing)
    raise TypeError("sources must be a Dask bag, a Dask dataframe or a list of JSON Lines "
                    "files, not %s" % type(sources).__name__)


def _check_sources(manifest, sources, dask_client, pack, carried, engine_options, base_dir,
                   name, fail_on) -> Report:
    import dask
    spec = manifest_input(manifest, base_dir, name)
    # The header as the engine reads it, from its own bytes: every problem with its position.
    status, details, _, _, _, _ = _core.plan_partitions(pack, spec, engine_options, 1)
    raise_for(status, [d for d in details if d["code"] != "partition"])
    kind, value, label, base = spec
    if kind == "file":
        data = _read_manifest_bytes(value)
        label, base = os.path.basename(value), os.path.dirname(value) or "."
    else:
        data = value.encode("utf-8") if isinstance(value, str) else value
    try:
        header = json.loads(data)
    except ValueError:
        header = None
    if not isinstance(header, dict):
        # Not an object: the engine says where and why.
        raise_for(*_core.plan_partitions(pack, spec, engine_options, 1)[:2])
        raise InvalidInput("the manifest is not a JSON object", ["%s: error: expected an "
                                                                 "object" % label])
    if header.get("sources", []) != []:
        raise InvalidInput("with sources=, the manifest's own sources must be empty ([])",
                           ["%s: error: the manifest has sources of its own; with sources=, "
                            "give them in the bag only (at /sources)" % label])
    header["sources"] = {"jsonl": SOURCES_NAME}
    spec = ("text", to_json_text(header, label), label, base)
    remote, carried = dask_client.scatter([_worker_spec(spec), carried], broadcast=True,
                                         hash=False)
    bag = _as_bag(sources)
    # First pass: each partition's lines and sources, for the positions of the second.
    counts = dask_client.gather(dask_client.compute(bag.map_partitions(_count_task)))
    delayed = bag.to_delayed()
    first_lines, first_indexes = [], []
    line, index = 1, 0
    for lines, count in counts:
        first_lines.append(line)
        first_indexes.append(index)
        line += lines
        index += count
    total = index
    stage = None
    two_pass = _two_pass(pack, engine_options)
    if two_pass:
        tasks = [dask.delayed(_bag_partition_task)(part, carried, remote, engine_options,
                                                   first_lines[i], first_indexes[i], None, True)
                 for i, part in enumerate(delayed)]
        stage = max((r[0] for r in _gather(dask_client.compute(tasks))), default=-1)
    tasks = [dask.delayed(_bag_partition_task)(part, carried, remote, engine_options,
                                               first_lines[i], first_indexes[i], stage)
             for i, part in enumerate(delayed)]
    results = _gather(dask_client.compute(tasks))
    digests = [r[0][0] for r in results]
    partials = [r[0][1] for r in results]
    digest = hashlib.sha256("".join(digests).encode("ascii")).hexdigest()
    return _finish(_core.merge_partitions(pack, spec, engine_options, partials, total, digest),
                   fail_on)


def _two_pass(pack: Any, engine_options: Mapping[str, Any]) -> bool:
    info = _core.pack_info(pack)
    profile = engine_options.get("profile") or info["default_profile"]
    for entry in info["profiles"]:
        if entry["name"] == profile:
            return bool(entry["reads_sources_twice"])
    return False
