"""SPDX licence expressions, as provgate's rule pack reads them."""

from __future__ import annotations

from typing import Any, Dict, Optional

from . import _core
from ._inputs import PathLike, load_pack
from .errors import InvalidInput

__all__ = ["parse"]


def parse(expression: str, *, policy: Optional[PathLike] = None,
          commercial: bool = True) -> Dict[str, Any]:
    """Parses and classifies a licence expression with the rule pack's licence data.

    Returns a dict: ``expression`` (canonical spelling, aliases such as ``apache-2.0``
    resolved), ``tree`` (nested nodes of kind license, ref, with, and, or, none,
    noassertion), ``class`` (public-domain, permissive, weak-copyleft, copyleft, share-alike,
    non-commercial, no-derivatives, proprietary or unknown), ``permitted`` and ``reason``
    (whether the licence alone permits training a model used `commercial`ly), ``licenses``,
    ``attribution``, ``share_alike``, ``choice`` (which alternative of an OR counts),
    ``hint`` (the closest known id to an unknown one), ``open_weights`` and ``conditions``.
    A syntax error raises InvalidInput with its column.

    >>> provgate.license.parse("apache-2.0 OR MIT")["expression"]
    'Apache-2.0 OR MIT'
    """
    if not isinstance(expression, str):
        raise TypeError("expression must be a str, not %s" % type(expression).__name__)
    if not isinstance(commercial, bool):
        raise TypeError("commercial must be a bool")
    try:
        expression.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput("the expression is not valid Unicode",
                           ["<license>:1:1: error: the expression is not valid Unicode"]) from None
    info = _core.describe_license(load_pack(policy), expression, commercial)
    if not info["ok"]:
        line = "<license>:1:%d: error: %s" % (info["column"], info["error"])
        raise InvalidInput(info["error"], [line],
                           [{"severity": "error", "code": "license-syntax",
                             "message": info["error"], "file": "<license>", "line": 1,
                             "column": info["column"], "pointer": "", "text": line}])
    del info["ok"]
    return info
