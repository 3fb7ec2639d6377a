"""provgate's functions: check a manifest, stream sources through a session, evaluate shards
and merge them, and the other commands of the CLI, as Python calls."""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from . import _core
from ._inputs import (ManifestArg, ParamValue, PathLike, check_options, fspath, load_pack,
                      manifest_input, raise_for, text_argument, to_json_text)
from .errors import InvalidInput, OperationalError

__all__ = ["Report", "check", "validate", "notice", "explain", "rule_pack", "expr", "sign",
           "verify", "Session", "Partial", "evaluate_shard", "merge"]


class Report:
    """The compliance report of one check.

    ``verdict`` is ``"compliant"`` or ``"non-compliant"``; ``exit_code`` is the CLI's (0 or 1;
    invalid input and operational failures raise instead). ``findings``, ``obligations`` and
    ``summary`` hold what the JSON report holds under those keys, and ``data`` the whole JSON
    report as Python data. ``to_json()`` is exactly what ``provgate check --format json``
    writes for the same input.
    """

    def __init__(self, result: Any, fail_on: str = "error") -> None:
        self._result = result
        self._fail_on = fail_on
        self._json: Optional[str] = None
        self._data: Optional[Dict[str, Any]] = None

    def to_json(self) -> str:
        """The JSON report, byte for byte as the CLI writes it."""
        if self._json is None:
            self._json = self._result.render("json")
        return self._json

    @property
    def data(self) -> Dict[str, Any]:
        """The JSON report as Python data (parsed once, on first use)."""
        if self._data is None:
            self._data = json.loads(self.to_json())
        return self._data

    @property
    def verdict(self) -> str:
        return self.data["verdict"]

    @property
    def compliant(self) -> bool:
        return self.verdict == "compliant"

    @property
    def exit_code(self) -> int:
        """0 when the release may go ahead as planned, 1 when it may not (``fail_on``)."""
        return self._result.exit_code(self._fail_on)

    @property
    def findings(self) -> List[Dict[str, Any]]:
        return self.data["findings"]

    @property
    def obligations(self) -> List[Dict[str, Any]]:
        return self.data["obligations"]

    @property
    def summary(self) -> Dict[str, Any]:
        return self.data["summary"]

    @property
    def model(self) -> Dict[str, Any]:
        return self.data["model"]

    @property
    def dependencies(self) -> List[str]:
        """The files the verdict depends on: manifests, side files, lineage files, waivers."""
        return self._result.dependencies()

    def to_text(self, group: int = 5) -> str:
        """The text report; more than `group` findings of one kind are grouped (0: never)."""
        if isinstance(group, bool) or not isinstance(group, int):
            raise TypeError("group must be an int")
        if not 0 <= group < 2 ** 32:
            raise ValueError("group must be 0 or more, below 2**32")
        return self._result.render("text", {"group": group})

    def to_markdown(self) -> str:
        return self._result.render("markdown", {"fail_on": self._fail_on})

    def to_sarif(self, source_root: str = "", link_base: str = "") -> str:
        return self._result.render("sarif", {"fail_on": self._fail_on,
                                             "source_root": source_root,
                                             "link_base": link_base})

    def to_junit(self) -> str:
        return self._result.render("junit", {"fail_on": self._fail_on})

    def to_github(self) -> str:
        """GitHub Actions workflow commands (annotations)."""
        return self._result.render("github", {"fail_on": self._fail_on})

    def to_csv(self) -> str:
        """The decision table (check with ``decisions=True``)."""
        return self._result.render("csv")

    def notice(self) -> str:
        """The NOTICE text: the attributions and conditions the release must carry."""
        return self._result.render("notice")

    def statement(self) -> str:
        """The in-toto statement that ``sign`` signs."""
        return self._result.render("statement")

    def graph(self, format: str = "json") -> Union[str, Dict[str, Any]]:
        """The lineage graph: Python data for ``"json"``, DOT text for ``"dot"``."""
        if format == "json":
            return json.loads(self._result.render("graph-json"))
        if format == "dot":
            return self._result.render("graph-dot")
        raise ValueError("format must be 'json' or 'dot'")

    def sign(self, key: Union[PathLike, bytes]) -> str:
        """The report signed with a private key (a PEM file, or PEM bytes/text): a DSSE
        envelope, as ``provgate check --sign`` writes it."""
        return sign(self, key)

    def __repr__(self) -> str:
        return "<provgate.Report %s: %s, %d findings>" % (
            self.model.get("id", "?"), self.verdict, len(self.findings))


def _finish(result: Any, fail_on: str) -> Report:
    raise_for(result.status(), result.diagnostics())
    return Report(result, fail_on)


def _check_fail_on(fail_on: str) -> str:
    if fail_on not in ("error", "warning"):
        raise InvalidInput("fail_on must be 'error' or 'warning'",
                           ["provgate: error: fail_on must be 'error' or 'warning', not %r"
                            % (fail_on,)])
    return fail_on


def check(manifest: ManifestArg, *, policy: Optional[PathLike] = None,
          profile: Optional[str] = None, date: Any = None,
          params: Optional[Mapping[str, ParamValue]] = None, verify_files: bool = False,
          waivers: Any = None, trust: Any = None, base_dir: Optional[PathLike] = None,
          name: Optional[str] = None, fail_on: str = "error", decisions: bool = False,
          warn_expiring: Optional[int] = None, root: Optional[PathLike] = None,
          max_threads: int = 0) -> Report:
    """Checks a manifest against the policy and returns its Report.

    `manifest` is a path (``str`` or ``os.PathLike``), JSON text (a ``str`` whose first
    non-blank character is ``{``) or a ``dict``. Relative paths in text and dicts (a JSON
    Lines side file, files[] entries, lineage manifests) resolve from `base_dir` (default: the
    current directory), and the report names the manifest `name` (default ``manifest.json``).

    `policy` is a rule pack directory (None: the built-in pack); `profile`, `date`
    (``YYYY-MM-DD`` or ``datetime.date``) and `params` (names to ``bool``, ``int`` or ``str``)
    are the CLI's ``--profile``, ``--date`` and ``--param``. `waivers` is a waivers file or a
    dict of its content; `trust` public keys (paths or PEM) trusted to sign upstream reports.

    Raises InvalidInput (exit code 2) with the CLI's diagnostics for invalid input, and
    OperationalError (exit code 3) when a file cannot be read. The GIL is released while the
    engine works, so threads can check manifests at once.

    >>> report = provgate.check("examples/licensed-closed/manifest.json")
    >>> report.verdict
    'compliant'
    """
    pack = load_pack(policy)
    spec = manifest_input(manifest, base_dir, name)
    options = check_options(profile, date, params, verify_files, waivers, trust, root,
                            decisions, warn_expiring, max_threads)
    return _finish(_core.check(pack, spec, options), _check_fail_on(fail_on))


def validate(manifest: ManifestArg, *, base_dir: Optional[PathLike] = None,
             name: Optional[str] = None) -> Report:
    """Checks the manifest against the schema and the pack's integrity rule only (the CLI's
    ``validate``): a Report whose findings are the integrity rule's. Raises InvalidInput for a
    manifest that does not follow the schema."""
    pack = load_pack(None)
    spec = manifest_input(manifest, base_dir, name)
    options = check_options()
    options["integrity_only"] = True
    return _finish(_core.check(pack, spec, options), "error")


def notice(manifest: ManifestArg, **options: Any) -> str:
    """The NOTICE text for the release the manifest plans (the CLI's ``notice``); takes the
    keyword arguments of check."""
    options["decisions"] = True
    return check(manifest, **options).notice()


def rule_pack(policy: Optional[PathLike] = None) -> Dict[str, Any]:
    """What the rule pack holds: its name, version, digest, profiles, parameters, rules and
    reason codes (the CLI's ``explain --list``)."""
    return _core.pack_info(load_pack(policy))


def explain(rule: Optional[str] = None, *, reason: Optional[str] = None, facts: bool = False,
            policy: Optional[PathLike] = None) -> str:
    """What a rule checks and how to satisfy it (`rule`, e.g. ``"P1"``), what a reason code
    means (`reason`), or the facts rule expressions read (`facts`): the CLI's ``explain``
    text. An unknown rule or reason is InvalidInput."""
    if facts:
        return _core.explain_facts()
    for value, what in ((rule, "rule"), (reason, "reason")):
        if value is not None:
            if not isinstance(value, str):
                raise TypeError("%s must be a str, not %s" % (what, type(value).__name__))
            text_argument(value, what)
    pack = load_pack(policy)
    if reason is not None:
        text = _core.explain_reason(pack, reason)
        what = "reason code %r" % reason
    elif rule is not None:
        text = _core.explain_rule(pack, rule)
        what = "rule %r" % rule
    else:
        raise TypeError("explain takes a rule id, reason= or facts=True")
    if not text:
        raise InvalidInput("unknown " + what,
                           ["provgate: error: unknown %s (see provgate.rule_pack())" % what])
    return text


def expr(expression: str, *, bindings: Optional[Mapping[str, Any]] = None,
         cost_limit: int = 1_000_000) -> Any:
    """Evaluates one rule expression (the CLI's ``expr``) and returns its value as proto3
    JSON data (``{"int64Value": "2"}``). `bindings` maps variable names to proto3 JSON
    values. An expression that does not compile is InvalidInput; one that fails as it runs
    returns ``{"error": message}``."""
    if not isinstance(expression, str):
        raise TypeError("expression must be a str")
    if "\0" in expression:
        raise InvalidInput("the expression contains a NUL character",
                           ["<expr>: error: the expression contains a NUL character"])
    text_argument(expression, "the expression")
    if isinstance(cost_limit, bool) or not isinstance(cost_limit, int):
        raise TypeError("cost_limit must be an int")
    if not 1 <= cost_limit < 2 ** 63:
        raise InvalidInput("cost_limit must be at least 1",
                           ["provgate: error: cost_limit must be 1 to 2**63-1"])
    text = None if bindings is None else to_json_text(dict(bindings), "bindings")
    import tempfile
    with tempfile.TemporaryDirectory(prefix="provgate-expr-") as directory:
        path = ""
        if text is not None:
            path = os.path.join(directory, "bindings.json")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
        outcome, value, details, status = _core.expression(expression, path, cost_limit)
    raise_for(status, details)
    if outcome == "invalid":
        raise InvalidInput("the expression is invalid", [d["text"] for d in details], details)
    return json.loads(value)


def _key_argument(key: Any) -> tuple:
    if isinstance(key, bytes):
        return (key.decode("utf-8", "replace"), True)
    if isinstance(key, str) and key.lstrip().startswith("-----BEGIN"):
        return (text_argument(key, "key"), True)
    return (fspath(key, "key"), False)


def sign(report: Report, key: Union[PathLike, bytes]) -> str:
    """Signs a report with a private key (a PEM file, or PEM text or bytes, PKCS#8, ECDSA
    P-256 or Ed25519): the DSSE envelope of its in-toto statement. A key that cannot sign is
    an OperationalError."""
    if not isinstance(report, Report):
        raise TypeError("sign takes a provgate.Report")
    text, pem = _key_argument(key)
    status, envelope = report._result.sign(text, pem, "private key")
    raise_for(status, [])
    return envelope


def verify(envelope: Union[str, bytes, PathLike], *, keys: Any,
           threshold: int = 1, manifest: Optional[PathLike] = None) -> Dict[str, Any]:
    """Verifies a signed report (envelope text or bytes, or a path to it) with public keys
    (paths or PEM), at least `threshold` of which must have signed. Returns the CLI's
    ``verify --format json`` data, whose ``exit_code`` is 0 when verified and 1 when not.
    A malformed envelope is InvalidInput; a key file that cannot be read, OperationalError."""
    if isinstance(envelope, bytes):
        text = envelope.decode("utf-8", "surrogateescape")
    elif isinstance(envelope, str) and envelope.lstrip().startswith("{"):
        text = envelope
    else:
        path = fspath(envelope, "envelope")
        try:
            with open(path, "rb") as handle:
                data = handle.read((64 << 20) + 1)
            if len(data) > 64 << 20:
                raise InvalidInput("%s is larger than 64 MiB: not a signed report" % path,
                                   ["%s: error: larger than 64 MiB, too large for a signed "
                                    "report" % path])
            text = data.decode("utf-8", "surrogateescape")
        except OSError as error:
            raise OperationalError("cannot read %s: %s" % (path, error.strerror),
                                   ["provgate: error: cannot read %s: %s"
                                    % (path, error.strerror)]) from None
    from ._inputs import _key_list
    paths, pems = _key_list(keys)
    if not paths and not pems:
        raise InvalidInput("verify needs at least one public key",
                           ["provgate: error: verify needs at least one public key"])
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise TypeError("threshold must be an int")
    if not 1 <= threshold <= 9999:
        raise InvalidInput("threshold must be 1 to 9999",
                           ["provgate: error: threshold must be 1 to 9999, not %d" % threshold])
    manifest_path = "" if manifest is None else fspath(manifest, "manifest")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput("the envelope is not valid UTF-8",
                           ["provgate: error: the envelope is not valid UTF-8"]) from None
    code, result = _core.verify(text, paths, pems, threshold, manifest_path)
    data = json.loads(result)
    data["exit_code"] = code
    if code == 2:
        raise InvalidInput(data.get("error") or "the envelope is malformed",
                           ["provgate: error: " + str(data.get("error") or data)])
    if code == 3:
        raise OperationalError(data.get("error") or "a key cannot be used",
                               ["provgate: error: " + str(data.get("error") or data)])
    return data


class Session:
    """A check of sources that arrive one by one, for a pipeline that records each dataset's
    provenance as it loads it.

    Open it with the manifest's header (a dict with ``manifest_version``, ``model`` and the
    rest of a manifest but its sources), ``add`` sources (dicts, as in a manifest's
    ``sources``) one at a time or ``add_many`` in batches, and ``finish`` it into the Report,
    which is the report of checking the same header and sources as one manifest. Each batch
    is validated as it is added: an invalid source raises InvalidInput and is not added.
    One session is used from one thread at a time.

    >>> with provgate.Session({"manifest_version": "1", "model": {...}}) as session:
    ...     session.add({"id": "wiki", ...})
    >>> report = session.report
    """

    def __init__(self, header: Mapping[str, Any], *, policy: Optional[PathLike] = None,
                 profile: Optional[str] = None, date: Any = None,
                 params: Optional[Mapping[str, ParamValue]] = None,
                 verify_files: bool = False, waivers: Any = None, trust: Any = None,
                 base_dir: Optional[PathLike] = None, name: Optional[str] = None,
                 fail_on: str = "error", decisions: bool = False,
                 max_threads: int = 0) -> None:
        if not isinstance(header, Mapping):
            raise TypeError("header must be a dict, not %s" % type(header).__name__)
        header = dict(header)
        if "sources" in header and header["sources"] not in ([], None):
            raise InvalidInput("the header's sources are added to the session, not given with "
                               "the header", ["%s: error: remove 'sources' from the header"
                                              % (name or "manifest.json")])
        header["sources"] = []
        label = "manifest.json" if name is None else name
        base = "." if base_dir is None else fspath(base_dir, "base_dir")
        self._fail_on = _check_fail_on(fail_on)
        pack = load_pack(policy)
        options = check_options(profile, date, params, verify_files, waivers, trust, None,
                                decisions, None, max_threads)
        self._session = _core.Session(pack, to_json_text(header, label), label, base, options)
        self._report: Optional[Report] = None
        self._failed: Optional[BaseException] = None

    def add(self, source: Mapping[str, Any]) -> None:
        """Adds one source (a dict)."""
        self.add_many([source])

    def add_many(self, sources: Iterable[Mapping[str, Any]]) -> None:
        """Adds sources in order, validated and judged as one batch."""
        if self._report is not None or self._failed is not None:
            raise RuntimeError("the session is finished")
        batch = list(sources)
        for source in batch:
            if not isinstance(source, Mapping):
                raise TypeError("a source must be a dict, not %s" % type(source).__name__)
        if not batch:
            return
        status, details = self._session.add(to_json_text(batch, "sources"))
        raise_for(status, details)

    def __len__(self) -> int:
        return self._session.size()

    def finish(self) -> Report:
        """Completes the check; raises InvalidInput when the header was invalid."""
        if self._report is not None:
            return self._report
        if self._failed is not None:
            raise self._failed
        try:
            self._report = _finish(self._session.finish(), self._fail_on)
        except Exception as error:
            # The session is over either way: a second call raises the same.
            self._failed = error
            raise
        return self._report

    @property
    def report(self) -> Report:
        return self.finish()

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> None:
        if kind is None:
            self.finish()


class Partial:
    """The partial result of one shard or partition: bytes that pickle and travel to the
    merge. It is bound to the manifest, pack, profile, parameters, date and options it was
    made with; merge refuses it with anything else."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        if not isinstance(data, bytes):
            raise TypeError("a Partial holds bytes")
        self.data = data

    def __reduce__(self):
        return (Partial, (self.data,))

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        return "<provgate.Partial %d bytes>" % len(self.data)


def _shard_options(options: Dict[str, Any]) -> tuple:
    policy = options.pop("policy", None)
    base_dir = options.pop("base_dir", None)
    name = options.pop("name", None)
    fail_on = _check_fail_on(options.pop("fail_on", "error"))
    return policy, base_dir, name, fail_on, check_options(**options)


def evaluate_shard(manifest: ManifestArg, index: int, count: int, **options: Any) -> Partial:
    """Judges shard `index` of `count` of the manifest's sources (those whose position modulo
    `count` is `index`) into a Partial. Takes the keyword arguments of check. Every shard
    reads (and validates) the whole manifest; for JSON Lines side files that are too large
    for that, see provgate.dask."""
    for value, what in ((index, "index"), (count, "count")):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("%s must be an int" % what)
    if count < 1 or count >= 2 ** 63 or not 0 <= index < count:
        raise InvalidInput("shard %d of %d does not exist" % (index, count),
                           ["provgate: error: shard %d of %d does not exist" % (index, count)])
    policy, base_dir, name, _, engine_options = _shard_options(dict(options))
    status, details, partial = _core.evaluate_shard(
        load_pack(policy), manifest_input(manifest, base_dir, name), engine_options, index,
        count)
    raise_for(status, details)
    return Partial(partial)


def merge(manifest: ManifestArg, partials: Sequence[Partial], **options: Any) -> Report:
    """Merges the Partials of every shard of one split, in any order, into the Report of the
    whole manifest: the same report, byte for byte, as check gives. Takes the keyword
    arguments of check, which must be those the shards were evaluated with."""
    data = []
    for partial in partials:
        if not isinstance(partial, Partial):
            raise TypeError("merge takes provgate.Partial objects, not %s"
                            % type(partial).__name__)
        data.append(partial.data)
    policy, base_dir, name, fail_on, engine_options = _shard_options(dict(options))
    result = _core.merge_shards(load_pack(policy), manifest_input(manifest, base_dir, name),
                                engine_options, data)
    return _finish(result, fail_on)
