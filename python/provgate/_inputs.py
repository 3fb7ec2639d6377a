"""Turning the Python arguments of provgate's functions into what the engine takes, and the
engine's failures into exceptions."""

from __future__ import annotations

import datetime
import json
import math
import os
import threading
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _core
from .errors import InvalidInput, OperationalError

PathLike = Union[str, "os.PathLike[str]"]
ManifestArg = Union[str, "os.PathLike[str]", Mapping[str, Any]]
ParamValue = Union[bool, int, str]

# Python data nested deeper than this is refused before it is written as JSON (the reader
# refuses manifests nested deeper than 64 levels anyway).
MAX_DEPTH = 256


def text_argument(value: str, what: str) -> str:
    """`value` if it can be written as UTF-8 (no lone surrogate); InvalidInput otherwise."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidInput("%s is not valid Unicode: %s" % (what, error.reason),
                           ["provgate: error: %s is not valid Unicode (%s at character %d)"
                            % (what, error.reason, error.start)]) from None
    return value


def fspath(value: Any, what: str) -> str:
    """A path argument as text: ``str`` or ``os.PathLike``; no NUL character, valid
    Unicode."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if isinstance(value, bytes):
        value = os.fsdecode(value)
    if not isinstance(value, str):
        raise TypeError("%s must be a path (str or os.PathLike), not %s"
                        % (what, type(value).__name__))
    text_argument(value, what)
    if "\0" in value:
        raise InvalidInput("%s contains a NUL character" % what,
                           ["provgate: error: %s contains a NUL character" % what])
    if value == "":
        raise InvalidInput("%s is empty" % what, ["provgate: error: %s is empty" % what])
    return value


def _escape_pointer(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def to_json_text(value: Any, what: str, compact: bool = False) -> str:
    """`value` (dicts, lists, str, int, float, bool, None) as JSON text. Anything JSON cannot
    hold as it is (a key that is not a string, NaN, a set, nesting deeper than MAX_DEPTH) is
    invalid input with the JSON pointer of the value. `compact`: on one line."""
    stack: List[Tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, pointer, depth = stack.pop()
        if item is None or isinstance(item, (bool, str, int)):
            continue
        if isinstance(item, float):
            if not math.isfinite(item):
                _invalid(what, pointer, "%r is not a JSON number" % item)
            continue
        if depth >= MAX_DEPTH:
            _invalid(what, pointer, "nested deeper than %d levels" % MAX_DEPTH)
        if isinstance(item, Mapping):
            for key, child in item.items():
                if not isinstance(key, str):
                    _invalid(what, pointer, "a key is %s (%r); JSON keys are strings"
                             % (type(key).__name__, key))
                stack.append((child, pointer + "/" + _escape_pointer(key), depth + 1))
            continue
        if isinstance(item, (list, tuple)):
            for index, child in enumerate(item):
                stack.append((child, "%s/%d" % (pointer, index), depth + 1))
            continue
        _invalid(what, pointer, "a %s is not a JSON value (expected a dict, list, str, int, "
                 "float, bool or None)" % type(item).__name__)
    try:
        # ASCII: a lone surrogate in a str becomes an escape that the reader refuses with its
        # position, instead of failing to encode.
        if compact:
            return json.dumps(value, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
        return json.dumps(value, ensure_ascii=True, allow_nan=False, indent=1)
    except (TypeError, ValueError, RecursionError) as error:
        raise InvalidInput("%s cannot be written as JSON: %s" % (what, error),
                           ["%s: error: %s" % (what, error)]) from None


def _invalid(what: str, pointer: str, message: str) -> None:
    line = "%s: error: %s (at %s)" % (what, message, pointer or "/")
    raise InvalidInput("%s is not valid JSON data" % what, [line],
                       [{"severity": "error", "code": "python-value", "message": message,
                         "file": what, "line": 0, "column": 0, "pointer": pointer,
                         "text": line}])


def manifest_input(manifest: Any, base_dir: Optional[PathLike], name: Optional[str]
                   ) -> Tuple[str, str, str, str]:
    """The engine's description of a manifest: a path, JSON text or a dict."""
    base = "." if base_dir is None else fspath(base_dir, "base_dir")
    label = "manifest.json" if name is None else name
    if not isinstance(label, str) or not label or "\0" in label:
        raise TypeError("name must be a non-empty str")
    text_argument(label, "name")
    if isinstance(manifest, Mapping):
        return ("text", to_json_text(manifest, label), label, base)
    if isinstance(manifest, str) and manifest.lstrip(" \t\r\n").startswith("{"):
        try:
            manifest.encode("utf-8")
        except UnicodeEncodeError as error:
            raise InvalidInput("the manifest text is not valid Unicode",
                               ["%s: error: the text is not valid Unicode: %s"
                                % (label, error)]) from None
        return ("text", manifest, label, base)
    if isinstance(manifest, (str, os.PathLike)):
        return ("file", fspath(manifest, "manifest"), "", "")
    raise TypeError("manifest must be a path (str or os.PathLike), JSON text (str) or a dict, "
                    "not %s" % type(manifest).__name__)


def param_text(name: Any, value: Any) -> Tuple[str, str]:
    if not isinstance(name, str):
        raise TypeError("parameter names must be str, not %s" % type(name).__name__)
    text_argument(name, "a parameter name")
    if isinstance(value, bool):
        return (name, "true" if value else "false")
    if isinstance(value, int):
        return (name, str(value))
    if isinstance(value, str):
        return (name, text_argument(value, "parameter %r" % name))
    raise TypeError("parameter %r must be a bool, int or str, not %s"
                    % (name, type(value).__name__))


def _key_list(trust: Any) -> Tuple[List[str], List[Tuple[str, str]]]:
    """Trusted public keys: paths, or PEM text (str or bytes)."""
    if trust is None:
        return [], []
    if isinstance(trust, (str, bytes, os.PathLike)):
        trust = [trust]
    paths: List[str] = []
    pems: List[Tuple[str, str]] = []
    for index, key in enumerate(trust):
        if isinstance(key, bytes) and key.lstrip().startswith(b"-----BEGIN"):
            key = key.decode("ascii", "replace")
        if isinstance(key, str) and key.lstrip().startswith("-----BEGIN"):
            pems.append(("trusted key %d" % (index + 1), text_argument(key, "a trusted key")))
        else:
            paths.append(fspath(key, "a trusted key"))
    return paths, pems


def check_options(profile: Optional[str] = None, date: Any = None,
                  params: Optional[Mapping[str, ParamValue]] = None,
                  verify_files: bool = False, waivers: Any = None, trust: Any = None,
                  root: Optional[PathLike] = None, decisions: bool = False,
                  warn_expiring: Optional[int] = None, max_threads: int = 0
                  ) -> Dict[str, Any]:
    """The engine's options dict from the keyword arguments of provgate.check."""
    options: Dict[str, Any] = {}
    if profile is not None:
        if not isinstance(profile, str):
            raise TypeError("profile must be a str, not %s" % type(profile).__name__)
        options["profile"] = text_argument(profile, "profile")
    if date is not None:
        if isinstance(date, datetime.datetime):
            raise TypeError("date must be a datetime.date or 'YYYY-MM-DD', not a datetime")
        if isinstance(date, datetime.date):
            date = date.isoformat()
        if not isinstance(date, str):
            raise TypeError("date must be a str or datetime.date, not %s" % type(date).__name__)
        options["date"] = text_argument(date, "date")
    if params is not None:
        if not isinstance(params, Mapping):
            raise TypeError("params must be a dict, not %s" % type(params).__name__)
        options["params"] = [param_text(k, v) for k, v in params.items()]
    if not isinstance(verify_files, bool):
        raise TypeError("verify_files must be a bool")
    options["verify_files"] = verify_files
    if waivers is not None:
        if isinstance(waivers, Mapping):
            options["waivers_text"] = to_json_text(waivers, "waivers")
            options["waivers_name"] = "waivers"
        else:
            options["waivers_path"] = fspath(waivers, "waivers")
    paths, pems = _key_list(trust)
    options["trusted_keys"] = paths
    options["trusted_pem"] = pems
    if root is not None:
        options["root"] = fspath(root, "root")
    if not isinstance(decisions, bool):
        raise TypeError("decisions must be a bool")
    options["decisions"] = decisions
    if warn_expiring is not None:
        if isinstance(warn_expiring, bool) or not isinstance(warn_expiring, int):
            raise TypeError("warn_expiring must be an int")
        if not 0 <= warn_expiring <= 3650:
            raise InvalidInput("warn_expiring must be 0 to 3650 days",
                               ["provgate: error: warn_expiring must be 0 to 3650 days"])
        options["warn_expiring"] = warn_expiring
    if isinstance(max_threads, bool) or not isinstance(max_threads, int) or max_threads < 0 \
            or max_threads > 1024:
        raise TypeError("max_threads must be an int from 0 to 1024")
    options["max_threads"] = max_threads
    return options


def raise_for(status: Tuple[str, str], details: Sequence[Mapping[str, Any]],
              what: str = "the check") -> None:
    """Raises what the engine's status and diagnostics say, if anything failed."""
    code, message = status
    errors = [d for d in details if d.get("severity") == "error"]
    lines = [d["text"] for d in details]
    # As the CLI's exit codes: a missing file or an invalid argument is invalid input (2),
    # any other failure operational (3).
    if code not in ("ok", "invalid-argument", "not-found"):
        raise OperationalError(message, lines + ["provgate: error: " + message], list(details))
    if code in ("invalid-argument", "not-found"):
        raise InvalidInput(message, lines + ["provgate: error: " + message], list(details))
    if errors:
        first = errors[0]["text"]
        more = "" if len(errors) == 1 else " (and %d more)" % (len(errors) - 1)
        raise InvalidInput("invalid input: " + first + more, lines, list(details))


_packs: Dict[str, Any] = {}
_packs_lock = threading.Lock()


def load_pack(policy: Optional[PathLike]) -> Any:
    """The rule pack in directory `policy` (None: the built-in pack, loaded once per process;
    a directory is read again at each call, so that edits to it count)."""
    directory = "" if policy is None else fspath(policy, "policy")
    if directory == "":
        with _packs_lock:
            pack = _packs.get(directory)
        if pack is not None:
            return pack
    status, details, pack = _core.load_pack(directory)
    raise_for(status, details, "the rule pack")
    if pack is None:
        raise InvalidInput("the rule pack cannot be used", [d["text"] for d in details], details)
    if directory == "":
        with _packs_lock:
            pack = _packs.setdefault(directory, pack)
    return pack
